import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from assignments.models import Ownership, OwnershipEvent
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_reps_and_a_lead(transactional_db):
    admin = make_user("boss", role=User.Role.ADMIN)
    english = make_user("amy", display_name="Amy Chen")
    chinese = make_user("wei", display_name="张伟", language="zh-hans")
    lead = services.create_lead(
        actor=admin,
        company_name="苏州星河精密制造有限公司",
        city="苏州",
        contacts=[{"name": "刘总", "phone": "13912345678"}],
    )
    return english, chinese, lead


def test_two_reps_click_claim_on_the_same_row(browser, live_server, login, two_reps_and_a_lead):
    english, chinese, lead = two_reps_and_a_lead
    pages = []
    for user in (english, chinese):
        context = browser.new_context()
        page = context.new_page()
        login(page, user.username, PASSWORD)
        page.goto(f"{live_server.url}/leads/pool/")
        row = page.locator(f"#lead-{lead.pk}")
        expect(row).to_contain_text("苏州星河精密制造有限公司")
        expect(row).to_contain_text("139****5678")
        pages.append(page)

    # Both rows still show the Claim button; click them one right after the other.
    english_button = pages[0].locator(f"#lead-{lead.pk} button")
    chinese_button = pages[1].locator(f"#lead-{lead.pk} button")
    english_button.click(no_wait_after=True)
    chinese_button.click(no_wait_after=True)

    results = [page.get_by_test_id("claim-result") for page in pages]
    for result in results:
        expect(result).to_be_visible()
    codes = sorted(result.get_attribute("data-code") for result in results)
    assert codes == ["already_owned", "claimed"]

    owner = Ownership.objects.get(lead=lead, ended_at__isnull=True).owner
    assert OwnershipEvent.objects.filter(lead=lead, kind="claim").count() == 1
    if owner == english:
        expect(results[0]).to_contain_text("You now own 苏州星河精密制造有限公司")
        expect(results[1]).to_contain_text("已被 Amy Chen 领取")
    else:
        expect(results[1]).to_contain_text("您已领取 苏州星河精密制造有限公司")
        expect(results[0]).to_contain_text("Already claimed by 张伟")

    # The winner sees the full phone number on the customer's page.
    winner_page = pages[0] if owner == english else pages[1]
    winner_page.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(winner_page.get_by_test_id("contacts")).to_contain_text("13912345678")
