"""A won customer stays its owner's on every path (rule 8): its protection passing neither
expires it nor lets anyone claim it, recycling and reminders leave it alone, its owner keeps
working it, and it no longer takes one of the owner's claim slots. Only a manager's decision
(a reassignment, in the history) moves it."""

from datetime import timedelta

import pytest

from accounts.models import Notification
from assignments.models import Ownership, OwnershipEvent
from assignments.services.recycle import recycle_stale_claims
from assignments.services.reminders import send_expiry_reminders
from leads.models import Lead
from tests.conftest import expire_claim, mark_won

pytestmark = pytest.mark.django_db


def kinds(lead_id):
    return list(
        OwnershipEvent.objects.filter(lead_id=lead_id)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


def owner_id(lead_id):
    return Ownership.objects.get(lead_id=lead_id, ended_at__isnull=True).owner_id


def test_a_won_customer_past_its_protection_is_not_claimable(api, rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    mark_won(lead)
    expire_claim(lead.pk, ago=timedelta(days=3))

    refused = api(teammate).post(f"/api/v1/leads/{lead.pk}/claim/")

    assert refused.status_code == 409, refused.content
    assert refused.json()["code"] == "already_owned"
    assert refused.json()["owner"]["id"] == rep.pk
    assert owner_id(lead.pk) == rep.pk
    assert kinds(lead.pk) == ["assign"]  # no expire, no claim
    assert not Notification.objects.filter(kind="claim_expired").exists()


def test_the_owner_keeps_working_a_won_customer_after_its_protection(api, rep, make_lead):
    lead = make_lead(actor=rep)
    mark_won(lead)
    expire_claim(lead.pk, ago=timedelta(days=3))

    logged = api(rep).post(
        f"/api/v1/leads/{lead.pk}/followups/",
        {"kind": "visit", "note": "Kick-off meeting for the signed contract"},
        format="json",
    )
    detail = api(rep).get(f"/api/v1/leads/{lead.pk}/")
    mine = api(rep).get("/api/v1/leads/?scope=mine").json()["results"]
    pool = api(rep).get("/api/v1/leads/?scope=pool").json()["results"]

    assert logged.status_code == 201, logged.content
    assert detail.json()["owner"]["id"] == rep.pk
    assert [x["id"] for x in mine] == [lead.pk]
    assert lead.pk not in [x["id"] for x in pool]
    assert kinds(lead.pk) == ["assign"]


def test_recycling_and_reminders_leave_won_customers_alone(rep, manager, make_lead):
    past = make_lead(actor=rep, company_name="Won Long Ago")
    soon = make_lead(actor=rep, company_name="Won Just Now")
    for lead in (past, soon):
        mark_won(lead)
    expire_claim(past.pk, ago=timedelta(days=30))
    expire_claim(soon.pk, ago=-timedelta(hours=12))  # inside both reminder thresholds

    assert recycle_stale_claims() == 0
    assert send_expiry_reminders() == 0
    assert owner_id(past.pk) == owner_id(soon.pk) == rep.pk
    assert kinds(past.pk) == kinds(soon.pk) == ["assign"]


def test_a_won_customer_takes_no_claim_slot(api, rep, make_lead, set_policy):
    set_policy(claim_limit=1)
    won = make_lead(actor=rep)  # the one slot, until it is won
    pool = make_lead()
    refused = api(rep).post(f"/api/v1/leads/{pool.pk}/claim/")
    assert refused.json()["code"] == "claim_limit_reached"

    mark_won(won)
    claimed = api(rep).post(f"/api/v1/leads/{pool.pk}/claim/")

    assert claimed.status_code == 200, claimed.content
    assert owner_id(won.pk) == owner_id(pool.pk) == rep.pk


def test_a_won_customer_is_still_a_collision_for_a_new_record(api, rep, teammate, make_lead):
    lead = make_lead(
        actor=rep,
        company_name="Kept Customer Ltd",
        contacts=[{"name": "Mo", "phone": "13955550000"}],
    )
    mark_won(lead)
    expire_claim(lead.pk, ago=timedelta(days=3))

    response = api(teammate).post(
        "/api/v1/leads/",
        {"company_name": "Kept Customer", "contacts": [{"name": "Mo", "phone": "139 5555 0000"}]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_owned"
    assert response.json()["matches"][0]["owner"]["id"] == rep.pk
    assert Lead.objects.count() == 1


def test_only_a_manager_moves_a_won_customer(api, rep, teammate, manager, make_lead):
    lead = make_lead(actor=rep)
    mark_won(lead)

    released = api(rep).post(f"/api/v1/leads/{lead.pk}/release/", {"reason": "done"}, format="json")
    assert released.status_code == 409, released.content
    assert released.json()["code"] == "customer_won"
    assert owner_id(lead.pk) == rep.pk

    moved = api(manager).post(
        f"/api/v1/leads/{lead.pk}/reassign/",
        {"to": teammate.pk, "reason": "Alice moved to key accounts"},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert owner_id(lead.pk) == teammate.pk
    assert kinds(lead.pk) == ["assign", "reassign"]
