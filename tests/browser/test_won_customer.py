"""Rule 8 in the browser: a won customer whose protection has passed stays with its owner.
Its owner still works it (and is not offered a release); a teammate finds it neither in the
pool nor by its address, and the duplicate check still names its owner."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assignments import services
from assignments.models import Ownership, OwnershipEvent
from leads.models import FollowUp
from tests.conftest import PASSWORD, expire_claim, make_user, mark_won

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
COMPANY = "杭州云帆网络科技有限公司"


@pytest.fixture
def won_and_past_protection(transactional_db, team, manager):
    owner = make_user("lin", display_name="林涛", team=team, language="zh-hans")
    teammate = make_user("amy", display_name="Amy Chen", team=team)
    lead = services.create_lead(
        actor=owner,
        company_name=COMPANY,
        city="杭州",
        contacts=[{"name": "王总", "phone": "13588886666"}],
    )
    mark_won(lead)
    expire_claim(lead.pk, ago=timedelta(days=3))
    return owner, teammate, lead


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_won_customer_stays_with_its_owner_after_its_protection(
    browser, live_server, login, won_and_past_protection
):
    owner, teammate, lead = won_and_past_protection

    # The teammate: not in the pool, not reachable by its address, still a collision.
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, teammate.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/pool/")
    expect(page.locator(f"#lead-{lead.pk}")).to_have_count(0)
    # Its address says whose it is (won: it stays with its owner), and nothing more.
    assert page.goto(f"{live_server.url}/leads/{lead.pk}/").status == 403
    expect(page.get_by_test_id("owner-now")).to_contain_text("(won: it stays with its owner)")
    expect(page.get_by_test_id("timeline")).to_have_count(0)
    page.goto(f"{live_server.url}/leads/new/")
    page.get_by_label("Company name").press_sequentially("云帆网络科技（杭州）")
    notice = page.get_by_test_id("duplicate")
    expect(notice).to_contain_text(f"Already exists: {COMPANY} — owner 林涛")
    expect(notice).not_to_contain_text("protected until")
    _shoot(page, "won-customer-teammate-new-form-390")

    # The owner (in Chinese): kept, workable, no release offered.
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(phone, owner.username, PASSWORD)
    phone.goto(f"{live_server.url}/leads/mine/")
    row = phone.get_by_test_id("my-lead")
    expect(row).to_contain_text(COMPANY)
    expect(row).to_contain_text("不过期")
    _shoot(phone, "won-customer-owner-mine-390")
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(page, owner.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    expect(page.get_by_test_id("won-kept")).to_contain_text("已成交：客户始终归其负责人。")
    expect(page.get_by_text("释放到公海池")).to_have_count(0)
    form = page.get_by_test_id("followup-form")
    form.locator("select[name=kind]").select_option("visit")
    form.locator("textarea[name=note]").fill("签约后的项目启动会")
    form.get_by_role("button").click()
    expect(page.locator(".flash.success")).to_be_visible()
    _shoot(page, "won-customer-owner-detail-1280")

    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == owner
    assert list(OwnershipEvent.objects.filter(lead=lead).values_list("kind", flat=True)) == [
        "assign"
    ]
    assert FollowUp.objects.filter(lead=lead, author=owner).count() == 1
