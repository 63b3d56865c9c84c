"""Bulk moves (批量转移) in the browser, in English and in Chinese, on a phone (390 px) and a
desktop: a manager ticks customers on the team list, or all those matching its filter,
starts the move, and watches the job's progress bar reach 100% — the job run by a real Celery
worker (tests/workers.py) on the broker of this run, to which the live server sends it."""

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Team, User
from assignments.models import BulkReassignment, Ownership
from tests.assignments.bulk_world import check_job, give_customers, publishing_to
from tests.assignments.test_worker import broker_url, redis_server, stack  # noqa: F401
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LEADS_TOTAL = 500


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _shoot_element(locator, name):
    """One element, without the sticky top bar over it (the bar is the page's, not ours)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Through the CSSOM: an added <style> tag is an inline style the page's CSP refuses.
    bar = locator.page.locator(".topbar")
    bar.evaluate("(node) => node.style.setProperty('position', 'static', 'important')")
    locator.screenshot(path=str(SHOTS / f"{name}.png"))
    bar.evaluate("(node) => node.style.removeProperty('position')")


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """(width) => Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .slice(0, 8).map((el) => el.tagName + '.' + el.className + '#' + el.id
                + ' ' + Math.round(el.getBoundingClientRect().right))""",
        width,
    )
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px: {wide}"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_manager_moves_customers_and_watches_the_progress_bar(
    browser, live_server, login, language, request
):
    workers = request.getfixturevalue("stack")
    east = Team.objects.create(name="East China" if language == "en" else "华东销售一组")
    mia = make_user(
        "mia", role=User.Role.MANAGER, team=east, display_name="Mia Wang", language=language
    )
    east.manager = mia
    east.save()
    wang = make_user("wang", team=east, display_name="Wang Fang" if language == "en" else "王芳")
    amy, bo = (make_user(name, team=east, display_name=name.title()) for name in ("amy", "bo"))
    lead_ids = give_customers(LEADS_TOTAL, owner=wang, team=east, prefix="杭州客户")
    # Small chunks with a pause: the bar has several steps to show.
    workers.env.update(BULK_REASSIGN_CHUNK_SIZE="25", BULK_REASSIGN_PAUSE_SECONDS="0.1")
    workers.start_worker()

    with publishing_to(workers):
        # On a phone: two rows ticked by hand, to one rep.
        phone = browser.new_context(viewport=SIZES["390"]).new_page()
        login(phone, mia.username, PASSWORD)
        phone.goto(f"{live_server.url}/leads/team/?owner={wang.pk}")
        expect(phone.get_by_test_id("team-lead")).to_have_count(25)
        _fits(phone, 390)
        boxes = phone.get_by_test_id("select-lead")
        boxes.nth(0).check()
        boxes.nth(1).check()
        expect(phone.get_by_test_id("selected-count")).to_contain_text("2")
        phone.get_by_test_id("target-rep").select_option(str(amy.pk))
        phone.get_by_test_id("bulk-reason").fill("王芳离职 / Wang Fang leaves")
        _shoot(phone, f"bulk-team-form-{language}-390")
        _shoot_element(phone.get_by_test_id("bulk-move"), f"bulk-form-only-{language}-390")
        phone.get_by_test_id("bulk-move-submit").click()
        expect(phone.locator(".flash.success").first).to_be_visible()
        _watch_to_the_end(phone, language, total=2, shot=f"bulk-job-{language}-390")
        _fits(phone, 390)
        first = BulkReassignment.objects.get()
        assert check_job(first) == {"moved": 2}
        phone.context.close()

        # On a desktop: all the rest matching the filter, round robin over Amy and Bo.
        desk = browser.new_context(viewport=SIZES["desktop"]).new_page()
        login(desk, mia.username, PASSWORD)
        desk.goto(f"{live_server.url}/leads/team/?owner={wang.pk}")
        matching = desk.get_by_test_id("select-all-matching")
        expect(desk.locator("label.all-matching")).to_contain_text(str(LEADS_TOTAL - 2))
        matching.check()
        expect(desk.get_by_test_id("select-lead").first).to_be_disabled()
        desk.get_by_test_id("to-round-robin").check()
        reps = desk.get_by_test_id("target-reps")
        reps.get_by_label(amy.display_name).check()
        reps.get_by_label(bo.display_name).check()
        desk.get_by_test_id("bulk-reason").fill("王芳离职 / Wang Fang leaves")
        desk.get_by_test_id("bulk-override").check()
        _shoot(desk, f"bulk-team-form-{language}-desktop")
        _shoot_element(desk.get_by_test_id("bulk-move"), f"bulk-form-only-{language}-desktop")
        desk.get_by_test_id("bulk-move-submit").click()
        # The bar moves by itself while the worker moves 25 leads every ~0.1 s.
        seen = _percents_until_done(desk)
        assert any(0 < percent < 100 for percent in seen), seen
        _watch_to_the_end(
            desk, language, total=LEADS_TOTAL - 2, shot=f"bulk-job-{language}-desktop"
        )
        href = desk.get_by_test_id("bulk-csv").get_attribute("href")
        assert href.endswith("/report.csv")
        desk.context.close()

    second = BulkReassignment.objects.exclude(pk=first.pk).get()
    assert check_job(second) == {"moved": LEADS_TOTAL - 2}
    owners = Ownership.objects.filter(lead_id__in=lead_ids, ended_at__isnull=True)
    counts = {amy.pk: 0, bo.pk: 0}
    for owner_id in owners.values_list("owner_id", flat=True):
        counts[owner_id] += 1
    assert counts == {amy.pk: 2 + (LEADS_TOTAL - 2) // 2, bo.pk: (LEADS_TOTAL - 2) // 2}


def _percents_until_done(page) -> list[int]:
    """The percentages the page showed, read every 0.2 s until the job is done; the first
    one part way is photographed."""
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        progress = page.get_by_test_id("bulk-progress")
        state = progress.get_attribute("data-state")
        percent = int(page.get_by_test_id("bulk-percent").inner_text().rstrip("%"))
        if 0 < percent < 100 and not any(0 < p < 100 for p in seen):
            _shoot_element(
                page.locator("main"),
                f"bulk-job-running-{page.evaluate('document.documentElement.lang')}-desktop",
            )
        seen.append(percent)
        if state == "done":
            return seen
        time.sleep(0.2)
    raise AssertionError(f"not done within 60 s: {seen}")


def _watch_to_the_end(page, language, *, total: int, shot: str) -> None:
    """The job page polls by itself: the bar reaches 100%, the page reloads with the whole
    report, and the counts say every lead moved. (Checked by state, not words: the Chinese
    catalogue is completed apart.)"""
    expect(page).to_have_url(re.compile(r"/leads/bulk-moves/\d+/$"))
    progress = page.get_by_test_id("bulk-progress")
    expect(progress).to_have_attribute("data-state", "done", timeout=60_000)
    expect(page.get_by_test_id("bulk-percent")).to_have_text("100%")
    expect(page.get_by_test_id("bulk-bar")).to_have_attribute("value", str(total))
    expect(page.get_by_test_id("count-moved")).to_have_text(str(total))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_test_id("report-row").first).to_have_attribute("data-outcome", "moved")
    _shoot(page, shot)
    _shoot_element(page.locator("main"), f"{shot}-top")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_manager_hands_over_a_leaving_reps_500_customers(
    browser, live_server, login, language, request
):
    """离职交接: from the team list, the manager opens the leaving rep's hand-over page, sees
    what they hold, sends the customers round robin to two reps, confirms, and watches the
    bar reach 100%. The rep is deactivated at once."""
    workers = request.getfixturevalue("stack")
    east = Team.objects.create(name="East China" if language == "en" else "华东销售一组")
    mia = make_user(
        "mia", role=User.Role.MANAGER, team=east, display_name="Mia Wang", language=language
    )
    east.manager = mia
    east.save()
    wang = make_user("wang", team=east, display_name="Wang Fang" if language == "en" else "王芳")
    amy, bo = (make_user(name, team=east, display_name=name.title()) for name in ("amy", "bo"))
    lead_ids = give_customers(LEADS_TOTAL, owner=wang, team=east, prefix="杭州客户")
    workers.env.update(BULK_REASSIGN_CHUNK_SIZE="25", BULK_REASSIGN_PAUSE_SECONDS="0.1")
    workers.start_worker()

    with publishing_to(workers):
        page = browser.new_context(viewport=SIZES["390"]).new_page()
        login(page, mia.username, PASSWORD)
        page.goto(f"{live_server.url}/leads/team/")
        page.get_by_test_id("hand-over-links").locator("summary").click()
        page.get_by_test_id(f"hand-over-{wang.pk}").click()
        expect(page.get_by_test_id("fact-customers")).to_contain_text(str(LEADS_TOTAL))
        _fits(page, 390)
        page.get_by_test_id("to-round-robin").check()
        reps = page.get_by_test_id("target-reps")
        reps.get_by_label(amy.display_name).check()
        reps.get_by_label(bo.display_name).check()
        page.get_by_test_id("bulk-reason").fill("王芳离职 / Wang Fang leaves")
        page.get_by_test_id("bulk-override").check()
        page.get_by_test_id("hand-over-confirm").check()
        _shoot(page, f"hand-over-{language}-390")
        page.get_by_test_id("hand-over-submit").click()
        seen = _percents_until_done(page)
        assert any(0 < percent < 100 for percent in seen) or seen[-1] == 100, seen
        _watch_to_the_end(page, language, total=LEADS_TOTAL, shot=f"hand-over-job-{language}-390")
        _fits(page, 390)

    wang.refresh_from_db()
    assert not wang.is_active
    assert check_job(BulkReassignment.objects.get()) == {"moved": LEADS_TOTAL}
    owners = Ownership.objects.filter(lead_id__in=lead_ids, ended_at__isnull=True)
    assert sorted(owners.values_list("owner_id", flat=True).distinct()) == sorted([amy.pk, bo.pk])
    assert owners.count() == LEADS_TOTAL
