"""Deciding transfer requests (转移审批) over the API: approve moves the customer under its
row lock with one `transfer` record naming the request; reject and withdraw move nothing; a
request whose owner changed is closed as stale; a second decision is `already_decided`."""

import pytest

from accounts.models import Notification
from assignments.models import Ownership, OwnershipEvent, TransferRequest
from assignments.services import (
    claim_lead,
    merge_leads,
    reassign_lead,
    release_lead,
    request_transfer,
)
from assignments.services.recycle import recycle_stale_claims
from leads.models import Lead
from tests.conftest import expire_claim, make_user, mark_won

pytestmark = pytest.mark.django_db


def url(request_id, action=""):
    return f"/api/v1/transfer-requests/{request_id}/" + (f"{action}/" if action else "")


@pytest.fixture
def asked(rep, teammate, make_lead):
    """Alice (rep) asks for a customer her teammate Bob owns."""
    lead = make_lead(actor=teammate, company_name="Bright Lamp Co")
    return request_transfer(lead_id=lead.pk, actor=rep, reason="I met their CEO last week")


def owner_of(lead_id):
    period = Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True).first()
    return period.owner_id if period else None


def decided_notes(user):
    return list(user.notifications.filter(kind=Notification.Kind.TRANSFER_DECIDED))


def test_the_owners_manager_approves_and_the_customer_moves(api, asked, rep, teammate, manager):
    response = api(manager).post(url(asked.pk, "approve"), {"reason": "Fair"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved"
    assert body["decided_by"]["id"] == manager.pk and body["decision_reason"] == "Fair"
    assert body["override_limit"] is False and body["decided_at"]
    assert owner_of(asked.lead_id) == rep.pk
    old = Ownership.objects.get(lead_id=asked.lead_id, owner=teammate)
    assert old.end_kind == Ownership.EndKind.TRANSFER
    event = OwnershipEvent.objects.get(lead_id=asked.lead_id, kind="transfer")
    assert (event.from_owner_id, event.to_owner_id, event.actor_id) == (
        teammate.pk,
        rep.pk,
        manager.pk,
    )
    assert event.details == {"transfer_request": asked.pk, "override_limit": False}
    assert event.reason == "Fair"
    # The requester and the former owner hear it, with the reason; the manager decided it.
    for user in (rep, teammate):
        [note] = decided_notes(user)
        assert note.payload["status"] == "approved" and note.payload["reason"] == "Fair"
    assert decided_notes(manager) == []
    # The requester now finds it among their customers.
    mine = api(rep).get("/api/v1/leads/?scope=mine").json()["results"]
    assert [lead["id"] for lead in mine] == [asked.lead_id]


def test_an_admin_may_decide_and_the_owners_manager_is_told(
    api, asked, rep, teammate, manager, admin_user
):
    response = api(admin_user).post(url(asked.pk, "approve"), {}, format="json")
    assert response.status_code == 200, response.content
    [note] = decided_notes(manager)
    assert note.payload["manager"] == admin_user.display_name
    assert note.payload["path"] == "/leads/transfers/"
    # Without a note of their own the history keeps the rep's reason.
    event = OwnershipEvent.objects.get(lead_id=asked.lead_id, kind="transfer")
    assert event.reason == "I met their CEO last week"


def test_the_requesters_claim_limit_applies_unless_overridden(
    api, asked, rep, teammate, manager, make_lead, set_policy
):
    set_policy(claim_limit=1)
    make_lead(actor=manager, owner_id=rep.pk)  # the one slot she has

    refused = api(manager).post(url(asked.pk, "approve"), {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "claim_limit_reached"
    assert owner_of(asked.lead_id) == teammate.pk
    assert TransferRequest.objects.get(pk=asked.pk).status == "pending"
    assert not OwnershipEvent.objects.filter(kind="transfer").exists()

    response = api(manager).post(url(asked.pk, "approve"), {"override_limit": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["override_limit"] is True
    assert owner_of(asked.lead_id) == rep.pk
    event = OwnershipEvent.objects.get(kind="transfer")
    assert event.details["override_limit"] is True


def test_reject_needs_a_reason_and_moves_nothing(api, asked, rep, teammate, manager):
    missing = api(manager).post(url(asked.pk, "reject"), {"reason": "  "}, format="json")
    assert missing.status_code == 400
    assert TransferRequest.objects.get(pk=asked.pk).status == "pending"

    response = api(manager).post(
        url(asked.pk, "reject"), {"reason": "Bob is closing it"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert owner_of(asked.lead_id) == teammate.pk
    assert not OwnershipEvent.objects.filter(kind="transfer").exists()
    [note] = decided_notes(rep)
    assert note.payload["reason"] == "Bob is closing it"
    assert note.payload["path"] == "/leads/transfers/mine/"


def test_a_decided_request_cannot_be_decided_again(api, asked, manager, admin_user, rep):
    assert (
        api(manager).post(url(asked.pk, "reject"), {"reason": "No"}, format="json").status_code
        == 200
    )
    for user, action, body in [
        (admin_user, "approve", {}),
        (manager, "reject", {"reason": "Still no"}),
        (rep, "withdraw", {}),
    ]:
        response = api(user).post(url(asked.pk, action), body, format="json")
        assert response.status_code == 409, (action, response.content)
        assert response.json()["code"] == "already_decided"
        assert response.json()["status"] == "rejected"
    assert TransferRequest.objects.get(pk=asked.pk).decision_reason == "No"


def test_the_requester_withdraws(api, asked, rep, teammate, manager):
    response = api(rep).post(url(asked.pk, "withdraw"), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert owner_of(asked.lead_id) == teammate.pk
    # It leaves the inbox; nobody needs a notice.
    assert not Notification.objects.filter(kind="transfer_decided").exists()
    pending = api(manager).get("/api/v1/transfer-requests/?status=pending").json()["results"]
    assert pending == []
    # And she may ask again.
    again = api(rep).post(f"/api/v1/leads/{asked.lead_id}/transfer-requests/", {}, format="json")
    assert again.status_code == 201


def test_when_the_owner_releases_the_request_closes_as_stale(api, asked, rep, teammate, manager):
    release_lead(lead_id=asked.lead_id, actor=teammate, reason="not my market")

    request = TransferRequest.objects.get(pk=asked.pk)
    assert request.status == "stale" and request.decided_at and request.decided_by is None
    [note] = decided_notes(rep)
    assert note.payload["in_pool"] is True
    response = api(manager).post(url(asked.pk, "approve"), {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "request_stale")
    assert owner_of(asked.lead_id) is None


def test_a_reassignment_by_hand_closes_the_request(api, asked, rep, teammate, manager):
    third = make_user("carol", team=teammate.team)
    reassign_lead(lead_id=asked.lead_id, actor=manager, to_user_id=third.pk, reason="territory")

    assert TransferRequest.objects.get(pk=asked.pk).status == "stale"
    [note] = decided_notes(rep)
    assert note.payload["in_pool"] is False
    response = api(manager).post(url(asked.pk, "approve"), {}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "request_stale")
    assert owner_of(asked.lead_id) == third.pk


def test_the_recycling_job_closes_requests_for_expired_claims(asked, rep):
    expire_claim(asked.lead_id)
    assert recycle_stale_claims() == 1
    assert TransferRequest.objects.get(pk=asked.pk).status == "stale"
    assert len(decided_notes(rep)) == 1


def test_an_expiry_nobody_recorded_yet_makes_the_approval_stale(api, asked, rep, manager):
    expire_claim(asked.lead_id)

    response = api(manager).post(url(asked.pk, "approve"), {}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "request_stale")
    # The refusal kept what it found: the expiry is recorded and the request closed.
    assert TransferRequest.objects.get(pk=asked.pk).status == "stale"
    assert list(
        OwnershipEvent.objects.filter(lead_id=asked.lead_id).values_list("kind", flat=True)
    ) == ["assign", "expire"]
    assert owner_of(asked.lead_id) is None
    assert len(decided_notes(rep)) == 1


def test_approving_one_request_closes_the_others_for_that_customer(
    api, asked, rep, teammate, manager
):
    third = make_user("carol", team=teammate.team)
    other = request_transfer(lead_id=asked.lead_id, actor=third, reason="me too")

    assert api(manager).post(url(asked.pk, "approve"), {}, format="json").status_code == 200

    assert TransferRequest.objects.get(pk=other.pk).status == "stale"
    assert len(decided_notes(third)) == 1
    assert owner_of(asked.lead_id) == rep.pk


def test_merging_the_customer_away_closes_its_requests(asked, rep, manager, make_lead):
    survivor = make_lead(actor=manager)
    merge_leads(survivor_id=survivor.pk, merged_id=asked.lead_id, actor=manager, reason="same")
    assert TransferRequest.objects.get(pk=asked.pk).status == "stale"


def test_a_won_customer_moves_on_approval_and_stays_won(api, asked, rep, manager):
    mark_won(Lead.objects.get(pk=asked.lead_id))
    assert api(manager).post(url(asked.pk, "approve"), {}, format="json").status_code == 200
    assert owner_of(asked.lead_id) == rep.pk
    assert Lead.objects.get(pk=asked.lead_id).status == Lead.Status.WON


def test_a_requester_who_left_cannot_receive_it(api, asked, rep, manager):
    rep.is_active = False
    rep.save()
    response = api(manager).post(url(asked.pk, "approve"), {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_target")
    assert TransferRequest.objects.get(pk=asked.pk).status == "pending"


def test_across_teams_the_owners_side_decides(
    api, rep, outsider, manager, other_manager, make_lead
):
    # Alice (East) asks for a customer Charlie (South) owns, of the public pool she sees.
    lead = make_lead(actor=outsider)
    Lead.objects.filter(pk=lead.pk).update(pool_team=None)
    request = request_transfer(lead_id=lead.pk, actor=rep, reason="my region")

    # Her own manager sees it but may not give away another team's customer.
    assert api(manager).get(url(request.pk)).status_code == 200
    denied = api(manager).post(url(request.pk, "approve"), {}, format="json")
    assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")
    assert api(other_manager).post(url(request.pk, "approve"), {}, format="json").status_code == 200
    assert owner_of(lead.pk) == rep.pk


def test_the_list_filters_by_status(api, asked, rep, teammate, manager, make_lead):
    lead = make_lead(actor=teammate)
    second = request_transfer(lead_id=lead.pk, actor=rep)
    assert (
        api(manager).post(url(second.pk, "reject"), {"reason": "no"}, format="json").status_code
        == 200
    )

    def ids(status):
        response = api(rep).get(f"/api/v1/transfer-requests/?status={status}")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids("pending") == [asked.pk]
    assert ids("rejected") == [second.pk]
    assert ids("approved") == ids("withdrawn") == ids("stale") == []
    bad = api(rep).get("/api/v1/transfer-requests/?status=maybe")
    assert bad.status_code == 400
    assert api(rep).get("/api/v1/transfer-requests/").json()["results"][0]["id"] == second.pk


def test_a_rep_can_ask_from_the_pool_row_that_refused_them(api, rep, outsider, make_lead):
    """The claim refusal names the owner of a lead in a pool she sees: asking for it
    reveals nothing more."""
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=outsider)
    refused = api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    assert refused.json()["code"] == "already_owned"

    response = api(rep).post(f"/api/v1/leads/{lead.pk}/transfer-requests/", {}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["owner"]["id"] == outsider.pk
