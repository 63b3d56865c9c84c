"""Imports (导入) in the browser, in English and in Chinese, on a desktop (1280 px) and a phone
(390 px): a manager opens Import from the team list, uploads an Excel workbook (made here with
openpyxl) whose company column's header is not one the page can guess, maps that column by
hand, starts the import and watches the progress bar reach 100% — the job run by a real
Celery worker (tests/workers.py) — and the report shows the row that duplicates a rep's
customer, and whose it is."""

import hashlib
import os
import re
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.models import Team, User
from assignments.models import ImportJob, ImportRow
from assignments.services import create_lead
from tests.assignments.bulk_world import publishing_to
from tests.assignments.test_worker import broker_url, redis_server, stack  # noqa: F401
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
ROWS = 60


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    # "Firm" is no header the page knows: the user maps it to the company name.
    sheet.append(["Firm", "手机", "城市", "备注"])
    sheet.append(["北京远方贸易有限公司", 13700000001, "北京", "展会"])
    # Row 2: the rep's customer again (same phone): a duplicate.
    sheet.append(["上海星辰科技", 13800138000, "上海", "老客户"])
    for i in range(3, ROWS + 1):
        # Names that share no brand: none is a possible duplicate of another.
        tag = hashlib.sha256(f"import-{i}".encode()).hexdigest()[:10]
        sheet.append([f"Firm {tag}", 13600000000 + i, "", ""])
    book.save(path)
    return path


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_manager_imports_an_xlsx_maps_a_column_and_watches_the_bar(
    browser, live_server, login, language, request, tmp_path
):
    workers = request.getfixturevalue("stack")
    east = Team.objects.create(name="East China" if language == "en" else "华东销售一组")
    mia = make_user(
        "mia", role=User.Role.MANAGER, team=east, display_name="Mia Wang", language=language
    )
    east.manager = mia
    east.save()
    wang = make_user("wang", team=east, display_name="Wang Fang" if language == "en" else "王芳")
    create_lead(
        actor=wang,
        company_name="上海星辰科技有限公司",
        contacts=[{"name": "Zhang", "phone": "13800138000", "email": ""}],
    )
    xlsx = _workbook(tmp_path / "客户名单.xlsx")
    # A pause per row: the bar has steps to show.
    workers.env.update(IMPORT_PAUSE_SECONDS="0.05")
    workers.start_worker()

    with publishing_to(workers):
        desk = browser.new_context(viewport=SIZES["desktop"]).new_page()
        login(desk, mia.username, PASSWORD)
        desk.goto(f"{live_server.url}/leads/team/")
        desk.get_by_test_id("import-link").click()
        expect(desk).to_have_url(re.compile(r"/leads/imports/$"))
        desk.locator("input[type=file]").set_input_files(str(xlsx))
        _shoot(desk, f"import-upload-{language}-desktop")
        desk.get_by_test_id("upload").click()
        expect(desk).to_have_url(re.compile(r"/leads/imports/\d+/$"))
        expect(desk.locator("html")).to_have_attribute("lang", language)
        # The preview: the file's first rows under each column; the guesses selected.
        expect(desk.get_by_test_id("import-column")).to_have_count(4)
        expect(desk.get_by_test_id("import-column").first).to_contain_text("北京远方贸易有限公司")
        expect(desk.locator("select[name=col_0]")).to_have_value("")
        expect(desk.locator("select[name=col_1]")).to_have_value("contact_phone")
        expect(desk.locator("select[name=col_2]")).to_have_value("city")
        # The mapping change: the unguessed column is the company name.
        desk.locator("select[name=col_0]").select_option("company_name")
        desk.locator("input[name=destination][value=team_pool]").check()
        desk.locator("select[name=pool_team]").select_option(str(east.pk))
        _shoot(desk, f"import-mapping-{language}-desktop")
        job_url = desk.url

        phone = browser.new_context(viewport=SIZES["390"]).new_page()
        login(phone, mia.username, PASSWORD)
        phone.goto(job_url)
        expect(phone.get_by_test_id("import-column")).to_have_count(4)
        _fits(phone, 390)
        _shoot(phone, f"import-mapping-{language}-390")

        desk.get_by_test_id("start-import").click()
        expect(desk.locator(".flash.success").first).to_be_visible()
        seen = _percents_until_done(desk)
        assert any(0 < percent < 100 for percent in seen), seen
        expect(desk.get_by_test_id("import-percent")).to_have_text("100%")
        expect(desk.get_by_test_id("import-bar")).to_have_attribute("value", str(ROWS))
        expect(desk.get_by_test_id("count-created")).to_have_text(str(ROWS - 1))
        expect(desk.get_by_test_id("count-duplicate")).to_have_text("1")
        duplicate = desk.locator("[data-testid=report-row][data-outcome=duplicate]")
        expect(duplicate).to_have_count(1)
        expect(duplicate).to_contain_text("上海星辰科技有限公司")
        expect(duplicate).to_contain_text(wang.display_name)
        _shoot(desk, f"import-done-{language}-desktop")
        assert desk.get_by_test_id("import-csv").get_attribute("href").endswith("/report.csv")

        phone.goto(job_url)
        expect(phone.get_by_test_id("import-progress")).to_have_attribute("data-state", "done")
        _fits(phone, 390)
        _shoot(phone, f"import-done-{language}-390")
        phone.goto(f"{live_server.url}/leads/imports/")
        _fits(phone, 390)
        _shoot(phone, f"import-list-{language}-390")
        phone.context.close()
        desk.context.close()

    job = ImportJob.objects.get()
    assert (job.state, job.created, job.duplicates, job.mapping[0]) == (
        "done",
        ROWS - 1,
        1,
        "company_name",
    )
    row = ImportRow.objects.get(job=job, number=2)
    assert row.outcome == "duplicate" and row.matches[0]["owner"]["id"] == wang.pk
    first = ImportRow.objects.get(job=job, number=1)
    assert first.lead.company_name == "北京远方贸易有限公司" and first.pool_team_id == east.pk


def _percents_until_done(page) -> list[int]:
    seen: list[int] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        state = page.get_by_test_id("import-progress").get_attribute("data-state")
        percent = int(page.get_by_test_id("import-percent").inner_text().rstrip("%"))
        if 0 < percent < 100 and not any(0 < p < 100 for p in seen):
            lang = page.evaluate("document.documentElement.lang")
            _shoot(page, f"import-running-{lang}-desktop")
        seen.append(percent)
        if state == "done":
            return seen
        time.sleep(0.2)
    raise AssertionError(f"not done within 90 s: {seen}")
