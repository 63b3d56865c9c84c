"""The 404 and 500 pages in a real browser, in both languages, at 1280 and 390 px: readable,
nothing wider than the screen, a way back home."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture
def crashing_urls(settings):
    settings.ROOT_URLCONF = "tests.crm.crash_urls"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1280, 390])
def test_error_pages_fit_the_screen(page, live_server, login, crashing_urls, language, width):
    make_user("erin", display_name="Erin Rep")
    page.set_viewport_size({"width": width, "height": 800})
    page.context.set_extra_http_headers({"Accept-Language": language})
    login(page, "erin", PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for url, status in (("/no-such-page/", "404"), ("/crash/", "500")):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == int(status)
        expect(page.get_by_test_id("error-page")).to_contain_text(status)
        home = page.locator("[data-testid=error-page] a")
        expect(home).to_be_visible()
        assert home.get_attribute("href") == "/"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, (url, scroll)
        page.screenshot(path=str(SHOTS / f"error-{status}-{language}-{width}.png"), full_page=True)
