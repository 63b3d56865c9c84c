"""Importing a customer list goes through the same duplicate check as one creation: against
the database and against the rows before it."""

import io

import pytest
from django.core.management import call_command

from leads.models import Lead

pytestmark = pytest.mark.django_db

CSV = """\ufeffcompany_name,city,contact_name,contact_phone,contact_email,website
深圳市星辰信息科技有限公司,深圳,陈总,13800138000,chen@xingchen-tech.cn,
杭州云帆网络科技有限公司,杭州,李雷,13588886666,,
星辰信息科技（深圳）有限公司,深圳市,王,,,
Acme Trading Ltd,London,Jo,+44 20 7946 0958,jo@acme.co.uk,https://www.acme.co.uk
Acme Tradng Limited,London,,,,
,上海,无名,13900000000,,
福州甲乙,福州,,,,not a site
"""


def import_csv(tmp_path, *args):
    path = tmp_path / "leads.csv"
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_leads", str(path), *args, stdout=out)
    return out.getvalue()


def test_import_creates_new_customers_and_refuses_duplicates(tmp_path, admin_user, rep, api):
    # A rep already owns the Hangzhou customer.
    owned = api(rep).post(
        "/api/v1/leads/",
        {
            "company_name": "云帆网络科技（杭州）",
            "contacts": [{"name": "x", "phone": "135 8888 6666"}],
        },
        format="json",
    )
    assert owned.status_code == 201
    output = import_csv(tmp_path, "--as", admin_user.username)
    assert "row 2: duplicate_owned" in output
    assert "row 3: duplicate_in_pool" in output  # the same customer as row 1, just imported
    assert "row 5: possible_duplicate" in output
    assert "row 6: invalid" in output  # no company name
    assert "Imported 3 of 7 rows" in output
    names = set(Lead.objects.values_list("company_name", flat=True))
    assert {"深圳市星辰信息科技有限公司", "Acme Trading Ltd", "福州甲乙"} <= names
    assert Lead.objects.count() == 4


def test_confirmed_import_passes_weak_matches_only(tmp_path, admin_user):
    output = import_csv(tmp_path, "--as", admin_user.username, "--confirm-duplicates")
    assert "row 5" not in output
    assert "row 3: duplicate_in_pool" in output
    assert Lead.objects.filter(company_name="Acme Tradng Limited").exists()


def test_import_api_reports_each_row(api, admin_user, rep):
    rows = [
        {"company_name": "宁波海星贸易有限公司", "city": "宁波", "contact_phone": "0574 87654321"},
        {"company_name": "海星贸易（宁波）", "city": "宁波市"},
        {"company_name": "Haixing", "contact_name": "a", "contact_phone": "0574-8765 4321"},
    ]
    response = api(admin_user).post("/api/v1/leads/import/", {"rows": rows}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["code"] for r in body["results"]] == [
        "created",
        "duplicate_in_pool",
        "duplicate_in_pool",
    ]
    assert body["created"] == 1
    assert body["results"][1]["matches"][0]["lead"] == body["results"][0]["lead"]


def test_reps_cannot_import(api, rep):
    response = api(rep).post("/api/v1/leads/import/", {"rows": []}, format="json")
    assert response.status_code == 403
