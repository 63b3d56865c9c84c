"""Imports (导入) in the pages: the link on the team list, the upload, the draft's preview and
mapping, starting it, the job's live part and its CSV; who may open what."""

import csv
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assignments.models import ImportJob
from assignments.services.import_run import run_import_job
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
BODY = "公司名称,手机,备注\n上海星辰科技有限公司,13800138000,x\n杭州云端网络有限公司,无,y\n"


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, data: bytes, name="list.csv"):
    return client.post(reverse("leads:imports"), {"file": SimpleUploadedFile(name, data)})


def test_team_list_links_to_imports_and_reps_are_refused(manager, rep):
    page = client_for(manager).get(reverse("leads:team"))
    assert reverse("leads:imports") in page.content.decode()
    assert client_for(rep).get(reverse("leads:imports")).status_code == 403
    assert upload(client_for(rep), BODY.encode()).status_code == 403


def test_upload_preview_map_start_and_report(manager, team, other_manager):
    client = client_for(manager)
    response = upload(client, BODY.encode("gbk"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "leads:import", args=[job.pk]
    )
    draft = client.get(response["Location"]).content.decode()
    # The preview shows the file's cells, the guessed mapping is selected.
    assert "上海星辰科技有限公司" in draft
    assert '<option value="company_name" selected>' in draft
    assert client_for(other_manager).get(reverse("leads:import", args=[job.pk])).status_code == 404

    with mock.patch("assignments.services.import_jobs.queue_import_job_run"):
        started = client.post(
            reverse("leads:import_start", args=[job.pk]),
            {
                "col_0": "company_name",
                "col_1": "contact_phone",
                "col_2": "city",
                "destination": "team_pool",
                "pool_team": team.pk,
            },
        )
    assert started.status_code == 302
    job.refresh_from_db()
    assert job.state == "queued" and job.mapping == ["company_name", "contact_phone", "city"]
    assert job.pool_team_id == team.pk
    # Started once: the start form answers 409 after that.
    again = client.post(
        reverse("leads:import_start", args=[job.pk]),
        {"col_0": "company_name", "destination": "routing"},
    )
    assert again.status_code == 409
    job.refresh_from_db()
    assert job.destination == "team_pool"

    live = client.get(reverse("leads:import", args=[job.pk]), {"part": "live"})
    assert 'hx-trigger="every 1s"' in live.content.decode()
    run_import_job(job_id=job.pk)
    live = client.get(reverse("leads:import", args=[job.pk]), {"part": "live"})
    assert live["HX-Refresh"] == "true"
    page = client.get(reverse("leads:import", args=[job.pk])).content.decode()
    assert 'data-outcome="created"' in page and 'data-code="invalid_phone"' in page
    assert f"The pool of {team.name}" in page

    report = client.get(reverse("leads:import_report", args=[job.pk]))
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "Row" and [line[1] for line in lines[1:]] == ["Created", "Invalid"]


def test_a_bad_file_is_shown_on_the_page(manager):
    response = upload(client_for(manager), b"\xd0\xcf\x11\xe0 old excel", name="a.xls")
    assert response.status_code == 400
    assert "Only CSV and Excel (.xlsx) files can be imported." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_draft_with_no_company_column_is_refused_with_a_message(manager):
    client = client_for(manager)
    upload(client, BODY.encode())
    job = ImportJob.objects.get()
    response = client.post(
        reverse("leads:import_start", args=[job.pk]),
        {"col_0": "", "col_1": "contact_phone", "destination": "routing"},
    )
    assert response.status_code == 400
    assert "Map one column to the company name." in response.content.decode()
    job.refresh_from_db()
    assert job.state == "draft"
