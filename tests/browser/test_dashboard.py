"""The managers' dashboard (经理看板) in the browser, in English and in Chinese: a manager
opens it over the fixed history of tests/assignments/stats_world.py, every chart is drawn
(a canvas with Chart.js behind it and coloured pixels on it), the tables under them say the
same numbers, at a desktop's width and at 390 px (no sideways scrolling of the page); and
without JavaScript the tables are still there."""

import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import Team, User
from tests.assignments.stats_world import RANGE, build, open_claims
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"desktop": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
NAMES = ["collisions", "requests", "activity", "expiring", "pool-flow", "funnel", "won"]
# The range of the fixed history, and its credits (February to April).
QUERY = urlencode({"from": "2026-02-16", "to": RANGE["to"]})
# Chinese: 经理看板 once the catalogue has it (the lead engineer translates at the end).
TITLES = {"en": re.compile("^Dashboard$"), "zh-hans": re.compile("^(经理看板|Dashboard)$")}
# A week's label in the chart and the tables, in the reader's way of writing dates.
WEEK = {"en": "February 16", "zh-hans": "2月16日"}

# Coloured (non-transparent) pixels of a canvas, and whether Chart.js owns it.
DRAWN = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return {painted, chart: !!window.Chart.getChart(canvas), width: canvas.clientWidth};
}"""


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _world(language: str):
    east = Team.objects.create(name="East China" if language == "en" else "华东销售一组")
    south = Team.objects.create(name="South China" if language == "en" else "华南销售二组")
    manny = make_user(
        "manny", role=User.Role.MANAGER, team=east, display_name="Manny Li", language=language
    )
    east.manager = manny
    east.save()
    olga = make_user("olga", role=User.Role.MANAGER, team=south, display_name="Olga Zhou")
    south.manager = olga
    south.save()
    names = (
        ("Alice Rep", "Bob Rep", "Charlie Rep") if language == "en" else ("王丽", "陈波", "张超")
    )
    world = build(
        team=east,
        other_team=south,
        manager=manny,
        other_manager=olga,
        rep=make_user("alice", team=east, display_name=names[0]),
        teammate=make_user("bob", team=east, display_name=names[1]),
        outsider=make_user("charlie", team=south, display_name=names[2]),
        admin_user=make_user("root", role=User.Role.ADMIN, display_name="Root"),
    )
    open_claims(world)
    return world


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_manager_reads_the_dashboard_with_its_charts(browser, live_server, login, language):
    world = _world(language)
    for size, viewport in SIZES.items():
        page = browser.new_context(viewport=viewport, locale="en-US").new_page()
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        login(page, world.manny.username, PASSWORD)
        page.goto(f"{live_server.url}/dashboard/?{QUERY}")
        expect(page.locator("h2")).to_have_text(TITLES[language])
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_test_id("table-collisions")).to_contain_text(WEEK[language])
        for name in NAMES:
            canvas = page.get_by_test_id(f"chart-{name}")
            expect(canvas).to_be_visible()
            drawn = canvas.evaluate(DRAWN)
            assert drawn["chart"] and drawn["painted"] > 500, (name, size, drawn)
            # Responsive: the chart fits the width it was given.
            assert drawn["width"] <= viewport["width"], (name, drawn)
            expect(page.get_by_test_id(f"table-{name}")).to_be_visible()
        # The tables say what the history says: East's 4 blocked collisions since February
        # 16th, its reps' claims (not South's).
        expect(page.get_by_test_id("figure-blocked").locator("dd")).to_have_text("4")
        expect(page.get_by_test_id("table-activity")).to_contain_text(world.alice.display_name)
        expect(page.get_by_test_id("table-activity")).not_to_contain_text(
            world.charlie.display_name
        )
        assert not errors, errors
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (size, width)
        _shoot(page, f"dashboard-{language}-{size}")
        page.context.close()


def test_without_javascript_the_tables_stay(browser, live_server):
    world = _world("en")
    # Signed in by a session cookie (the login page is not what this test is about).
    session = Client()
    session.force_login(world.manny)
    context = browser.new_context(viewport=SIZES["390"], java_script_enabled=False)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/dashboard/?{QUERY}")
    for name in NAMES:
        expect(page.get_by_test_id(f"table-{name}")).to_be_visible()
        # The empty chart boxes stay hidden instead of leaving holes.
        expect(page.get_by_test_id(f"chart-{name}")).to_be_hidden()
    expect(page.get_by_test_id("table-funnel")).to_contain_text("Qualified")
    _shoot(page, "dashboard-en-390-no-js")
    context.close()
