"""A rep's day in the browser, in English, and the same checks in Chinese: claim a customer
from the pool, log a follow-up, add a deal, win it, and find it in My results, credited by
the ownership record; a teammate cannot take the won customer."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assignments import services
from assignments.models import Credit
from leads.models import Lead
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture
def pool_customer(transactional_db, team, manager):
    admin = make_user("boss", role="admin")
    return services.create_lead(
        actor=admin,
        company_name="宁波海星贸易有限公司",
        city="宁波",
        contacts=[{"name": "周总", "phone": "13566667777"}],
    )


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            {
                "claim": "Claim",
                "save_followup": "Save follow-up",
                "add_deal": "Add a deal",
                "add": "Add deal",
                "won": "Mark won",
                "status_won": "Won",
                "results": "My results",
            },
        ),
        (
            "zh-hans",
            {
                "claim": "领取",
                "save_followup": "保存跟进",
                "add_deal": "新增商机",
                "add": "添加商机",
                "won": "标记赢单",
                "status_won": "已成交",
                "results": "我的业绩",
            },
        ),
    ],
)
def test_claim_follow_up_win_and_see_the_credit(
    browser, live_server, login, pool_customer, team, language, words
):
    rep = make_user("amy", display_name="Amy Chen", team=team, language=language)
    teammate = make_user("wei", display_name="张伟", team=team, language="zh-hans")
    lead = pool_customer
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, rep.username, PASSWORD)

    page.goto(f"{live_server.url}/leads/pool/")
    page.locator(f"#lead-{lead.pk}").get_by_role("button", name=words["claim"]).click()
    expect(page.get_by_test_id("claim-result")).to_have_attribute("data-code", "claimed")
    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    followup = page.get_by_test_id("followup-form")
    followup.locator("textarea[name=note]").fill("Visited the warehouse; they want a quote.")
    followup.get_by_role("button", name=words["save_followup"]).click()
    expect(page.locator(".flash.success")).to_be_visible()

    page.get_by_test_id("add-deal").locator("summary").click()
    deal_form = page.get_by_test_id("deal-form")
    deal_form.locator("input[name=title]").fill("Annual logistics contract")
    deal_form.locator("input[name=amount]").fill("86000")
    deal_form.get_by_role("button", name=words["add"]).click()
    deal = page.get_by_test_id("deal")
    expect(deal).to_have_attribute("data-status", "open")
    deal.get_by_test_id("win-form").get_by_role("button", name=words["won"]).click()

    expect(page.get_by_test_id("deal")).to_have_attribute("data-status", "won")
    expect(page.get_by_test_id("lead-status")).to_have_text(words["status_won"])
    credit = page.get_by_test_id("credit")
    expect(credit).to_contain_text("Amy Chen")
    expect(credit).to_contain_text("100")
    _shoot(page, f"deal-won-detail-390-{language}")

    page.goto(f"{live_server.url}/results/")
    expect(page.get_by_role("heading", name=words["results"])).to_be_visible()
    expect(page.get_by_test_id("credited-deal")).to_contain_text("Annual logistics contract")
    expect(page.get_by_test_id("month")).to_contain_text("86,000")
    _shoot(page, f"my-results-390-{language}")

    credit_row = Credit.objects.get(deal__lead=lead)
    assert (credit_row.rep, credit_row.share, credit_row.kind) == (rep, 100, "win")
    assert credit_row.ownership_event.kind == "claim"
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.WON

    # The teammate: the won customer is not in the pool and they cannot open its page.
    other = browser.new_context().new_page()
    login(other, teammate.username, PASSWORD)
    other.goto(f"{live_server.url}/leads/pool/")
    expect(other.locator(f"#lead-{lead.pk}")).to_have_count(0)
    # Its link is no dead end: it says whose it is (won: it stays theirs), nothing more.
    assert other.goto(f"{live_server.url}/leads/{lead.pk}/").status == 403
    expect(other.get_by_test_id("owner-now")).to_contain_text("Amy Chen")
    expect(other.get_by_test_id("contacts")).to_have_count(0)
    other.goto(f"{live_server.url}/leads/pool/")
    # Even a hand-made claim (the pool's own form action, with the page's CSRF token).
    answer = other.evaluate(
        """async (url) => {
            const token = document.querySelector("[name=csrfmiddlewaretoken]")?.value
                || document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: "POST",
                headers: {"X-CSRFToken": token, "HX-Request": "true"}});
            return await r.text();
        }""",
        f"{live_server.url}/leads/{lead.pk}/claim/",
    )
    assert 'data-code="already_owned"' in answer
    assert Credit.objects.filter(deal__lead=lead).count() == 1
