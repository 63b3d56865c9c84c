"""Bulk claim and bulk release in the browser (issue 13, item 3), in English and in Chinese, on
a phone (390 px) and a desktop: a rep ticks three pool rows; a colleague claims one of them
meanwhile; "Claim selected" claims two and says who has the third, and the rows change in
place. Then, on My leads, the rep releases two of them with one reason."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from assignments.models import Ownership
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WORDS = {
    "en": {"taken": "Already claimed by 张伟", "mine": "You now own", "back": "back in the pool"},
    "zh-hans": {"taken": "已被 张伟 领取", "mine": "您已领取", "back": "客户已退回公海池"},
}


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The answer scrolled itself into view; a full-page shot starts from the top.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _one_line(locator) -> bool:
    """The button's label sits on one line (no wrapped button)."""
    return locator.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b);"
        " return r.getClientRects().length === 1; }"
    )


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", ["390", "desktop"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_rep_claims_three_rows_one_taken_meanwhile(
    browser, live_server, login, team, language, size
):
    boss = make_user("boss", role=User.Role.ADMIN)
    amy = make_user("amy", team=team, display_name="Amy Chen", language=language)
    wei = make_user("wei", team=team, display_name="张伟")
    names = ["杭州云帆物流有限公司", "苏州远山机械有限公司", "宁波海川贸易有限公司"]
    leads = [services.create_lead(actor=boss, company_name=n, city="杭州") for n in names]
    first, taken, last = leads

    page = browser.new_context(viewport=SIZES[size]).new_page()
    login(page, amy.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/pool/")
    for lead in leads:
        page.locator(f"#lead-{lead.pk} [data-testid=select-lead]").check()
    claim_selected = page.get_by_test_id("claim-selected")
    expect(claim_selected).to_be_visible()
    assert _one_line(claim_selected)
    expect(page.locator("[data-selected-count=bulk-claim]")).to_contain_text("3")

    # A colleague is quicker for one of them.
    services.claim_lead(lead_id=taken.pk, actor=wei)
    claim_selected.click()

    summary = page.get_by_test_id("bulk-summary")
    expect(summary).to_be_visible()
    result = page.get_by_test_id("bulk-result")
    expect(result.locator("[data-status=claimed]")).to_have_count(2)
    refused = result.locator("[data-status=refused]")
    expect(refused).to_have_count(1)
    expect(refused).to_have_attribute("data-lead", str(taken.pk))
    expect(refused).to_have_attribute("data-code", "already_owned")
    expect(refused).to_contain_text(names[1])
    expect(refused).to_contain_text(WORDS[language]["taken"])
    if language == "en":
        expect(summary).to_have_text("2 claimed, 1 refused.")

    # The rows changed in place: two are the rep's now, the third says who has it.
    for lead in (first, last):
        row_result = page.locator(f"#lead-{lead.pk} [data-testid=claim-result]")
        expect(row_result).to_have_attribute("data-code", "claimed")
        expect(row_result).to_contain_text(WORDS[language]["mine"])
    expect(page.locator(f"#lead-{taken.pk} [data-testid=claim-result]")).to_contain_text(
        WORDS[language]["taken"]
    )
    expect(page.locator("[data-testid=select-lead]")).to_have_count(0)
    assert _fits(page)
    _shoot(page, f"bulk-claim-{language}-{size}")

    owners = dict(
        Ownership.objects.filter(ended_at__isnull=True).values_list("lead_id", "owner_id")
    )
    assert owners == {first.pk: amy.pk, taken.pk: wei.pk, last.pk: amy.pk}

    # My leads: release the two with one reason.
    page.goto(f"{live_server.url}/leads/mine/")
    for lead in (first, last):
        page.locator(f"#mine-{lead.pk} [data-testid=select-lead]").check()
    release_selected = page.get_by_test_id("release-selected")
    assert _one_line(release_selected)
    page.get_by_test_id("release-reason").fill("不在我的区域")
    expect(page.locator("[data-selected-count=bulk-release]")).to_contain_text("2")
    # What the phone shows: the bar in reach at the bottom of the screen (a sticky bar cannot
    # be shot full-page).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.screenshot(path=str(SHOTS / f"bulk-release-ticked-{language}-{size}.png"))
    release_selected.click()
    result = page.get_by_test_id("bulk-result")
    expect(result.locator("[data-status=released]")).to_have_count(2)
    for lead in (first, last):
        expect(page.locator(f"#mine-{lead.pk}")).to_contain_text(WORDS[language]["back"])
    assert _fits(page)
    _shoot(page, f"bulk-release-{language}-{size}")
    assert not Ownership.objects.filter(owner=amy, ended_at__isnull=True).exists()
