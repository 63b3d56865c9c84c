import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from crm.sql import RowReader, Statement, db_value

from .models import (
    DEFAULT_POLICY,
    POLICY_FIELDS,
    Ownership,
    OwnershipEvent,
    PoolPolicy,
    TransferRequest,
)


@dataclass(frozen=True)
class EffectivePolicy:
    claim_limit: int
    protection_period: timedelta
    followup_extension: timedelta
    max_protection: timedelta
    cooldown: timedelta


def get_global_policy() -> PoolPolicy:
    policy, _created = PoolPolicy.objects.get_or_create(team=None, defaults=DEFAULT_POLICY)
    return policy


# Policies change rarely and are read on every claim: each process keeps them for a few
# seconds. A change made in this process applies at once (update_policy clears the cache);
# other processes pick it up within POLICY_CACHE_SECONDS.
POLICY_CACHE_SECONDS = 5.0
_policy_cache: dict[int | None, tuple[float, EffectivePolicy]] = {}


def clear_policy_cache() -> None:
    _policy_cache.clear()


def get_effective_policy(*, team_id: int | None) -> EffectivePolicy:
    cached = _policy_cache.get(team_id)
    if cached is not None and time.monotonic() - cached[0] < POLICY_CACHE_SECONDS:
        return cached[1]
    policy = _load_effective_policy(team_id=team_id)
    _policy_cache[team_id] = (time.monotonic(), policy)
    return policy


def _load_effective_policy(*, team_id: int | None) -> EffectivePolicy:
    """The global policy with the team's overrides applied (one query)."""
    rows = {
        p.team_id: p for p in PoolPolicy.objects.filter(Q(team__isnull=True) | Q(team_id=team_id))
    }
    base = rows.get(None) or get_global_policy()
    override = rows.get(team_id) if team_id is not None else None
    values = {}
    for field in POLICY_FIELDS:
        value = getattr(override, field, None) if override is not None else None
        values[field] = value if value is not None else getattr(base, field)
    return EffectivePolicy(**values)


def live_ownerships(*, now: datetime | None = None) -> QuerySet[Ownership]:
    """Open periods whose protection has not passed (or whose customer is won: never
    recycled). An expired claim is not live here even if no job has closed it yet (rule 3:
    expired everywhere at once)."""
    from leads.models import Lead

    return Ownership.objects.filter(ended_at__isnull=True).filter(
        Q(protected_until__gt=now or timezone.now()) | Q(lead__status=Lead.Status.WON)
    )


def count_live_claims(*, owner_id: int, now: datetime) -> int:
    """Claims that count toward the limit: those still under protection. A won customer
    stays its owner's after protection ends but no longer takes a claim slot. Answered from
    the partial (owner, protected_until) index alone. A claim reads the same count inside
    get_claim_state's one statement: keep the two conditions alike."""
    return Ownership.objects.filter(
        owner_id=owner_id, ended_at__isnull=True, protected_until__gt=now
    ).count()


@dataclass(frozen=True)
class ClaimState:
    """What a claim decides on, read under the rep's and the lead's row locks."""

    open_period: Ownership | None
    # The rep's own periods on this lead (open or ended): the cooldown starts at their end.
    rep_periods: list[Ownership]
    # The rep's live claims (the limit): answered from the partial (owner, expiry) index.
    live_claims: int


_state_period = RowReader(
    Ownership, ["id", "lead_id", "owner_id", "started_at", "protected_until", "ended_at"], alias="o"
)
_state_owner = RowReader(User, ["id", "display_name", "team_id"], alias="u")
# One statement (one round trip) for the three: the claim runs it on every request.
# Only column names are interpolated, never a value.
_CLAIM_STATE = Statement(
    "claim_state",
    f"""
SELECT {_state_period.columns}, {_state_owner.columns}, NULL
  FROM assignments_ownership o JOIN accounts_user u ON u.id = o.owner_id
 WHERE o.lead_id = %s AND (o.ended_at IS NULL OR o.owner_id = %s)
UNION ALL
SELECT {", ".join(["NULL"] * (_state_period.width + _state_owner.width))}, count(*)
  FROM assignments_ownership
 WHERE owner_id = %s AND ended_at IS NULL AND protected_until > %s
""",  # noqa: S608
)


def get_claim_state(*, lead_id: int, rep_id: int, now: datetime) -> ClaimState:
    """The caller holds the rep's and the lead's locks, so none of this can change under it
    (READ COMMITTED: the statement sees every period committed before the locks were ours)."""
    with connection.cursor() as cursor:
        _CLAIM_STATE.execute(
            cursor,
            [lead_id, rep_id, rep_id, db_value(Ownership._meta.get_field("protected_until"), now)],
        )
        rows = cursor.fetchall()
    open_period, rep_periods, live_claims = None, [], 0
    owner_at = _state_period.width
    for row in rows:
        if row[0] is None:
            live_claims = row[-1]
            continue
        period = _state_period.instance(row)
        period.owner = _state_owner.instance(row, owner_at)
        if period.ended_at is None:
            open_period = period
        if period.owner_id == rep_id:
            rep_periods.append(period)
    return ClaimState(open_period=open_period, rep_periods=rep_periods, live_claims=live_claims)


def map_live_ownerships(
    *, lead_ids: Iterable[int], now: datetime | None = None
) -> dict[int, Ownership]:
    periods = live_ownerships(now=now).filter(lead_id__in=list(lead_ids)).select_related("owner")
    return {p.lead_id: p for p in periods}


def list_history(*, lead_id: int) -> QuerySet[OwnershipEvent]:
    """A lead's history, with the history of the leads merged into it (merging re-points
    earlier merges to the survivor, so one level is all there is)."""
    return (
        OwnershipEvent.objects.filter(Q(lead_id=lead_id) | Q(lead__merged_into_id=lead_id))
        .select_related("from_owner", "to_owner", "actor")
        .order_by("at", "id")
    )


def managed_team_ids(user: User) -> set[int]:
    if not user.is_authenticated or not user.is_manager:
        return set()
    cached = getattr(user, "_managed_team_ids", None)
    if cached is None:
        cached = set(user.managed_teams.values_list("id", flat=True))
        user._managed_team_ids = cached
    return cached


def manages(manager: User, rep: User) -> bool:
    """True when `manager` may act for `rep`: an admin, or the manager of the rep's team."""
    if manager.is_admin:
        return True
    return (
        manager.is_manager and rep.team_id is not None and rep.team_id in managed_team_ids(manager)
    )


@dataclass(frozen=True)
class ClaimSummary:
    active: int
    limit: int
    expiring_soon: int


def get_claim_summary(*, user: User, now: datetime | None = None) -> ClaimSummary:
    """What a rep sees first: claims held against the limit, and how many run out within 24 h."""
    now = now or timezone.now()
    mine = live_ownerships(now=now).filter(owner=user)
    return ClaimSummary(
        active=mine.count(),
        limit=get_effective_policy(team_id=user.team_id).claim_limit,
        expiring_soon=mine.filter(protected_until__lte=now + timedelta(hours=24)).count(),
    )


def list_transfer_requests_visible_to(*, user: User) -> QuerySet[TransferRequest]:
    requests = TransferRequest.objects.select_related("lead", "requester", "owner")
    if user.is_admin:
        return requests
    condition = Q(requester=user)
    teams = managed_team_ids(user)
    if teams:
        condition |= Q(owner__team_id__in=teams)
    return requests.filter(condition)
