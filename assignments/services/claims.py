from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import User
from leads.locks import lock_lead

from .. import access
from ..exceptions import AlreadyOwned, CustomerWon, InCooldown, OwnershipConflict, ReasonRequired
from ..models import Ownership, OwnershipEvent
from ..selectors.claims import get_claim_state
from .collisions import logs_refusals
from .moves import Move, write_moves
from .periods import (
    current_period,
    ensure_below_limit,
    record_ownership_event,
    settle_period,
    start_period,
)


@logs_refusals
def claim_lead(*, lead_id: int, actor: User) -> Ownership:
    """Take a lead with no live owner. Returns the actor's live period (a no-op when the actor
    already owns it). Raises AlreadyOwned (logged as a collision), ClaimLimitReached,
    InCooldown."""
    try:
        return _claim_lead(lead_id=lead_id, actor=actor)
    except IntegrityError as exc:
        # The partial unique index / exclusion constraint caught what the lock should have.
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _claim_lead(*, lead_id: int, actor: User) -> Ownership:
    access.ensure_may_claim(actor)
    # Lock order: the rep's row (claim limit) first, then the lead's row.
    rep = lock_user(actor.pk)
    lead = lock_lead(lead_id)
    now = timezone.now()
    # State is read only now, under both locks, in one statement: the lead's open period,
    # the rep's periods on it, the rep's held slots and the policy in force this instant.
    state = get_claim_state(lead_id=lead.pk, rep=rep, now=now)
    period = settle_period(lead=lead, period=state.open_period, now=now)
    if period is not None and period.owner_id == rep.pk:
        return period
    access.ensure_in_pool_scope(rep, lead)
    if period is not None:
        raise AlreadyOwned(
            owner={"id": period.owner_id, "display_name": period.owner.display_name},
            protected_until=period.protected_until,
        )
    policy = state.policy
    # Includes a period of this rep's that settle_period has just expired.
    last_loss = max((p.ended_at for p in state.rep_periods if p.ended_at), default=None)
    if last_loss is not None and last_loss + policy.cooldown > now:
        raise InCooldown(until=last_loss + policy.cooldown)
    ensure_below_limit(owner=rep, policy=policy, now=now, held=state.slots)
    period = start_period(lead=lead, owner=rep, policy=policy, now=now)
    record_ownership_event(
        lead=lead, kind=OwnershipEvent.Kind.CLAIM, actor=rep, to_owner_id=rep.pk, at=now
    )
    return period


@transaction.atomic(durable=True)
def release_lead(*, lead_id: int, actor: User, reason: str) -> None:
    """Return a lead to the pool. The owner or their manager; the owner's cooldown starts.
    A won customer stays its owner's unless a manager decides otherwise."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_work(actor, lead, period)
    if not access.can_release(actor, lead, period):
        raise CustomerWon()
    write_moves([Move(lead=lead, period=period)], actor=actor, reason=reason, now=now)
