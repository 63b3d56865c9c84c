"""Bulk claims under real concurrent transactions (PostgreSQL in CI's first pass, the embedded
SQLite file in the second): two reps bulk-claim overlapping sets of the pool at the same
instant, in opposite orders; a rep bulk-claims while a colleague bulk-releases."""

from collections import Counter
from datetime import timedelta

import pytest

from assignments import services
from assignments.models import Ownership, OwnershipEvent
from tests.assignments.test_concurrency import run_together
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 15


def _owner_counts(leads) -> dict[int, int]:
    """Open periods per lead."""
    open_periods = Counter(
        Ownership.objects.filter(
            lead_id__in=[lead.pk for lead in leads], ended_at__isnull=True
        ).values_list("lead_id", flat=True)
    )
    return {lead.pk: open_periods[lead.pk] for lead in leads}


def _changes(lead_id: int) -> list[str]:
    """The lead's changes of owner, in order (not the duplicate check's confirmations)."""
    events = OwnershipEvent.objects.filter(lead_id=lead_id).exclude(kind__in=["confirm", "route"])
    return list(events.order_by("at", "id").values_list("kind", flat=True))


@pytest.mark.parametrize("round_", range(3))
def test_two_reps_bulk_claim_overlapping_sets_at_once(team, manager, make_lead, set_policy, round_):
    set_policy(claim_limit=LIMIT)
    amy = make_user("amy", team=team)
    wei = make_user("wei", team=team)
    leads = [make_lead(company_name=f"Race {round_}-{i}") for i in range(2 * LIMIT)]
    # Amy ticks the first 23 rows top-down; Wei the last 23 bottom-up: 16 rows in both sets.
    amy_ids = [lead.pk for lead in leads[:23]]
    wei_ids = [lead.pk for lead in reversed(leads[7:])]

    outcomes = run_together(
        [
            lambda: services.claim_leads(lead_ids=amy_ids, actor=amy),
            lambda: services.claim_leads(lead_ids=wei_ids, actor=wei),
        ]
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    amy_rows, wei_rows = outcomes[0][1], outcomes[1][1]
    assert [row.lead_id for row in amy_rows] == amy_ids
    assert [row.lead_id for row in wei_rows] == wei_ids
    # Every lead ends with exactly one owner (the two sets cover the pool and the limits add
    # up to its size), and one claim record.
    assert set(_owner_counts(leads).values()) == {1}
    for lead in leads:
        assert _changes(lead.pk) == ["claim"]
    # Each rep within the limit; what each was told matches what the database holds.
    for rep, rows in ((amy, amy_rows), (wei, wei_rows)):
        held = set(
            Ownership.objects.filter(owner=rep, ended_at__isnull=True).values_list(
                "lead_id", flat=True
            )
        )
        assert len(held) <= LIMIT
        assert held == {row.lead_id for row in rows if row.done}
        refusals = Counter(row.error.code for row in rows if not row.done)
        assert set(refusals) <= {"already_owned", "claim_limit_reached"}, refusals
        for row in rows:
            if not row.done and row.error.code == "already_owned":
                other = wei if rep == amy else amy
                assert row.error.extra["owner"]["id"] == other.pk
    assert sum(1 for row in amy_rows + wei_rows if row.done) == 2 * LIMIT


def test_a_bulk_claim_and_a_bulk_release_of_the_same_rows_at_once(
    team, manager, make_lead, set_policy
):
    set_policy(claim_limit=50, cooldown=timedelta(0))
    amy = make_user("amy", team=team)
    wei = make_user("wei", team=team)
    leads = [make_lead(actor=wei, company_name=f"Held {i}") for i in range(12)]
    ids = [lead.pk for lead in leads]

    outcomes = run_together(
        [
            lambda: services.release_leads(lead_ids=ids, actor=wei, reason="Handing back"),
            lambda: services.claim_leads(lead_ids=list(reversed(ids)), actor=amy),
        ]
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    released, claimed = outcomes[0][1], outcomes[1][1]
    assert all(row.done for row in released)
    # Amy got each row Wei had released before she reached it; the rest were still Wei's.
    assert set(_owner_counts(leads).values()) <= {0, 1}
    for row in claimed:
        lead_id = row.lead_id
        kinds = _changes(lead_id)
        if row.done:
            assert kinds == ["assign", "release", "claim"]
            assert Ownership.objects.get(lead_id=lead_id, ended_at__isnull=True).owner == amy
        else:
            assert row.error.code == "already_owned"
            assert kinds == ["assign", "release"]
            assert not Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True).exists()
