"""The one definition of a live owner (assignments.live) in its three forms — Python, ORM and
SQL — gives the same answer for every kind of ownership period, on both databases."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from assignments import live
from assignments.models import Ownership
from assignments.services import release_lead
from leads.models import Lead
from tests.conftest import expire_claim, mark_won

pytestmark = pytest.mark.django_db

# (open?, protection passed?, won?) -> (live, stale, holds a slot)
EXPECTED = {
    (True, False, False): (True, False, True),
    (True, False, True): (True, False, False),
    (True, True, False): (False, True, False),
    (True, True, True): (True, False, False),
    (False, False, False): (False, False, False),
    (False, False, True): (False, False, False),
    (False, True, False): (False, False, False),
    (False, True, True): (False, False, False),
}


@pytest.fixture
def periods(rep, make_lead, set_policy):
    """One ownership period in each of the eight states, made through the services."""
    set_policy(claim_limit=100)
    made = {}
    for is_open, passed, won in itertools.product((True, False), repeat=3):
        lead = make_lead(actor=rep)
        if passed:
            expire_claim(lead.pk, ago=timedelta(hours=1))
        if not is_open:
            if passed:
                # A stale claim is closed by whoever touches it next (here: nobody claims it,
                # so end it the way the recycling job does).
                Ownership.objects.filter(lead=lead).update(
                    ended_at=timezone.now(), end_kind=Ownership.EndKind.EXPIRE
                )
            else:
                release_lead(lead_id=lead.pk, actor=rep, reason="not a fit")
        if won:
            mark_won(lead)
        made[(is_open, passed, won)] = Ownership.objects.select_related("lead").get(lead=lead)
    return made


def _sql_ids(condition: live.Condition, now) -> set[int]:
    sql = (
        "SELECT o.id FROM assignments_ownership o JOIN leads_lead l ON l.id = o.lead_id"
        f" WHERE {condition.sql()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, condition.params(now))
        return {row[0] for row in cursor.fetchall()}


def test_the_three_forms_agree_on_every_kind_of_period(periods):
    now = timezone.now()
    orm = {
        "live": set(Ownership.objects.filter(live.live_q(now)).values_list("id", flat=True)),
        "stale": set(Ownership.objects.filter(live.stale_q(now)).values_list("id", flat=True)),
        "slot": set(Ownership.objects.filter(live.slot_q(now)).values_list("id", flat=True)),
    }
    sql = {
        "live": _sql_ids(live.LIVE_SQL, now),
        "stale": _sql_ids(live.STALE_SQL, now),
        "slot": _sql_ids(live.SLOT_SQL, now),
    }
    for state, period in periods.items():
        expected_live, expected_stale, expected_slot = EXPECTED[state]
        is_open = period.ended_at is None
        status = period.lead.status
        python = {
            "live": is_open
            and live.is_live(protected_until=period.protected_until, lead_status=status, now=now),
            "stale": is_open
            and not live.is_live(
                protected_until=period.protected_until, lead_status=status, now=now
            ),
            "slot": is_open
            and live.holds_slot(
                protected_until=period.protected_until, lead_status=status, now=now
            ),
        }
        for name, expected in zip(
            ("live", "stale", "slot"), (expected_live, expected_stale, expected_slot), strict=True
        ):
            assert python[name] == expected, (state, name, "python")
            assert (period.pk in orm[name]) == expected, (state, name, "orm")
            assert (period.pk in sql[name]) == expected, (state, name, "sql")


def test_the_sql_binds_its_values():
    """No enum value or time is written into the SQL: they are parameters."""
    for condition in (live.LIVE_SQL, live.STALE_SQL, live.SLOT_SQL):
        text = condition.sql()
        assert Lead.Status.WON not in text and "'" not in text
        assert text.count("%s") == len(condition.params(timezone.now()))
