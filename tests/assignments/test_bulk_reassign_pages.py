"""Bulk moves (批量转移) in the pages: the form under the team list, the job's page with its
progress (polled by htmx), its report and CSV; who may open what."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from assignments.models import BulkReassignment, Ownership
from assignments.services.bulk_reassign import BulkTarget, submit_bulk_reassignment
from assignments.services.bulk_reassign_run import run_bulk_reassignment
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def client_for(user, language: str | None = None) -> Client:
    client = Client(headers={"Accept-Language": language} if language else {})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def owner_of(lead) -> int | None:
    period = Ownership.objects.filter(lead=lead, ended_at__isnull=True).first()
    return period.owner_id if period else None


@pytest.fixture
def alice_leads(rep, make_lead):
    return [
        make_lead(actor=rep, company_name=f"Alice Customer {i}", city="杭州" if i % 2 else "宁波")
        for i in range(5)
    ]


def test_team_list_offers_checkboxes_all_matching_and_the_form(manager, alice_leads):
    page = client_for(manager).get(reverse("leads:team"), {"city": "杭州"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="select-lead"') == 2
    assert 'data-testid="select-all-matching"' in html
    assert "Select all 2 customers matching this filter" in html
    assert 'name="filter_city" value="杭州"' in html
    assert 'data-testid="bulk-move-submit"' in html


def test_reps_see_no_team_list_and_cannot_post_a_move(rep, teammate, alice_leads):
    client = client_for(rep)
    assert client.get(reverse("leads:team")).status_code == 403
    response = client.post(
        reverse("leads:bulk_moves"),
        {"lead_ids": [alice_leads[0].pk], "to": "rep", "rep": teammate.pk, "reason": "x"},
    )
    assert response.status_code == 403
    assert client.get(reverse("leads:bulk_moves")).status_code == 403
    assert not BulkReassignment.objects.exists()


def test_ticked_rows_are_moved_and_the_manager_lands_on_the_job_page(
    manager, rep, teammate, alice_leads
):
    client = client_for(manager)
    response = client.post(
        reverse("leads:bulk_moves"),
        {
            "lead_ids": [alice_leads[0].pk, alice_leads[1].pk],
            "to": "rep",
            "rep": teammate.pk,
            "reason": "Alice is on leave",
        },
    )
    job = BulkReassignment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:bulk_move", args=[job.pk])
    assert (job.total, job.target_reps, job.reason) == (2, [teammate.pk], "Alice is on leave")

    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html  # still queued: the page polls
    assert "0 of 2 processed" in html

    poll = client.get(reverse("leads:bulk_move", args=[job.pk]), {"part": "live"})
    assert "HX-Refresh" not in poll
    assert 'hx-trigger="every 1s"' in poll.content.decode()
    assert "<html" not in poll.content.decode()

    run_bulk_reassignment(job_id=job.pk)
    poll = client.get(reverse("leads:bulk_move", args=[job.pk]), {"part": "live"})
    assert poll["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in poll.content.decode()
    assert "100%" in poll.content.decode()
    assert poll.content.decode().count('data-outcome="moved"') == 2

    page = client.get(reverse("leads:bulk_move", args=[job.pk])).content.decode()
    assert "2 of 2 processed" in page
    assert page.count('data-testid="report-row"') == 2
    assert 'hx-trigger="every 1s"' not in page
    assert [owner_of(lead) for lead in alice_leads[:2]] == [teammate.pk] * 2
    # The rep hears once; the history says it was a bulk move.
    note = Notification.objects.get(user=teammate, kind="reassigned")
    assert note.payload["count"] == 2
    notices = client_for(teammate).get(reverse("notifications")).content.decode()
    assert "Manny moved 2 customers to you." in notices
    detail = client.get(reverse("leads:detail", args=[alice_leads[0].pk])).content.decode()
    assert 'data-testid="bulk-badge"' in detail


def test_all_matching_moves_what_the_filter_shows(manager, rep, teammate, carol, alice_leads):
    response = client_for(manager).post(
        reverse("leads:bulk_moves"),
        {
            "all_matching": "1",
            "filter_city": "杭州",
            "to": "round_robin",
            "reps": [teammate.pk, carol.pk],
            "reason": "Hangzhou goes to Bob and Carol",
        },
    )
    assert response.status_code == 302
    job = BulkReassignment.objects.get()
    assert job.source == {"filter": {"city": "杭州"}}
    run_bulk_reassignment(job_id=job.pk)
    hangzhou = [lead for lead in alice_leads if lead.city == "杭州"]
    assert sorted(owner_of(lead) for lead in hangzhou) == sorted([teammate.pk, carol.pk])
    assert all(owner_of(lead) == rep.pk for lead in alice_leads if lead.city != "杭州")


@pytest.fixture
def carol(team, manager):
    return make_user("carol", team=team, display_name="Carol Rep")


def test_to_the_public_pool(manager, rep, alice_leads):
    client_for(manager).post(
        reverse("leads:bulk_moves"),
        {"lead_ids": [alice_leads[0].pk], "to": "public_pool", "reason": "Nobody works it"},
    )
    run_bulk_reassignment(job_id=BulkReassignment.objects.get().pk)
    alice_leads[0].refresh_from_db()
    assert owner_of(alice_leads[0]) is None and alice_leads[0].pool_team_id is None


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"to": "rep", "reason": "x"}, "Tick the customers to move"),
        ({"to": "rep", "reason": "x", "lead_ids": ["{lead}"]}, "Choose the rep."),
        ({"to": "round_robin", "reason": "x", "lead_ids": ["{lead}"]}, "Choose the reps"),
        ({"to": "team_pool", "reason": "x", "lead_ids": ["{lead}"]}, "Choose the team."),
        ({"to": "rep", "rep": "{teammate}", "lead_ids": ["{lead}"]}, "This field is required"),
        ({"to": "rep", "rep": "{outsider}", "reason": "x", "lead_ids": ["{lead}"]}, "Select a"),
        (
            {
                "to": "rep",
                "rep": "{teammate}",
                "reason": "x",
                "all_matching": "1",
                "filter_city": "Nowhere",
            },
            "Select at least one customer.",
        ),
    ],
)
def test_bad_input_comes_back_with_the_form_and_a_400(
    manager, teammate, outsider, alice_leads, post, message
):
    ids = {"lead": alice_leads[0].pk, "teammate": teammate.pk, "outsider": outsider.pk}
    data = {
        key: [v.format(**ids) for v in value] if isinstance(value, list) else value.format(**ids)
        for key, value in post.items()
    }
    response = client_for(manager).post(reverse("leads:bulk_moves"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BulkReassignment.objects.exists()


def test_another_managers_job_is_a_404_and_an_admin_sees_it(
    manager, other_manager, admin_user, teammate, alice_leads
):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[alice_leads[0].pk],
    )
    for path in (
        reverse("leads:bulk_move", args=[job.pk]),
        reverse("leads:bulk_move_report", args=[job.pk]),
    ):
        assert client_for(other_manager).get(path).status_code == 404
        assert client_for(admin_user).get(path).status_code == 200
    assert client_for(other_manager).get(reverse("leads:bulk_move", args=[999])).status_code == 404
    listing = client_for(other_manager).get(reverse("leads:bulk_moves")).content.decode()
    assert 'data-testid="bulk-job"' not in listing
    assert (
        'data-testid="bulk-job"'
        in client_for(manager).get(reverse("leads:bulk_moves")).content.decode()
    )


def test_the_csv_report_in_the_readers_language(manager, rep, teammate, alice_leads):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(rep.pk),
        reason="x",
        lead_ids=[alice_leads[0].pk],
    )
    run_bulk_reassignment(job_id=job.pk)
    manager.language = "zh-hans"
    manager.save()
    response = client_for(manager).get(reverse("leads:bulk_move_report", args=[job.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert rows[1][1] == str(alice_leads[0].pk)
    assert rows[1][4] == "already_owner"


def test_job_page_in_chinese(manager, teammate, alice_leads):
    manager.language = "zh-hans"
    manager.save()
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[alice_leads[0].pk],
    )
    run_bulk_reassignment(job_id=job.pk)
    page = client_for(manager).get(reverse("leads:bulk_move", args=[job.pk]))
    assert page.status_code == 200
    assert 'lang="zh-hans"' in page.content.decode()


def test_the_page_csv_does_not_hand_spreadsheets_a_formula(manager, rep, teammate, make_lead):
    lead = make_lead(actor=rep, company_name='=HYPERLINK("http://evil.example")')
    job = submit_bulk_reassignment(
        actor=manager, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=[lead.pk]
    )
    response = client_for(manager).get(reverse("leads:bulk_move_report", args=[job.pk]))
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")))
    )
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example")'
