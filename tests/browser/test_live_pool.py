"""The live pool in the browser, in English and in Chinese, on a phone-sized screen: a rep
keeps the pool open; a colleague claims one of its rows and, without a reload, the row turns
grey within about two seconds ("Claimed by X", the company's name kept, no Claim button); a
customer entering the pool shows a badge that reloads the list with it."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
PHONE = {"width": 390, "height": 844}
WORDS = {
    "en": {
        "taken": "Claimed by 张伟",
        "news": re.compile(r"New in the pool:\s*1"),
        "claim": "Claim",
    },
    "zh-hans": {
        "taken": "已被 张伟 领取",
        "news": re.compile(r"公海池新进客户：\s*1"),
        "claim": "领取",
    },
}


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_open_pool_page_follows_its_colleagues(browser, live_server, login, team, language):
    boss = make_user("boss", role=User.Role.ADMIN)
    amy = make_user("amy", team=team, display_name="Amy Chen", language=language)
    wei = make_user("wei", team=team, display_name="张伟")
    taken = services.create_lead(actor=boss, company_name="杭州云帆物流有限公司", city="杭州")
    services.create_lead(actor=boss, company_name="苏州远山机械有限公司", city="苏州")

    page = browser.new_context(viewport=PHONE).new_page()
    login(page, amy.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/pool/")
    row = page.locator(f"#lead-{taken.pk}")
    expect(row.get_by_role("button", name=WORDS[language]["claim"])).to_be_visible()

    services.claim_lead(lead_id=taken.pk, actor=wei)
    # Polled every 1.5 s: greyed within about two seconds, without a reload.
    expect(row.get_by_test_id("taken-by")).to_have_text(WORDS[language]["taken"], timeout=2500)
    expect(row).to_contain_text("杭州云帆物流有限公司")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(page.get_by_test_id("pool-news")).to_be_hidden()

    fresh = services.create_lead(actor=boss, company_name="宁波海川贸易有限公司", city="宁波")
    news = page.get_by_test_id("pool-news")
    expect(news).to_contain_text(WORDS[language]["news"], timeout=2500)
    _shoot(page, f"live-pool-{language}-390")

    news.get_by_role("link").click()
    expect(page.locator(f"#lead-{fresh.pk}")).to_contain_text("宁波海川贸易有限公司")
    expect(page.locator(f"#lead-{taken.pk}")).to_have_count(0)
    expect(page.get_by_test_id("pool-news")).to_be_hidden()
