"""Ownership rules under real concurrent transactions: threads released together by a
barrier, each on its own database connection, against the database of this run (PostgreSQL
in CI's first pass; the embedded SQLite file in the second)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections

from assignments import services as ownership
from assignments.models import Ownership, OwnershipEvent
from crm.errors import DomainError
from tests.conftest import expire_claim, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls):
    """Run each zero-argument callable in its own thread, all released at one instant.
    Returns the outcome of each: the return value, or the DomainError code."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except DomainError as exc:
            outcomes[index] = ("refused", exc.code)
        except Exception as exc:  # noqa: BLE001 - a crash must show up in the outcome
            outcomes[index] = ("crash", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return outcomes


def codes(outcomes):
    return Counter(o[1] if o[0] != "ok" else "ok" for o in outcomes)


def open_periods(lead_id):
    return Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True).count()


def event_kinds(lead_id):
    return list(
        OwnershipEvent.objects.filter(lead_id=lead_id)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


@pytest.fixture
def reps(team, manager):
    return [make_user(f"racer{i}", team=team) for i in range(50)]


def test_fifty_reps_claim_one_lead_one_winner(reps, make_lead):
    lead = make_lead()
    outcomes = run_together(
        [lambda r=r: ownership.claim_lead(lead_id=lead.pk, actor=r) for r in reps]
    )
    assert codes(outcomes) == {"ok": 1, "already_owned": 49}, outcomes
    assert open_periods(lead.pk) == 1
    assert event_kinds(lead.pk) == ["claim"]
    winner = next(o[1] for o in outcomes if o[0] == "ok")
    assert Ownership.objects.get(lead=lead).owner_id == winner.owner_id


def test_one_rep_with_limit_five_claims_twenty_leads_at_once_gets_exactly_five(
    rep, make_lead, set_policy
):
    set_policy(claim_limit=5)
    leads = [make_lead() for _ in range(20)]
    outcomes = run_together(
        [lambda lead=lead: ownership.claim_lead(lead_id=lead.pk, actor=rep) for lead in leads]
    )
    assert codes(outcomes) == {"ok": 5, "claim_limit_reached": 15}, outcomes
    assert Ownership.objects.filter(owner=rep, ended_at__isnull=True).count() == 5
    assert OwnershipEvent.objects.filter(to_owner=rep, kind="claim").count() == 5


def test_two_tabs_creating_leads_cannot_pass_the_limit(rep, set_policy):
    set_policy(claim_limit=3)
    outcomes = run_together(
        [lambda i=i: ownership.create_lead(actor=rep, company_name=f"Tab {i}") for i in range(10)]
    )
    assert codes(outcomes) == {"ok": 3, "claim_limit_reached": 7}, outcomes
    assert Ownership.objects.filter(owner=rep, ended_at__isnull=True).count() == 3


@pytest.mark.parametrize("round_", range(5))
def test_claim_racing_release(rep, teammate, make_lead, set_policy, round_):
    set_policy(cooldown=timedelta(0))
    lead = make_lead(actor=rep)
    outcomes = run_together(
        [
            lambda: ownership.release_lead(lead_id=lead.pk, actor=rep, reason="moving on"),
            lambda: ownership.claim_lead(lead_id=lead.pk, actor=teammate),
        ]
    )
    release, claim = outcomes
    assert release == ("ok", None), outcomes
    kinds = event_kinds(lead.pk)
    if claim[0] == "ok":
        # The release committed first; the claim saw an empty pool slot.
        assert kinds == ["assign", "release", "claim"]
        assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == teammate
    else:
        # The claim ran first and saw the live owner; the release then emptied it.
        assert claim == ("refused", "already_owned")
        assert kinds == ["assign", "release"]
        assert open_periods(lead.pk) == 0


def test_claim_racing_followup_of_a_live_owner(rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    before = Ownership.objects.get(lead=lead).protected_until
    outcomes = run_together(
        [
            lambda: ownership.log_followup(
                lead_id=lead.pk, actor=rep, kind="call", note="still on it"
            ),
            lambda: ownership.claim_lead(lead_id=lead.pk, actor=teammate),
        ]
    )
    assert outcomes[0][0] == "ok"
    assert outcomes[1] == ("refused", "already_owned")
    period = Ownership.objects.get(lead=lead, ended_at__isnull=True)
    assert period.owner == rep
    assert period.protected_until > before


def test_claim_racing_followup_after_expiry_records_expiry_once(rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    expire_claim(lead.pk)
    outcomes = run_together(
        [
            lambda: ownership.log_followup(
                lead_id=lead.pk, actor=rep, kind="call", note="too late"
            ),
            lambda: ownership.claim_lead(lead_id=lead.pk, actor=teammate),
        ]
    )
    # Follow-up first: the lead is in the pool (not_owned). Claim first: it is now another
    # rep's customer, which does not exist for this rep (not_found).
    assert outcomes[0] in {("refused", "not_owned"), ("refused", "not_found")}
    assert outcomes[1][0] == "ok"
    assert event_kinds(lead.pk) == ["assign", "expire", "claim"]
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == teammate
    assert not lead.followups.exists()


def test_expired_claim_raced_by_many_reps_expires_once_and_has_one_winner(reps, rep, make_lead):
    lead = make_lead(actor=rep)
    expire_claim(lead.pk)
    outcomes = run_together(
        [lambda r=r: ownership.claim_lead(lead_id=lead.pk, actor=r) for r in reps[:20]]
    )
    assert codes(outcomes) == {"ok": 1, "already_owned": 19}, outcomes
    assert event_kinds(lead.pk) == ["assign", "expire", "claim"]
    assert open_periods(lead.pk) == 1


def test_reassign_racing_claims(reps, manager, teammate, make_lead):
    lead = make_lead()
    calls = [lambda r=r: ownership.claim_lead(lead_id=lead.pk, actor=r) for r in reps[:10]]
    calls.append(
        lambda: ownership.reassign_lead(
            lead_id=lead.pk, actor=manager, to_user_id=teammate.pk, reason="VIP"
        )
    )
    outcomes = run_together(calls)
    assert not [o for o in outcomes if o[0] == "crash"], outcomes
    assert open_periods(lead.pk) == 1
    kinds = event_kinds(lead.pk)
    assert kinds.count("claim") <= 1
    assert kinds[-1] in {"claim", "reassign"}
    if connection.vendor == "postgresql":
        # Periods never overlap (also enforced by the exclusion constraint).
        periods = list(Ownership.objects.filter(lead=lead).order_by("started_at"))
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert earlier.ended_at is not None and earlier.ended_at <= later.started_at
