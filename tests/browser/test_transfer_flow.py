"""A collision settled in the browser, in English and in Chinese: two reps click Claim on the
same pool row; the one who loses asks for the customer from the refused row (which keeps the
company's name); their manager sees the count in the navigation, approves in the inbox
(待审批); the rep finds the customer in My leads. On a phone-sized screen."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from assignments.models import Ownership, OwnershipEvent, TransferRequest
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
PHONE = {"width": 390, "height": 844}
COMPANY = "杭州云帆物流有限公司"
WORDS = {
    "en": {
        "claim": "Claim",
        "ask": "Request transfer",
        "pending": "Pending",
        "approvals": "Approvals",
        "approve": "Approve",
        "approved": "Approved: the customer now belongs to the requester.",
        "my_leads": "My leads",
    },
    "zh-hans": {
        "claim": "领取",
        "ask": "申请转移",
        "pending": "待审批",
        "approvals": "待审批",
        "approve": "批准",
        "approved": "已批准：客户现由申请人负责。",
        "my_leads": "我的客户",
    },
}


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_lose_a_race_ask_and_get_it_approved(browser, live_server, login, team, language):
    words = WORDS[language]
    boss = make_user("boss", role=User.Role.ADMIN)
    manager = make_user(
        "mia", role=User.Role.MANAGER, team=team, display_name="Mia Wang", language=language
    )
    team.manager = manager
    team.save()
    reps = [
        make_user("amy", team=team, display_name="Amy Chen", language=language),
        make_user("wei", team=team, display_name="张伟", language=language),
    ]
    lead = services.create_lead(
        actor=boss,
        company_name=COMPANY,
        city="杭州",
        contacts=[{"name": "陈总", "phone": "13700001111"}],
    )

    pages = []
    for rep in reps:
        page = browser.new_context(viewport=PHONE).new_page()
        login(page, rep.username, PASSWORD)
        page.goto(f"{live_server.url}/leads/pool/")
        expect(page.locator(f"#lead-{lead.pk}")).to_contain_text(COMPANY)
        pages.append(page)
    for page in pages:
        page.locator(f"#lead-{lead.pk}").get_by_role("button", name=words["claim"]).click(
            no_wait_after=True
        )
    results = [page.get_by_test_id("claim-result") for page in pages]
    for result in results:
        expect(result).to_be_visible()
    winner = Ownership.objects.get(lead=lead, ended_at__isnull=True).owner
    lost = 1 if winner == reps[0] else 0
    loser, page = reps[lost], pages[lost]
    expect(results[lost]).to_have_attribute("data-code", "already_owned")
    # The row that lost keeps the company's name and says who has it.
    expect(results[lost]).to_contain_text(COMPANY)
    expect(results[lost]).to_contain_text(winner.display_name)
    _shoot(page, f"transfer-refused-row-390-{language}")

    ask = page.get_by_test_id("ask-transfer")
    ask.locator("input[name=reason]").fill("陈总 called me back yesterday")
    ask.get_by_role("button", name=words["ask"]).click()
    mine = page.get_by_test_id("my-request")
    expect(mine).to_have_attribute("data-status", "pending")
    expect(mine).to_contain_text(words["pending"])
    _shoot(page, f"transfer-my-requests-390-{language}")

    boss_page = browser.new_context(viewport=PHONE).new_page()
    login(boss_page, manager.username, PASSWORD)
    nav = boss_page.get_by_role("link", name=words["approvals"])
    expect(nav.get_by_test_id("nav-count")).to_have_text("1")
    nav.click()
    request = boss_page.get_by_test_id("transfer-request")
    expect(request).to_contain_text(COMPANY)
    expect(request).to_contain_text(loser.display_name)
    expect(request).to_contain_text("陈总 called me back yesterday")
    _shoot(boss_page, f"transfer-inbox-390-{language}")
    request.get_by_test_id("approve-form").locator("input[name=reason]").fill("OK")
    request.get_by_role("button", name=words["approve"]).click()
    expect(boss_page.locator(".flash.success")).to_contain_text(words["approved"])
    expect(boss_page.get_by_test_id("nav-count")).to_have_count(0)

    page.get_by_role("link", name=words["my_leads"]).first.click()
    expect(page.get_by_test_id("my-lead")).to_contain_text(COMPANY)
    _shoot(page, f"transfer-my-leads-390-{language}")

    transfer = TransferRequest.objects.get(lead=lead)
    assert (transfer.status, transfer.requester, transfer.decided_by) == (
        "approved",
        loser,
        manager,
    )
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == loser
    kinds = list(
        OwnershipEvent.objects.filter(lead=lead).order_by("at", "id").values_list("kind", flat=True)
    )
    assert kinds == ["claim", "transfer"]
