"""What "a live owner" means, defined once (rules 3 and 8). Every reader uses this module:
claims, follow-ups, the claim limit, lists and pages, recycling, reminders and the duplicate
check.

A lead's ownership period is *open* until it ends (`ended_at`). An open period is *live*
while its protection has not passed, or for as long as the customer is won: a won customer
stays its owner's until a manager moves it. An open period that is not live is *stale*: it
counts as expired everywhere at once, even before the recycling job closes it. A live period
*holds a claim slot* (counts toward the owner's claim limit) while it is protected and the
customer is not won.

Three forms of the same definitions, side by side so that they cannot drift apart (and
tests/assignments/test_live.py checks that they agree, on both databases):
- Python predicates, for a period read under its lead's lock;
- ORM conditions, on `Ownership` querysets;
- SQL conditions, for hand-written statements: every value (the time, the won status) is
  bound as a parameter taken from the model enums, never typed into the SQL.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from crm.sql import db_value
from leads.models import Lead

from .models import Ownership

WON = Lead.Status.WON
_PROTECTED_UNTIL = Ownership._meta.get_field("protected_until")


# --- Python ---------------------------------------------------------------------------------
def is_live(*, protected_until: datetime, lead_status: str, now: datetime) -> bool:
    """An open period: its owner still owns the customer."""
    return protected_until > now or lead_status == WON


def holds_slot(*, protected_until: datetime, lead_status: str, now: datetime) -> bool:
    """An open period: it counts toward its owner's claim limit."""
    return protected_until > now and lead_status != WON


# --- ORM (on Ownership) ---------------------------------------------------------------------
def live_q(now: datetime) -> Q:
    return Q(ended_at__isnull=True) & (Q(protected_until__gt=now) | Q(lead__status=WON))


def stale_q(now: datetime) -> Q:
    return Q(ended_at__isnull=True, protected_until__lte=now) & ~Q(lead__status=WON)


def slot_q(now: datetime) -> Q:
    won = Lead.objects.filter(pk=OuterRef("lead_id"), status=WON)
    return Q(ended_at__isnull=True, protected_until__gt=now) & ~Exists(won)


# --- SQL ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    """A WHERE condition over an ownership row (alias `period`) and its lead (alias `lead`),
    with `%s` placeholders; `params(now)` gives their values in order."""

    template: str

    def sql(self, *, period: str = "o", lead: str = "l") -> str:
        return self.template.format(o=period, l=lead)

    def params(self, now: datetime) -> list:
        # The time as the column stores it (SQLite keeps UTC text), the status from the enum.
        return [db_value(_PROTECTED_UNTIL, now), WON]


LIVE_SQL = Condition("{o}.ended_at IS NULL AND ({o}.protected_until > %s OR {l}.status = %s)")
STALE_SQL = Condition("{o}.ended_at IS NULL AND {o}.protected_until <= %s AND {l}.status <> %s")
# Counted on every claim: from the (owner, protected_until) index, which carries lead_id, and
# a probe of the won customers' partial index (lead_won) that finds nothing for most rows:
# neither table is read. (Needs no join with the lead, so `l` is not used.)
SLOT_SQL = Condition(
    "{o}.ended_at IS NULL AND {o}.protected_until > %s"
    " AND NOT EXISTS (SELECT 1 FROM leads_lead w WHERE w.id = {o}.lead_id AND w.status = %s)"
)
