from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads.locks import lock_lead

from .. import access
from ..exceptions import AlreadyOwner, InvalidTarget, OwnershipConflict, ReasonRequired
from ..models import Ownership
from ..selectors.policies import get_effective_policy
from .moves import Move, write_moves
from .periods import current_period, ensure_below_limit


def reassign_lead(
    *, lead_id: int, actor: User, to_user_id: int, reason: str, override_limit: bool = False
) -> Ownership:
    """A manager (within their teams) or an admin moves a lead to another rep. The new
    owner's claim limit applies unless `override_limit`, which is recorded."""
    try:
        return _reassign_lead(
            lead_id=lead_id,
            actor=actor,
            to_user_id=to_user_id,
            reason=reason,
            override_limit=override_limit,
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _reassign_lead(
    *, lead_id: int, actor: User, to_user_id: int, reason: str, override_limit: bool
) -> Ownership:
    access.ensure_can_reassign(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    # Lock order: the new owner's row (claim limit) first, then the lead's row.
    try:
        target = lock_user(to_user_id)
    except NotFound as exc:
        raise InvalidTarget() from exc
    if not access.may_own(target):
        raise InvalidTarget()
    access.ensure_may_receive(actor, target)
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now)
    access.ensure_can_see(actor, lead, period)
    if period is not None and period.owner_id == target.pk:
        raise AlreadyOwner()
    policy = get_effective_policy(team_id=target.team_id)
    if not override_limit:
        ensure_below_limit(owner=target, policy=policy, now=now)
    [moved] = write_moves(
        [
            Move(
                lead=lead,
                period=period,
                to=target,
                policy=policy,
                details={"override_limit": bool(override_limit)},
            )
        ],
        actor=actor,
        reason=reason,
        now=now,
    )
    payload = {
        "company": lead.company_name,
        "from": period.owner.display_name if period else "",
        "to": target.display_name,
    }
    recipients = {target.pk} | ({period.owner_id} if period else set())
    notify(
        NewNotification(
            user_id=user_id, kind=Notification.Kind.REASSIGNED, lead_id=lead.pk, payload=payload
        )
        for user_id in recipients - {actor.pk}
    )
    return moved.period
