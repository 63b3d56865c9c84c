"""Imports (导入) over the API: `POST /api/v1/imports/` (multipart) → 202 with the job,
`GET /api/v1/imports/{id}/` (progress, counts and the paged report), the list and the CSV;
who may do what (a rep 403, another manager 404, an admin sees all), and bad input answered
400 with a stable code."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.models import ImportJob
from assignments.services.import_run import run_import_job

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"
BODY = (
    "Company name,Contact,Phone,Province,Remark\n"
    "Acme Robotics Ltd,Wang,13800138000,上海,call back\n"
    "Acme Robotics Ltd,Li,13800138000,上海,again\n"
    ",Zhao,13700001111,,\n"
).encode()


def send(api, user, data=BODY, name="list.csv", **fields):
    payload = {"file": SimpleUploadedFile(name, data), **fields}
    return api(user).post(URL, payload, format="multipart")


def test_post_answers_202_and_get_shows_counts_and_report(api, manager, team):
    response = send(api, manager, pool=str(team.pk), mapping=json.dumps({"Remark": ""}))
    assert response.status_code == 202, response.json()
    body = response.json()
    assert response["Location"] == f"{URL}{body['id']}/"
    assert (body["state"], body["total"], body["processed"], body["percent"]) == (
        "queued",
        3,
        0,
        0,
    )
    assert body["mapping"] == ["company_name", "contact_name", "contact_phone", "province", ""]
    assert body["destination"] == "team_pool" and body["pool_team"]["id"] == team.pk
    assert body["started_at"] is None and body["finished_at"] is None

    run_import_job(job_id=body["id"])
    detail = api(manager).get(f"{URL}{body['id']}/").json()
    assert (detail["state"], detail["percent"]) == ("done", 100)
    assert detail["counts"] == {
        "created": 1,
        "duplicate": 1,
        "invalid": 1,
        "failed": 0,
        "pending": 0,
    }
    rows = detail["report"]["results"]
    assert [(r["row"], r["outcome"], r["code"]) for r in rows] == [
        (1, "created", ""),
        (2, "duplicate", "duplicate_in_pool"),
        (3, "invalid", "missing_company"),
    ]
    assert rows[0]["pool_team"] == {"id": team.pk, "name": team.name}
    assert rows[0]["owner"] is None and rows[0]["lead"] is not None
    assert rows[1]["matches"][0]["lead"] == rows[0]["lead"]
    assert rows[1]["matches"][0]["owner"] is None

    # Paged: one row a page, `next` goes on after the last row shown.
    first = api(manager).get(f"{URL}{body['id']}/", {"page_size": 1}).json()
    assert [r["row"] for r in first["report"]["results"]] == [1]
    second = api(manager).get(first["report"]["next"]).json()
    assert [r["row"] for r in second["report"]["results"]] == [2]
    only_invalid = api(manager).get(f"{URL}{body['id']}/", {"outcome": "invalid"}).json()
    assert [r["row"] for r in only_invalid["report"]["results"]] == [3]

    report = api(manager).get(f"{URL}{body['id']}/report.csv")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert [(line["row"], line["outcome"]) for line in lines] == [
        ("1", "created"),
        ("2", "duplicate"),
        ("3", "invalid"),
    ]
    assert lines[1]["duplicate_of"] == str(rows[0]["lead"])

    listed = api(manager).get(URL).json()
    assert [job["id"] for job in listed["results"]] == [body["id"]]


def test_a_rep_is_refused_and_another_manager_sees_nothing(
    api, manager, rep, other_manager, admin_user
):
    assert send(api, rep).status_code == 403
    assert send(api, rep).json()["code"] == "permission_denied"
    job_id = send(api, manager).json()["id"]
    assert api(rep).get(f"{URL}{job_id}/").status_code == 403
    assert api(rep).get(URL).status_code == 403
    for path in (f"{URL}{job_id}/", f"{URL}{job_id}/report.csv"):
        response = api(other_manager).get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api(other_manager).get(URL).json()["results"] == []
    assert api(admin_user).get(f"{URL}{job_id}/").status_code == 200
    assert [j["id"] for j in api(admin_user).get(URL).json()["results"]] == [job_id]


@pytest.mark.parametrize(
    ("fields", "data", "name", "code"),
    [
        ({}, b"", "a.csv", "file_empty"),
        ({}, b"\xd0\xcf\x11\xe0 old excel", "a.xls", "file_format"),
        ({}, b"PK\x03\x04 broken", "a.xlsx", "file_unreadable"),
        ({"mapping": "{not json"}, BODY, "a.csv", "invalid_mapping"),
        ({"mapping": json.dumps({"No such column": "city"})}, BODY, "a.csv", "invalid_mapping"),
        ({"mapping": json.dumps({"Remark": "owner"})}, BODY, "a.csv", "invalid_mapping"),
        ({"mapping": json.dumps({"Company name": ""})}, BODY, "a.csv", "company_column_required"),
        ({"pool": "999999"}, BODY, "a.csv", "invalid_target"),
        ({"pool": "x"}, BODY, "a.csv", "invalid_target"),
    ],
)
def test_bad_uploads_are_400_with_a_code(api, manager, fields, data, name, code):
    response = send(api, manager, data=data, name=name, **fields)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert not ImportJob.objects.exists()


def test_no_file_too_large_and_another_teams_pool(api, manager, other_team, settings):
    response = api(manager).post(URL, {"pool": "routing"}, format="multipart")
    assert (response.status_code, response.json()["code"]) == (400, "file_required")
    response = send(api, manager, pool=str(other_team.pk))
    assert (response.status_code, response.json()["code"]) == (403, "out_of_scope")
    settings.IMPORT_MAX_BYTES = 20
    response = send(api, manager)
    assert (response.status_code, response.json()["code"]) == (400, "file_too_large")
    # JSON is not how a file is sent.
    response = api(manager).post(URL, {"file": "x"}, format="json")
    assert response.status_code == 415


def test_unknown_job_is_404(api, manager):
    assert api(manager).get(f"{URL}999999/").status_code == 404
