import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--no-leads")


def test_demo_rep_logs_in_and_sees_their_name(page, live_server, login, demo):
    login(page, "rep1", "noclash-demo")
    expect(page.get_by_test_id("user-name")).to_have_text("张伟 Zhang Wei")
    expect(page.get_by_test_id("welcome")).to_contain_text("Welcome, 张伟 Zhang Wei")
    expect(page.locator("header.topbar")).to_contain_text("华东销售一组 East China")


def test_switch_to_chinese_translates_the_navigation(page, live_server, login, demo):
    login(page, "rep1", "noclash-demo")
    nav = page.get_by_role("list", name="Main navigation")
    expect(nav).to_contain_text("Home")
    page.get_by_role("button", name="简体中文").click()
    nav = page.get_by_role("list", name="主导航")
    expect(nav).to_contain_text("首页")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    # Remembered on the user: a fresh browser context gets Chinese too.
    page.context.clear_cookies()
    login(page, "rep1", "noclash-demo")
    expect(page.get_by_role("list", name="主导航")).to_contain_text("首页")


def test_wrong_password_shows_an_error(page, live_server, login, demo):
    login(page, "rep1", "not-the-password")
    expect(page.get_by_test_id("login-error")).to_contain_text("Wrong username or password")
    expect(page).to_have_url(f"{live_server.url}/login/")
