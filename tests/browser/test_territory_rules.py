"""Territory rules in the browser, in English and in Chinese: an admin adds the rule
"浙江 → East China team, round robin" in the console, watches the preview change as they
type (the 浙江 customers created earlier went to the public pool; under the edited rules
they would go to the team's reps), saves; then a manager's new customer in 杭州 (no
province typed) lands with a rep of that team, and the customer's page says why."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Team, User
from assignments import services
from assignments.models import OwnershipEvent, TerritoryRule
from leads.models import Lead
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WORDS = {
    "en": {"saved": "is saved", "created": "Customer created."},
    "zh-hans": {"saved": "已保存", "created": "客户已创建。"},
}


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_admin_routes_zhejiang_to_east_china_and_a_new_hangzhou_customer_follows(
    browser, live_server, login, language
):
    east = Team.objects.create(name="East China" if language == "en" else "华东销售一组")
    south = Team.objects.create(name="South China" if language == "en" else "华南销售二组")
    admin = make_user("root", role=User.Role.ADMIN, display_name="Root", language=language)
    mia = make_user(
        "mia", role=User.Role.MANAGER, team=east, display_name="Mia Wang", language=language
    )
    east.manager = mia
    east.save()
    reps = [make_user(name, team=east, display_name=name.title()) for name in ("amy", "bo")]
    make_user("sam", team=south, display_name="Sam")
    # Created before any rule: the 浙江 customers went to the public pool.
    for company, city in (("宁波海川贸易有限公司", "宁波"), ("温州瓯江阀门有限公司", "温州")):
        services.create_lead(actor=mia, company_name=company, province="浙江", city=city)
    services.create_lead(actor=mia, company_name="广州珠江食品有限公司", province="广东")
    assert not Lead.objects.filter(ownerships__isnull=False).exists()

    for size, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport).new_page()
        login(page, admin.username, PASSWORD)
        page.goto(f"{live_server.url}/settings/")
        page.get_by_test_id("console-tab-rules").click()
        page.get_by_test_id("new-rule").click()
        preview = page.get_by_test_id("rule-preview")
        # The rules in force (none): nothing would change.
        expect(preview.get_by_test_id("preview-summary")).to_be_visible()
        expect(preview.get_by_test_id("preview-difference")).to_have_count(0)
        if size == "desktop":
            break
        # On a phone: the editor fits the width (no sideways scrolling).
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], width
        _shoot(page, f"rule-editor-empty-{language}-{size}")
        page.context.close()

    page.get_by_test_id("rule-name-input").fill("浙江 → 华东")
    page.get_by_test_id("target-kind").select_option("round_robin")
    page.get_by_test_id("target-team").select_option(str(east.pk))
    row = page.get_by_test_id("condition-row").first
    row.get_by_test_id("cond-field").select_option("province")
    row.get_by_test_id("cond-op").select_option("equals")
    row.get_by_test_id("cond-value").press_sequentially("浙江")
    # The preview follows the typing: both 浙江 customers would now go to East China's reps.
    expect(preview.get_by_test_id("preview-difference")).to_have_count(2)
    expect(preview.get_by_test_id("preview-differences")).to_contain_text("宁波海川贸易有限公司")
    expect(preview.get_by_test_id("preview-differences")).not_to_contain_text("广州珠江")
    expect(preview.get_by_test_id("preview-targets")).to_contain_text(east.name)
    _shoot(page, f"rule-editor-preview-{language}-desktop")
    page.get_by_test_id("save-rule").click()
    expect(page.get_by_role("alert").or_(page.locator(".flash")).first).to_contain_text(
        WORDS[language]["saved"]
    )
    expect(page.get_by_test_id("rule-row")).to_have_count(1)
    expect(page.get_by_test_id("rule-words")).to_contain_text("浙江")
    expect(page.get_by_test_id("rule-words")).to_contain_text(east.name)
    expect(page.get_by_test_id("rule-change")).to_have_count(1)
    _shoot(page, f"rules-list-{language}-desktop")
    rule = TerritoryRule.objects.get()
    assert (rule.target_kind, rule.target_team_id, rule.version) == ("round_robin", east.pk, 1)

    # The manager's new customer in 杭州, no province typed.
    manager = browser.new_context(viewport=SIZES["390"]).new_page()
    login(manager, mia.username, PASSWORD)
    manager.goto(f"{live_server.url}/leads/new/")
    manager.fill("input[name=company_name]", "杭州云帆物流有限公司")
    manager.fill("input[name=city]", "杭州")
    manager.locator("#lead-form button[type=submit]").last.click()
    expect(manager.locator(".flash").first).to_contain_text(WORDS[language]["created"])
    lead = Lead.objects.get(company_name="杭州云帆物流有限公司")
    owner = lead.ownerships.get(ended_at__isnull=True).owner
    assert owner in reps
    event = OwnershipEvent.objects.get(lead=lead, kind=OwnershipEvent.Kind.ASSIGN)
    assert event.details["rule"] == {"id": rule.pk, "name": "浙江 → 华东", "version": 1}
    explained = manager.get_by_test_id("route-explained").first
    expect(explained).to_contain_text("浙江 → 华东")
    expect(explained).to_contain_text(owner.display_name)
    expect(explained).to_contain_text(east.name)
    _shoot(manager, f"routed-customer-{language}-390")
