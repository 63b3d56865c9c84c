"""Ownership periods and their history records. Callers hold the lead's row lock."""

from collections.abc import Sequence
from datetime import datetime

from django.db import connection
from django.utils import timezone

from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.sql import Statement, db_value
from leads.models import Lead

from .. import live
from ..exceptions import ClaimLimitReached
from ..models import Ownership, OwnershipEvent
from ..selectors.claims import count_claim_slots
from ..selectors.collaborators import attach_collaborator
from ..selectors.policies import EffectivePolicy, get_effective_policy
from .pending_requests import close_pending_requests

# Every claim writes one period and one history row: hand-written INSERTs (crm/sql.py).
_EVENT_SQL = Statement(
    "insert_event",
    """
INSERT INTO assignments_ownershipevent
       (lead_id, kind, from_owner_id, to_owner_id, actor_id, reason, details, at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id
""",
)
_PERIOD_SQL = Statement(
    "insert_period",
    """
INSERT INTO assignments_ownership (lead_id, owner_id, started_at, protected_until, end_kind)
VALUES (%s, %s, %s, %s, '') RETURNING id
""",
)
_event_field = OwnershipEvent._meta.get_field
_period_field = Ownership._meta.get_field


def record_ownership_event(
    *,
    lead: Lead,
    kind: str,
    actor: User | None,
    from_owner_id: int | None = None,
    to_owner_id: int | None = None,
    reason: str = "",
    details: dict | None = None,
    at: datetime | None = None,
) -> OwnershipEvent:
    event = OwnershipEvent(
        lead=lead,
        kind=kind,
        actor=actor,
        from_owner_id=from_owner_id,
        to_owner_id=to_owner_id,
        reason=reason,
        details=details or {},
        at=at or timezone.now(),
    )
    params = [lead.pk, kind, from_owner_id, to_owner_id, event.actor_id, reason]
    params += [db_value(_event_field("details"), event.details)]
    params += [db_value(_event_field("at"), event.at)]
    event.pk = _insert(_EVENT_SQL, params)
    return _saved(event)


def current_period(*, lead: Lead, now: datetime, viewer: User | None = None) -> Ownership | None:
    """The live period of a locked lead. A stale open period is closed here first, with its
    `expire` record, so the expiry is recorded once and before whatever happens next. With a
    `viewer`, whether they help on it is attached (for the access rules)."""
    period = (
        Ownership.objects.filter(lead=lead, ended_at__isnull=True).select_related("owner").first()
    )
    period = settle_period(lead=lead, period=period, now=now)
    if viewer is not None:
        attach_collaborator([period], viewer)
    return period


def settle_period(*, lead: Lead, period: Ownership | None, now: datetime) -> Ownership | None:
    """`period` (the lead's open period, read under its lock) if it is live; a stale one is
    closed here with its `expire` record and notice, and None returned. `lead.status` is the
    status read under the same lock (a won customer's period stays live)."""
    if period is None or live.is_live(
        protected_until=period.protected_until, lead_status=lead.status, now=now
    ):
        return period
    end_period(period=period, kind=Ownership.EndKind.EXPIRE, at=period.protected_until)
    record_ownership_event(
        lead=lead,
        kind=OwnershipEvent.Kind.EXPIRE,
        actor=None,
        from_owner_id=period.owner_id,
        details={"protected_until": period.protected_until.isoformat()},
        at=now,
    )
    # Same dedupe key as the recycling job: the owner hears of the loss once.
    notify(
        [
            NewNotification(
                user_id=period.owner_id,
                kind=Notification.Kind.CLAIM_EXPIRED,
                lead_id=lead.pk,
                payload={
                    "company": lead.company_name,
                    "protected_until": period.protected_until.isoformat(),
                },
                dedupe_key=expiry_notice_key(period.pk),
            )
        ]
    )
    return None


def expiry_notice_key(period_id) -> str:
    """One expiry notice per period, whoever records the expiry first (a claim, the job)."""
    return f"expired:{period_id}"


def end_period(*, period: Ownership, kind: str, at: datetime) -> None:
    """Close the owner's period; the pending transfer requests that asked this owner for the
    customer close with it (as stale)."""
    end_periods(periods=[period], kind=kind, at=at)


def end_periods(
    *, periods: Sequence[Ownership], kind: str, at: datetime, nudge: bool = True
) -> None:
    """`end_period` for many periods at once (their leads' locks held): one UPDATE, and one
    read of the pending requests they close. `nudge=False`: the caller nudges the e-mail
    delivery once at the end (batch writers)."""
    if not periods:
        return
    Ownership.objects.filter(pk__in=[period.pk for period in periods]).update(
        ended_at=at, end_kind=kind
    )
    for period in periods:
        period.ended_at = at
        period.end_kind = kind
    close_pending_requests(
        lead_ids=[period.lead_id for period in periods],
        now=timezone.now(),
        back_to_pool=kind in (Ownership.EndKind.RELEASE, Ownership.EndKind.EXPIRE),
        nudge=nudge,
    )


def start_period(*, lead: Lead, owner: User, policy: EffectivePolicy, now: datetime) -> Ownership:
    period = Ownership(
        lead=lead, owner=owner, started_at=now, protected_until=now + policy.protection_period
    )
    started_at = db_value(_period_field("started_at"), period.started_at)
    until = db_value(_period_field("protected_until"), period.protected_until)
    period.pk = _insert(_PERIOD_SQL, [lead.pk, owner.pk, started_at, until])
    return _saved(period)


def start_periods(
    *, starts: Sequence[tuple[Lead, User, EffectivePolicy]], now: datetime
) -> list[Ownership]:
    """`start_period` for many leads at once (their locks held): one INSERT."""
    return Ownership.objects.bulk_create(
        Ownership(
            lead=lead,
            owner=owner,
            started_at=now,
            protected_until=now + policy.protection_period,
        )
        for lead, owner, policy in starts
    )


def record_ownership_events(events: Sequence[OwnershipEvent]) -> list[OwnershipEvent]:
    """`record_ownership_event` for many leads at once (their locks held): one INSERT, the
    records come back with their ids."""
    return OwnershipEvent.objects.bulk_create(events)


def _insert(statement: Statement, params: list) -> int:
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        return cursor.fetchone()[0]


def _saved(instance):
    """Mark an instance inserted by hand-written SQL as the ORM marks a saved one."""
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def ensure_below_limit(
    *, owner: User, policy: EffectivePolicy, now: datetime, held: int | None = None
) -> None:
    """Caller holds the owner's row lock, so the count cannot change under us. `held`: the
    owner's claim slots when the caller has already read them under that lock."""
    if held is None:
        held = count_claim_slots(owner_id=owner.pk, now=now)
    if held >= policy.claim_limit:
        raise ClaimLimitReached(limit=policy.claim_limit, active=held)


def assign_new_lead(
    *,
    lead: Lead,
    owner: User,
    actor: User,
    now: datetime,
    details: dict | None = None,
    policy: EffectivePolicy | None = None,
    held: int | None = None,
) -> Ownership:
    """A freshly created lead gets its first owner. The caller created the lead in this
    transaction (nobody else can see it yet) and holds the owner's row lock. `policy` (the
    owner's team's, read in this transaction) and `held` (the owner's claim slots, counted
    under that lock) when the caller has read them already."""
    if policy is None:
        policy = get_effective_policy(team_id=owner.team_id)
    ensure_below_limit(owner=owner, policy=policy, now=now, held=held)
    period = start_period(lead=lead, owner=owner, policy=policy, now=now)
    record_ownership_event(
        lead=lead,
        kind=OwnershipEvent.Kind.ASSIGN,
        actor=actor,
        to_owner_id=owner.pk,
        details={"via": "create", **(details or {})},
        at=now,
    )
    return period


def extend_protection_for_followup(*, period: Ownership, now: datetime) -> Ownership:
    """A follow-up extends the owner's protection by the policy's extension, never beyond
    start + maximum protection, and never shortens it."""
    policy = get_effective_policy(team_id=period.owner.team_id)
    cap = period.started_at + policy.max_protection
    extended = min(max(period.protected_until, now) + policy.followup_extension, cap)
    if extended > period.protected_until:
        period.protected_until = extended
        period.save(update_fields=["protected_until"])
    return period
