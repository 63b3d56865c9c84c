"""Export (导出) from a list page in the browser, in English and in Chinese: a rep filters the
public pool, follows the page's CSV and Excel links and gets files holding exactly the
filtered rows, with the header row in their language and the pool's phones masked."""

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.models import User
from assignments import services
from leads.models import ExportRecord
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}
# Header words already in the Chinese catalogue.
HEADER = {"en": ("Company", "Phone"), "zh-hans": ("公司", "电话")}


@pytest.mark.parametrize("size", ["390", "1280"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_rep_exports_the_filtered_pool(browser, live_server, login, team, language, size):
    boss = make_user("boss", role=User.Role.ADMIN)
    amy = make_user("amy", team=team, display_name="Amy Chen", language=language)
    zhejiang = [
        services.create_lead(
            actor=boss,
            company_name=name,
            province="浙江",
            city="杭州",
            contacts=[{"name": "王经理", "phone": phone, "email": email}],
        )
        for name, phone, email in (
            ("杭州云帆物流有限公司", "13812348001", "wang@yunfan.cn"),
            ("=HYPERLINK(1)", "13812348002", "li@hyperlink-test.cn"),
        )
    ]
    services.create_lead(actor=boss, company_name="苏州远山机械有限公司", province="江苏")

    page = browser.new_context(viewport=SIZES[size], accept_downloads=True).new_page()
    login(page, amy.username, PASSWORD)
    page.goto(f"{live_server.url}/leads/pool/")
    page.fill("input[name=province]", "浙江")
    page.locator("form.filters button[type=submit]").click()
    expect(page.get_by_test_id("pool-row")).to_have_count(2)
    links = page.get_by_test_id("export-links")
    expect(links).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"export-pool-{language}-{size}.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    download = info.value
    assert download.suggested_filename.startswith("leads-pool-")
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    company, phone = (header.index(word) for word in HEADER[language])
    assert sorted(row[company] for row in rows) == sorted(
        ["杭州云帆物流有限公司", "'=HYPERLINK(1)"]
    )
    assert sorted(row[phone] for row in rows) == ["138****8001", "138****8002"]

    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = io.BytesIO(Path(download.path()).read_bytes())
    sheet = openpyxl.load_workbook(data, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[company] == HEADER[language][0]
    assert sorted(row[0] for row in rows) == sorted(lead.pk for lead in zhejiang)

    records = list(ExportRecord.objects.order_by("id").values_list("format", "rows", "params"))
    assert [(fmt, rows) for fmt, rows, _params in records] == [("csv", 2), ("xlsx", 2)]
    assert all(params["province"] == "浙江" for _f, _r, params in records)
