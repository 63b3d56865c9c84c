"""The lockout page and the audit log in a real browser, in both languages, at 1280 and
390 px: five wrong passwords, then the right one is refused with when to retry; the admin
finds those failed sign-ins and the lockout in the audit log. The browser conftest fails the
test on any Content-Security-Policy violation."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"desktop": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_lockout_page_and_audit_log(browser, live_server, login, language):
    make_user("rita", display_name="Rita Rep", language=language)
    make_user("root", role=User.Role.ADMIN, display_name="Root", language=language)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale=language)
        page = context.new_page()
        if size == "desktop":
            for _ in range(5):
                login(page, "rita", "wrong-password")
            login(page, "rita", PASSWORD)
        else:
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", "rita")
            page.fill("input[name=password]", PASSWORD)
            page.locator("form button[type=submit]").last.click()
        expect(page.get_by_test_id("locked-out")).to_be_visible()
        expect(page.get_by_test_id("locked-out")).to_contain_text("15")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        _shoot(page, f"locked-out-{language}-{size}")
        context.close()

    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, locale=language)
        page = context.new_page()
        login(page, "root", PASSWORD)
        page.goto(f"{live_server.url}/settings/audit/")
        rows = page.get_by_test_id("audit-row")
        expect(rows.first).to_be_visible()
        expect(page.locator('[data-testid=audit-row][data-kind="lockout"]')).to_have_count(1)
        assert page.locator('[data-testid=audit-row][data-kind="sign_in_failed"]').count() >= 6
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        _shoot(page, f"audit-log-{language}-{size}")
        page.get_by_test_id("audit-kind").select_option("lockout")
        page.locator("[data-testid=audit-filters] button[type=submit]").click()
        expect(page.get_by_test_id("audit-row")).to_have_count(1)
        expect(page.get_by_test_id("audit-row")).to_contain_text("rita")
        context.close()
