from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import User
from assignments.exceptions import (
    AlreadyOwned,
    CannotClaim,
    InCooldown,
    NotOwned,
    OwnershipConflict,
    ReasonRequired,
)
from assignments.models import Ownership, OwnershipEvent
from assignments.selectors import get_claim_state, get_effective_policy
from leads.locks import lock_lead
from leads.selectors import ensure_can_work, ensure_in_pool_scope

from .periods import (
    current_period,
    end_period,
    ensure_below_limit,
    record_ownership_event,
    settle_period,
    start_period,
)


def claim_lead(*, lead_id: int, actor: User) -> Ownership:
    """Take a lead with no live owner. Returns the actor's live period (a no-op when the actor
    already owns it). Raises AlreadyOwned, ClaimLimitReached, InCooldown."""
    try:
        return _claim_lead(lead_id=lead_id, actor=actor)
    except IntegrityError as exc:
        # The partial unique index / exclusion constraint caught what the lock should have.
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _claim_lead(*, lead_id: int, actor: User) -> Ownership:
    if not (actor.is_rep or actor.is_manager):
        raise CannotClaim()
    # Lock order: the rep's row (claim limit) first, then the lead's row.
    rep = lock_user(actor.pk)
    lead = lock_lead(lead_id)
    now = timezone.now()
    # State is read only now, under both locks, in one statement.
    state = get_claim_state(lead_id=lead.pk, rep_id=rep.pk, now=now)
    period = settle_period(lead=lead, period=state.open_period, now=now)
    if period is not None:
        if period.owner_id == rep.pk:
            return period
    # A rep may try any lead of a pool they can see; who owns it is all a refusal tells.
    ensure_in_pool_scope(user=rep, lead=lead)
    if period is not None:
        raise AlreadyOwned(
            owner={"id": period.owner_id, "display_name": period.owner.display_name},
            protected_until=period.protected_until,
        )
    policy = get_effective_policy(team_id=rep.team_id)
    # Includes a period of this rep's that settle_period has just expired.
    last_loss = max((p.ended_at for p in state.rep_periods if p.ended_at), default=None)
    if last_loss is not None and last_loss + policy.cooldown > now:
        raise InCooldown(until=last_loss + policy.cooldown)
    ensure_below_limit(owner=rep, policy=policy, now=now, active=state.live_claims)
    period = start_period(lead=lead, owner=rep, policy=policy, now=now)
    record_ownership_event(
        lead=lead, kind=OwnershipEvent.Kind.CLAIM, actor=rep, to_owner_id=rep.pk, at=now
    )
    return period


@transaction.atomic(durable=True)
def release_lead(*, lead_id: int, actor: User, reason: str) -> None:
    """Return a lead to the pool. The owner or their manager; the owner's cooldown starts."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now)
    ensure_can_work(user=actor, lead=lead, period=period)
    if period is None:
        raise NotOwned()
    end_period(period=period, kind=Ownership.EndKind.RELEASE, at=now)
    record_ownership_event(
        lead=lead,
        kind=OwnershipEvent.Kind.RELEASE,
        actor=actor,
        from_owner_id=period.owner_id,
        reason=reason,
        at=now,
    )
