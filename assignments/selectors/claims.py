"""What a claim decides on, and the claim counts a rep sees."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import User
from crm.sql import RowReader, Statement, db_value

from .. import live
from ..models import DEFAULT_POLICY, POLICY_FIELDS, Ownership, PoolPolicy
from .policies import EffectivePolicy, get_effective_policy


@dataclass(frozen=True)
class ClaimState:
    """What a claim decides on, read under the rep's and the lead's row locks."""

    open_period: Ownership | None
    # The rep's own periods on this lead (open or ended): the cooldown starts at their end.
    rep_periods: list[Ownership]
    # The rep's claims that hold a slot (the claim limit).
    slots: int
    # The policy in force for the rep's team at this moment.
    policy: EffectivePolicy


_state_period = RowReader(
    Ownership, ["id", "lead_id", "owner_id", "started_at", "protected_until", "ended_at"], alias="o"
)
_state_owner = RowReader(User, ["id", "display_name", "team_id"], alias="u")
_state_policy = RowReader(PoolPolicy, POLICY_FIELDS)
_POLICY_DEFAULTS = [
    db_value(PoolPolicy._meta.get_field(name), DEFAULT_POLICY[name]) for name in POLICY_FIELDS
]
_nulls = ", ".join(["NULL"] * (_state_period.width + _state_owner.width))
_no_policy = ", ".join(["NULL"] * _state_policy.width)
# The team's override, else the global value, else the default (as get_global_policy would
# create it).
_policy_columns = ", ".join(
    f"COALESCE(t.{column}, g.{column}, %s)" for column in _state_policy.columns.split(", ")
)
# One statement (one round trip) for everything a claim decides on: the lead's open period,
# the rep's own periods on it, the rep's held slots and the policy in force. Every claim runs
# it. Only column names and the fixed slot condition are formatted in, never a value.
_CLAIM_STATE = Statement(
    "claim_state",
    f"""
SELECT {_state_period.columns}, {_state_owner.columns}, {_no_policy}, NULL
  FROM assignments_ownership o JOIN accounts_user u ON u.id = o.owner_id
 WHERE o.lead_id = %s AND (o.ended_at IS NULL OR o.owner_id = %s)
UNION ALL
SELECT {_nulls}, {_policy_columns},
       (SELECT count(*) FROM assignments_ownership o
         WHERE o.owner_id = %s AND {live.SLOT_SQL.sql()})
  FROM (SELECT 1 AS one) base
  LEFT JOIN assignments_poolpolicy g ON g.team_id IS NULL
  LEFT JOIN assignments_poolpolicy t ON t.team_id = %s
""",  # noqa: S608
)


def get_claim_state(*, lead_id: int, rep: User, now: datetime) -> ClaimState:
    """The caller holds the rep's and the lead's locks, so none of this can change under it
    (READ COMMITTED: the statement sees every period committed before the locks were ours).
    A policy changed meanwhile is committed or not; either way this reads what is in force."""
    params = [lead_id, rep.pk, *_POLICY_DEFAULTS, rep.pk, *live.SLOT_SQL.params(now), rep.team_id]
    with connection.cursor() as cursor:
        _CLAIM_STATE.execute(cursor, params)
        rows = cursor.fetchall()
    open_period, rep_periods, slots, policy = None, [], 0, None
    owner_at = _state_period.width
    policy_at = owner_at + _state_owner.width
    for row in rows:
        if row[0] is None:
            slots = row[-1]
            policy = EffectivePolicy(
                **dict(zip(POLICY_FIELDS, _state_policy.values(row, policy_at), strict=True))
            )
            continue
        period = _state_period.instance(row)
        period.owner = _state_owner.instance(row, owner_at)
        if period.ended_at is None:
            open_period = period
        if period.owner_id == rep.pk:
            rep_periods.append(period)
    return ClaimState(open_period=open_period, rep_periods=rep_periods, slots=slots, policy=policy)


_COUNT_SLOTS = Statement(
    "count_slots",
    f"SELECT count(*) FROM assignments_ownership o WHERE o.owner_id = %s AND {live.SLOT_SQL.sql()}",  # noqa: S608, E501
)


def count_claim_slots(*, owner_id: int, now: datetime) -> int:
    """The owner's claims that count toward the limit (see `live`). Every routed creation
    and every assignment counts them: hand-written SQL (crm/sql.py)."""
    with connection.cursor() as cursor:
        _COUNT_SLOTS.execute(cursor, [owner_id, *live.SLOT_SQL.params(now)])
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class ClaimSummary:
    active: int
    limit: int
    expiring_soon: int


def get_claim_summary(*, user: User, now: datetime | None = None) -> ClaimSummary:
    """What a rep sees first: claims held against the limit, and how many run out within 24 h."""
    now = now or timezone.now()
    held = Ownership.objects.filter(live.slot_q(now), owner=user)
    return ClaimSummary(
        active=held.count(),
        limit=get_effective_policy(team_id=user.team_id).claim_limit,
        expiring_soon=held.filter(protected_until__lte=now + timedelta(hours=24)).count(),
    )
