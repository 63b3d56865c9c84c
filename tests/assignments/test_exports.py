"""Exports (导出): `GET /api/v1/leads/export/` gives exactly the rows the list gives the same
user with the same filters, masked as the list masks them, streamed, formula-safe, recorded."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl.utils.escape import unescape

from accounts import services as account_services
from assignments.exports.stream import start_export
from assignments.services import claim_lead, invite_collaborator
from leads.models import Contact, ExportRecord, FollowUp, Lead
from tests.conftest import expire_claim

URL = "/api/v1/leads/export/"
LIST_URL = "/api/v1/leads/"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    """The sheets' rows; text as Excel reads it (openpyxl leaves XML escapes such as
    `_x000D_`, a carriage return, as they are stored)."""
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    return [
        [unescape(value) if isinstance(value, str) else value for value in row]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]


def listed(client, **params) -> dict[int, dict]:
    """What the list API shows (every page)."""
    rows, url, query = {}, LIST_URL, {**params, "page_size": 100}
    while url:
        page = client.get(url, query).json()
        rows |= {lead["id"]: lead for lead in page["results"]}
        url, query = page["next"], None
    return rows


@pytest.fixture
def helping(world, make_lead):
    """The teammate invited the rep to help on the teammate's customer."""
    invite_collaborator(
        lead_id=world.ids["mate"], actor=world.users["teammate"], user_id=world.ids["rep"]
    )
    return world


ROLES_AND_SCOPES = [
    ("rep", "all"),
    ("rep", "pool"),
    ("rep", "mine"),
    ("rep", "helping"),
    ("teammate", "all"),
    ("manager", "all"),
    ("manager", "team"),
    ("manager", "pool"),
    ("other_manager", "team"),
    ("admin", "all"),
    ("admin", "team"),
]


@pytest.mark.parametrize(("role", "scope"), ROLES_AND_SCOPES)
def test_the_csv_has_the_lists_rows_masked_as_the_list_masks_them(helping, api, role, scope):
    client = api(helping.users[role])
    shown = listed(client, scope=scope)
    response = client.get(URL, {"format": "csv", "scope": scope})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="leads-{scope}-{day}.csv"'
    rows = csv_rows(response)
    assert sorted(int(row["ID"]) for row in rows) == sorted(shown)
    assert shown, "every role sees something in these scopes"
    for row in rows:
        lead = shown[int(row["ID"])]
        contact = lead["contacts"][0]
        assert row["Company"] == lead["company_name"]
        assert row["Phone"] == contact["phone"]
        assert row["E-mail"] == contact["email"]
        assert row["Primary contact"] == contact["name"]
        assert row["Owner"] == (lead["owner"] or {}).get("display_name", "")


def test_a_rep_sees_pool_phones_masked_and_their_own_and_helped_ones_in_full(helping, api):
    rows = {
        int(r["ID"]): r for r in csv_rows(api(helping.users["rep"]).get(URL, {"format": "csv"}))
    }
    ids = helping.ids
    assert set(rows) == {ids["own"], ids["cross"], ids["pool"], ids["team_pool"], ids["mate"]}
    for name in ("own", "cross", "mate"):
        assert "****" not in rows[ids[name]]["Phone"], name
        assert "***@" not in rows[ids[name]]["E-mail"], name
    for name in ("pool", "team_pool"):
        assert rows[ids[name]]["Phone"].count("*") == 4, name
        assert "***@" in rows[ids[name]]["E-mail"], name
    assert rows[ids["pool"]]["Team / pool"] == "Public pool"
    assert rows[ids["team_pool"]]["Team / pool"] == "East"
    assert rows[ids["own"]]["Owner"] == "Alice Rep"
    assert rows[ids["own"]]["Protected until"]


def test_managers_and_admins_see_contact_details_in_full(helping, api):
    for role in ("manager", "admin"):
        rows = csv_rows(api(helping.users[role]).get(URL, {"format": "csv", "scope": "pool"}))
        assert rows
        assert all("*" not in row["Phone"] for row in rows), role


def test_an_xlsx_holds_the_same_rows_as_the_csv(helping, api):
    client = api(helping.users["rep"])
    as_csv = csv_rows(client.get(URL, {"format": "csv"}))
    response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, *rows = xlsx_rows(response)
    assert header == list(as_csv[0])
    assert len(rows) == len(as_csv)
    for row, expected in zip(rows, as_csv, strict=True):
        values = dict(zip(header, row, strict=True))
        assert values["ID"] == int(expected["ID"])
        assert values["Phone"] == expected["Phone"]
        assert (values["Created at"] or "") and expected["Created at"].startswith(
            values["Created at"].strftime("%Y-%m-%d %H:%M")
        )


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"province": "浙江"}, {"zj"}),
        ({"q": "Unique Needle"}, {"needle"}),
        ({"city": "广州", "industry": "SaaS"}, {"gz_saas"}),
        ({"status": "lost"}, set()),
    ],
)
def test_the_lists_filters_are_honoured(admin_user, make_lead, api, params, names):
    made = {
        "zj": make_lead(province="浙江", city="杭州"),
        "needle": make_lead(company_name="Unique Needle Ltd"),
        "gz_saas": make_lead(province="广东", city="广州", industry="SaaS"),
        "gz_other": make_lead(province="广东", city="广州", industry="Retail"),
    }
    rows = csv_rows(api(admin_user).get(URL, {"format": "csv", "scope": "pool", **params}))
    assert {int(row["ID"]) for row in rows} == {made[name].pk for name in names}
    record = ExportRecord.objects.get()
    assert record.params == {"format": "csv", "scope": "pool", **params}


def test_the_team_list_owner_filter_is_honoured(helping, api):
    client = api(helping.users["manager"])
    rows = csv_rows(
        client.get(URL, {"format": "csv", "scope": "team", "owner": helping.ids["teammate"]})
    )
    assert [int(row["ID"]) for row in rows] == [helping.ids["mate"]]


def test_refusals_mirror_the_list(world, api):
    rep = api(world.users["rep"])
    assert rep.get(LIST_URL, {"scope": "team"}).status_code == 403
    response = rep.get(URL, {"format": "csv", "scope": "team"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    response = rep.get(URL, {"format": "csv", "scope": "everything"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = rep.get(URL, {"format": "csv", "status": "bogus"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"
    assert api().get(URL, {"format": "csv"}).status_code in (401, 403)
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("fmt", ["pdf", "", "CSV", "json"])
def test_an_unknown_format_is_a_400_with_a_code(world, api, fmt):
    response = api(world.users["rep"]).get(URL, {"format": fmt})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["code"] == "invalid_format"
    assert "csv" in data["detail"]
    assert not ExportRecord.objects.exists()


def test_a_nul_in_the_format_is_refused_before_the_export(world, api):
    response = api(world.users["rep"]).get(URL, {"format": "xlsx\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert not ExportRecord.objects.exists()


DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.fixture
def dangerous_leads(admin_user, make_lead):
    """Tab and CR can no longer come in through any door (names refuse control characters),
    but rows written before that rule may hold them: those are written straight to the table."""
    leads = []
    for n, text in enumerate(DANGEROUS):
        legacy = text[0] in "\t\r"
        clean = f"Legacy{n}" if legacy else text
        lead = make_lead(
            company_name=f"{clean} Firm {n}",
            industry=clean,
            contacts=[{"name": clean, "phone": f"1381234{9000 + n}", "email": ""}],
        )
        if legacy:
            Lead.objects.filter(pk=lead.pk).update(company_name=f"{text} Firm {n}", industry=text)
            Contact.objects.filter(lead=lead).update(name=text)
        leads.append(lead)
    return leads


def test_formula_cells_are_escaped_in_the_csv(dangerous_leads, admin_user, api):
    rows = csv_rows(api(admin_user).get(URL, {"format": "csv", "scope": "pool"}))
    assert len(rows) == len(DANGEROUS)
    for row in rows:
        for column in ("Company", "Industry", "Primary contact"):
            value = row[column]
            assert value.startswith("'"), (column, value)
            assert value[1:].rstrip() and value[1] in "=+-@\t\r"


def test_formula_cells_are_escaped_in_the_xlsx(dangerous_leads, admin_user, api):
    header, *rows = xlsx_rows(api(admin_user).get(URL, {"format": "xlsx", "scope": "pool"}))
    assert len(rows) == len(DANGEROUS)
    stored = {lead.company_name for lead in Lead.objects.all()}
    for row in rows:
        values = dict(zip(header, row, strict=True))
        for column in ("Company", "Industry", "Primary contact"):
            value = values[column]
            assert isinstance(value, str) and value.startswith("'"), (column, value)
        assert values["Company"][1:] in stored


def test_safe_values_are_left_alone(admin_user, make_lead, api):
    lead = make_lead(company_name="Acme - Shanghai = good", industry="B2B")
    rows = csv_rows(api(admin_user).get(URL, {"format": "csv", "scope": "pool"}))
    assert rows[0]["Company"] == lead.company_name
    assert rows[0]["Industry"] == "B2B"


def test_each_export_is_recorded(helping, api):
    rep = helping.users["rep"]
    started = timezone.now()
    rows = csv_rows(api(rep).get(URL, {"format": "csv", "scope": "pool", "city": ""}))
    record = ExportRecord.objects.get()
    assert record.user == rep
    assert record.format == "csv"
    assert record.scope == "pool"
    assert record.params == {"format": "csv", "scope": "pool", "city": ""}
    assert record.rows == len(rows) == 2
    assert record.completed
    assert started <= record.started_at <= record.finished_at <= timezone.now()


def test_a_download_cut_short_is_recorded_as_incomplete(helping, settings):
    """When the client goes away the server closes the response, which closes its stream."""
    settings.EXPORT_BATCH_SIZE = 1
    export = start_export(user=helping.users["rep"], format="csv", scope="all", params={})
    next(export.chunks)
    record = ExportRecord.objects.get()
    assert record.finished_at is None and record.rows is None
    export.chunks.close()
    record.refresh_from_db()
    assert not record.completed
    assert record.rows == 1
    assert record.finished_at is not None


def test_the_header_row_is_in_the_users_language(helping, api):
    rep = helping.users["rep"]
    account_services.set_user_language(user=rep, language="zh-hans")
    text = body(api(rep).get(URL, {"format": "csv", "scope": "pool"})).decode("utf-8")
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header[1:5] == ["公司", header[2], "状态", "负责人"]
    assert "电话" in header
    assert "公海池" in text
    header, *_rows = xlsx_rows(api(rep).get(URL, {"format": "xlsx", "scope": "pool"}))
    assert header[1] == "公司"


def _bulk_pool_leads(count: int, author) -> None:
    """Many pool customers, written directly (the create service's duplicate check costs
    milliseconds each): contacts and a follow-up each, which the export reads per batch."""
    created = Lead.objects.bulk_create(
        [Lead(company_name=f"Bulk {n:05d}", province="浙江") for n in range(count)]
    )
    Contact.objects.bulk_create(
        [Contact(lead=lead, name="Li", phone=f"139{n:08d}") for n, lead in enumerate(created)]
    )
    FollowUp.objects.bulk_create(
        [FollowUp(lead=lead, author=author, kind="call", note="hi") for lead in created]
    )


def _count_queries(client, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
        rows = (
            len(csv_rows(response)) if params["format"] == "csv" else len(xlsx_rows(response)) - 1
        )
    return len(queries), rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    world,
    api,
    settings,
    fmt,
):
    """One statement per batch and kind of data, never one per row."""
    settings.EXPORT_BATCH_SIZE = 10_000
    manager = world.users["manager"]
    claim_lead(lead_id=world.ids["team_pool"], actor=world.users["teammate"])
    client = api(manager)
    few, few_rows = _count_queries(client, format=fmt, scope="pool")
    _bulk_pool_leads(3000, manager)
    many, many_rows = _count_queries(client, format=fmt, scope="pool")
    assert many_rows == few_rows + 3000
    assert many == few


def test_batches_read_everything_once_and_in_order(admin_user, api, settings):
    settings.EXPORT_BATCH_SIZE = 700
    _bulk_pool_leads(2500, admin_user)
    rows = csv_rows(api(admin_user).get(URL, {"format": "csv", "scope": "pool"}))
    ids = [int(row["ID"]) for row in rows]
    assert ids == sorted(Lead.objects.values_list("pk", flat=True))
    assert all(row["Last follow-up"] for row in rows)
    assert ExportRecord.objects.get().rows == 2500


def test_an_expired_claim_is_exported_as_in_the_pool(world, api):
    expire_claim(world.ids["claimed"], ago=timedelta(minutes=1))
    rows = csv_rows(api(world.users["rep"]).get(URL, {"format": "csv", "scope": "pool"}))
    row = next(r for r in rows if int(r["ID"]) == world.ids["claimed"])
    assert row["Owner"] == ""
    assert row["Team / pool"] == "Public pool"
    assert row["Phone"].count("*") == 4
