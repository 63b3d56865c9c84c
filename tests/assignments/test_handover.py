"""A rep leaves (离职交接): the manager of their team (or an admin) deactivates them and hands
over in one go: their customers by a bulk move, their own open transfer requests and
disputes withdrawn, their next steps kept with the customers or cleared. The rep's session
and token stop working; their history stays theirs. Forbidden paths change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from assignments import services
from assignments.models import (
    Dispute,
    Ownership,
    OwnershipEvent,
    TransferRequest,
)
from assignments.selectors.agenda import get_agenda
from assignments.services.bulk_reassign import BulkTarget
from assignments.services.bulk_reassign_run import run_bulk_reassignment
from assignments.services.handover import hand_over_rep
from leads.models import FollowUp
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def owner_id(lead) -> int | None:
    period = Ownership.objects.filter(lead=lead, ended_at__isnull=True).first()
    return period.owner_id if period else None


@pytest.fixture
def carol(team, manager):
    return make_user("carol", team=team, display_name="Carol Rep")


@pytest.fixture
def leaving(rep, teammate, make_lead):
    """Alice (rep) holds three customers, one with a next step; she asked for one of Bob's
    (teammate) customers and disputes another she once owned."""
    mine = [make_lead(actor=rep, company_name=f"Alice Customer {i}") for i in range(3)]
    services.log_followup(
        lead_id=mine[0].pk,
        actor=rep,
        kind="call",
        note="Price list sent",
        next_step="Call back",
        next_step_at=timezone.localdate() + timedelta(days=2),
    )
    bobs = make_lead(actor=teammate, company_name="Bob Customer")
    request = services.request_transfer(lead_id=bobs.pk, actor=rep, reason="I met them first")
    once = make_lead(actor=rep, company_name="Once Alice's")
    services.release_lead(lead_id=once.pk, actor=rep, reason="no time")
    services.claim_lead(lead_id=once.pk, actor=teammate)
    dispute = services.file_dispute(lead_id=once.pk, actor=rep, statement="Mine from the fair")
    return {"mine": mine, "request": request, "dispute": dispute}


def test_hand_over_deactivates_withdraws_clears_and_moves_each_customer_once(
    manager, rep, teammate, carol, leaving
):
    done = hand_over_rep(
        actor=manager,
        rep_id=rep.pk,
        target=BulkTarget.round_robin([teammate.pk, carol.pk]),
        reason="Alice has left",
        next_steps="clear",
        override_limit=True,
    )
    rep.refresh_from_db()
    assert not rep.is_active
    assert (done.customers, done.withdrawn_requests, done.withdrawn_disputes) == (3, 1, 1)
    assert done.cleared_next_steps == 1
    assert TransferRequest.objects.get(pk=leaving["request"].pk).status == "withdrawn"
    assert Dispute.objects.get(pk=leaving["dispute"].pk).status == "withdrawn"
    assert not FollowUp.objects.filter(lead=leaving["mine"][0]).exclude(next_step="").exists()
    # The customers move when the worker runs the job.
    assert all(owner_id(lead) == rep.pk for lead in leaving["mine"])
    assert run_bulk_reassignment(job_id=done.job.pk)
    owners = [owner_id(lead) for lead in leaving["mine"]]
    assert sorted(owners) == sorted([teammate.pk, carol.pk, teammate.pk]) or sorted(
        owners
    ) == sorted([teammate.pk, carol.pk, carol.pk])
    for lead in leaving["mine"]:
        moves = OwnershipEvent.objects.filter(lead=lead, kind=OwnershipEvent.Kind.REASSIGN)
        assert moves.count() == 1
        assert moves.get().from_owner_id == rep.pk
    # Alice's history stays hers.
    assert OwnershipEvent.objects.filter(to_owner=rep).count() >= 3


def test_next_steps_kept_go_with_the_customers(manager, rep, teammate, leaving):
    done = hand_over_rep(
        actor=manager,
        rep_id=rep.pk,
        target=BulkTarget.rep(teammate.pk),
        reason="Alice has left",
        override_limit=True,
    )
    assert done.cleared_next_steps == 0
    run_bulk_reassignment(job_id=done.job.pk)
    agenda = get_agenda(user=teammate, now=timezone.now() + timedelta(days=3)).next_steps
    assert [f.next_step for f in agenda] == ["Call back"]


def test_a_rep_without_customers_is_deactivated_without_a_job(manager, carol):
    done = hand_over_rep(
        actor=manager, rep_id=carol.pk, target=BulkTarget.pool(None), reason="left"
    )
    assert done.job is None and done.customers == 0
    carol.refresh_from_db()
    assert not carol.is_active


def test_the_deactivated_reps_session_and_token_stop_working(
    client, api, manager, rep, teammate, leaving
):
    token_client = api(rep)
    assert token_client.get("/api/v1/me/").status_code == 200
    client.login(username=rep.username, password=PASSWORD)
    assert client.get("/leads/mine/").status_code == 200
    hand_over_rep(
        actor=manager, rep_id=rep.pk, target=BulkTarget.pool(None), reason="Alice has left"
    )
    assert token_client.get("/api/v1/me/").status_code == 401
    assert client.get("/leads/mine/").status_code == 302
    assert not client.login(username=rep.username, password=PASSWORD)


def test_api_hands_over_with_202(api, manager, rep, teammate, leaving):
    response = api(manager).post(
        f"/api/v1/users/{rep.pk}/hand-over/",
        {"to": {"pool": None}, "reason": "Alice has left", "next_steps": "keep"},
        format="json",
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["customers"], body["withdrawn_requests"], body["withdrawn_disputes"]) == (3, 1, 1)
    assert body["job"]["total"] == 3
    run_bulk_reassignment(job_id=body["job"]["id"])
    assert all(owner_id(lead) is None for lead in leaving["mine"])


@pytest.mark.parametrize(
    ("who", "status"), [("teammate", 403), ("other_manager", 404), ("rep", 403)]
)
def test_others_cannot_hand_over_and_nothing_changes(api, request, rep, leaving, who, status):
    actor = request.getfixturevalue(who)
    response = api(actor).post(
        f"/api/v1/users/{rep.pk}/hand-over/",
        {"to": {"pool": None}, "reason": "gone"},
        format="json",
    )
    assert response.status_code == status
    rep.refresh_from_db()
    assert rep.is_active
    assert TransferRequest.objects.get(pk=leaving["request"].pk).status == "pending"


def test_bad_input_is_400_and_nothing_changes(api, manager, rep, leaving):
    for body, code in (
        ({"to": {"pool": None}, "reason": ""}, "invalid"),
        ({"to": {}, "reason": "gone"}, "invalid"),
        ({"to": {"pool": None}, "reason": "gone", "next_steps": "burn"}, "invalid"),
    ):
        response = api(manager).post(f"/api/v1/users/{rep.pk}/hand-over/", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["code"] == code, response.json()
    rep.refresh_from_db()
    assert rep.is_active


def test_only_an_active_rep_is_handed_over(api, admin_user, manager, other_manager):
    response = api(admin_user).post(
        f"/api/v1/users/{manager.pk}/hand-over/",
        {"to": {"pool": None}, "reason": "gone"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_a_rep"
    manager.refresh_from_db()
    assert manager.is_active


def test_the_page_shows_what_the_rep_holds_and_hands_over(
    client, manager, rep, teammate, carol, leaving
):
    client.force_login(manager)
    page = client.get(f"/leads/team/reps/{rep.pk}/leave/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="fact-customers"' in text and "3 customers" in text
    # The leaving rep is not offered as a target.
    assert f'value="{rep.pk}"' not in text.split('data-testid="hand-over-form"')[1]
    unconfirmed = client.post(
        f"/leads/team/reps/{rep.pk}/leave/",
        {"to": "rep", "rep": teammate.pk, "reason": "left", "next_steps": "keep"},
    )
    assert unconfirmed.status_code == 400
    rep.refresh_from_db()
    assert rep.is_active
    done = client.post(
        f"/leads/team/reps/{rep.pk}/leave/",
        {
            "to": "rep",
            "rep": teammate.pk,
            "reason": "left",
            "next_steps": "keep",
            "confirm": "on",
            "override_limit": "on",
        },
    )
    assert done.status_code == 302 and "/leads/bulk-moves/" in done["Location"]
    rep.refresh_from_db()
    assert not rep.is_active


def test_the_page_is_closed_to_others(client, rep, teammate, other_manager):
    for user, status in ((teammate, 404), (other_manager, 404)):
        client.force_login(user)
        assert client.get(f"/leads/team/reps/{rep.pk}/leave/").status_code == status
        response = client.post(
            f"/leads/team/reps/{rep.pk}/leave/",
            {"to": "public_pool", "reason": "x", "next_steps": "keep", "confirm": "on"},
        )
        assert response.status_code == status
    rep.refresh_from_db()
    assert rep.is_active
    assert User.objects.filter(is_active=False).count() == 0
