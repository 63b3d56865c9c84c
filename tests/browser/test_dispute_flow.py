"""A dispute (撞单申诉) in the browser, in English and in Chinese: a rep opens a won customer a
colleague owns, files a dispute from its notice with her own record of the same customer; the
manager finds it from Approvals, reads both reps side by side, and rules a transfer with a
credit split; the rep finds the customer in My leads. Screenshots on a desktop and a phone."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from assignments.models import Credit, Dispute
from leads.dedupe.index import index_lead
from leads.models import Lead
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
COMPANY = "杭州云帆物流有限公司"
WORDS = {
    "en": {
        "dispute": "It is mine: file a dispute",
        "file": "File the dispute",
        "approvals": "Approvals",
        "disputes": "Disputes",
        "transfer": "Transfer to the claimant",
        "rule": "Rule",
        "ruled": "Ruled",
        "my_leads": "My leads",
    },
    "zh-hans": {
        "dispute": "这是我的客户：提交撞单申诉",
        "file": "提交申诉",
        "approvals": "待审批",
        "disputes": "撞单申诉",
        "transfer": "转给申诉人",
        "rule": "裁决",
        "ruled": "已裁决",
        "my_leads": "我的客户",
    },
}


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_dispute_ruled_as_a_transfer_with_a_credit_split(
    browser, live_server, login, team, language
):
    words = WORDS[language]
    manager = make_user(
        "mia", role=User.Role.MANAGER, team=team, display_name="Mia Wang", language=language
    )
    team.manager = manager
    team.save()
    amy = make_user("amy", team=team, display_name="Amy Chen", language=language)
    wei = make_user("wei", team=team, display_name="张伟")
    theirs = services.create_lead(actor=wei, company_name=COMPANY, city="杭州")
    deal = services.create_deal(lead_id=theirs.pk, actor=wei, title="年度运输", amount=Decimal(800))
    services.win_deal(deal_id=deal.pk, actor=wei)
    # Amy's own record of the same customer, from before the duplicate check (an old import).
    mine = services.create_lead(actor=amy, company_name="云帆旧档案", city="杭州")
    Lead.objects.filter(pk=mine.pk).update(company_name=COMPANY)
    index_lead(Lead.objects.get(pk=mine.pk))
    services.log_followup(lead_id=mine.pk, actor=amy, kind="visit", note="首次拜访，见了王总")

    page = browser.new_context(viewport=PHONE).new_page()
    login(page, amy.username, PASSWORD)
    assert page.goto(f"{live_server.url}/leads/{theirs.pk}/").status == 403
    page.get_by_role("link", name=words["dispute"]).click()
    page.locator("#id_statement").fill("我三月就拜访过王总，记录在我的档案里。")
    page.locator("#id_record").select_option(str(mine.pk))
    page.get_by_role("button", name=words["file"]).click()
    expect(page.get_by_test_id("statement")).to_contain_text("我三月就拜访过王总")
    expect(page.get_by_test_id("evidence")).to_have_count(0)
    dispute = Dispute.objects.get()
    assert dispute.record_id == mine.pk

    boss = browser.new_context(viewport=DESKTOP).new_page()
    login(boss, manager.username, PASSWORD)
    boss.get_by_role("link", name=words["approvals"]).first.click()
    boss.get_by_test_id("disputes-link").click()
    boss.get_by_test_id("dispute-row").get_by_role("link", name=COMPANY).click()
    claimant, owner = boss.get_by_test_id("side-claimant"), boss.get_by_test_id("side-owner")
    expect(claimant).to_contain_text("Amy Chen")
    expect(claimant.get_by_test_id("followups-claimant")).to_contain_text("首次拜访，见了王总")
    expect(owner).to_contain_text("张伟")
    # Side by side on one screen: the two columns start at the same height.
    assert abs(claimant.bounding_box()["y"] - owner.bounding_box()["y"]) < 2
    _shoot(boss, f"dispute-arbitration-{language}-desktop")
    boss.get_by_label(words["transfer"]).check()
    boss.locator("#id_reason").fill("Amy 先接触，张伟赢单：业绩对半")
    boss.locator("#id_claimant_share").fill("50")
    boss.get_by_role("button", name=words["rule"]).click()
    expect(boss.get_by_test_id("dispute-status")).to_have_text(words["ruled"])
    expect(boss.get_by_test_id("credit-split")).to_contain_text("Amy Chen 50")
    _shoot(boss, f"dispute-ruled-{language}-desktop")

    page.goto(f"{live_server.url}/leads/disputes/{dispute.pk}/")
    _shoot(page, f"dispute-ruled-{language}-390")
    page.get_by_role("link", name=words["my_leads"]).first.click()
    expect(page.locator(f'a[href="/leads/{theirs.pk}/"]')).to_have_count(1)
    shares = {c.rep_id: c.amount for c in Credit.objects.filter(dispute=dispute, kind="correction")}
    assert shares == {amy.pk: Decimal("400.00"), wei.pk: Decimal("400.00")}
