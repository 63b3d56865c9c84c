"""Moving a customer through its lifecycle (线索状态). One service: the API, the pages and the
deal win (which marks the customer won) all change a status here."""

from django.db import transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import User
from leads import lifecycle
from leads.exceptions import LostReasonRequired
from leads.locks import lock_lead
from leads.models import Deal, Lead, StatusChange
from leads.selectors import list_lost_reasons

from .. import access
from ..exceptions import OwnershipConflict
from ..models import Ownership
from ..selectors.policies import get_effective_policy
from .periods import current_period, ensure_below_limit

MAX_NOTE = 2000


def change_status(
    *,
    lead_id: int,
    actor: User,
    status: str,
    reason: str = "",
    lost_reason_id: int | None = None,
) -> Lead:
    """Move a customer to `status`. Lost needs a reason from the admins' list and a note; a
    lost customer can be reopened; a won one only by a manager or admin, and its owner's
    protection then starts again (within their claim limit). Won comes only from a deal."""
    owner_id = _owner_of_won_customer(lead_id)
    return _change_status(
        lead_id=lead_id,
        actor=actor,
        status=status,
        reason=reason,
        lost_reason_id=lost_reason_id,
        owner_id=owner_id,
    )


def _owner_of_won_customer(lead_id: int) -> int | None:
    """Reopening a won customer gives its owner a claim slot back: their row is locked first
    (one lock order: user, then lead), so who that is is read before any lock and checked
    again under them."""
    won = Lead.objects.filter(pk=lead_id, status=Lead.Status.WON).exists()
    if not won:
        return None
    return (
        Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True)
        .values_list("owner_id", flat=True)
        .first()
    )


@transaction.atomic(durable=True)
def _change_status(
    *,
    lead_id: int,
    actor: User,
    status: str,
    reason: str,
    lost_reason_id: int | None,
    owner_id: int | None,
) -> Lead:
    owner = lock_user(owner_id) if owner_id is not None else None
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_change_status(actor, lead, period)
    if status == lead.status:
        return Lead.objects.get(pk=lead.pk)
    lifecycle.check_transition(lead.status, status)
    reason = (reason or "").strip()[:MAX_NOTE]
    lost_reason = None
    if status == Lead.Status.LOST:
        lost_reason = list_lost_reasons().filter(pk=lost_reason_id).first()
        if lost_reason is None or not reason:
            raise LostReasonRequired()
    if lead.status == Lead.Status.WON and period is not None:
        if owner is None or owner.pk != period.owner_id:
            # The owner changed between the first read and the locks.
            raise OwnershipConflict()
        _restart_protection(period=period, owner=owner, now=now)
    record_status_change(
        lead=lead, actor=actor, to_status=status, note=reason, lost_reason=lost_reason, at=now
    )
    return Lead.objects.get(pk=lead.pk)


def _restart_protection(*, period: Ownership, owner: User, now) -> None:
    """A reopened customer is worked again: its claim is protected anew and takes a slot
    (the caller holds the owner's row lock, so the limit holds)."""
    policy = get_effective_policy(team_id=owner.team_id)
    ensure_below_limit(owner=owner, policy=policy, now=now)
    until = now + policy.protection_period
    if until > period.protected_until:
        period.protected_until = until
        period.save(update_fields=["protected_until"])


def record_status_change(
    *,
    lead: Lead,
    actor: User | None,
    to_status: str,
    at,
    note: str = "",
    lost_reason=None,
    deal: Deal | None = None,
) -> StatusChange:
    """The one way a status changes: the record in the append-only history, and the column.
    The caller holds the lead's row lock."""
    change = StatusChange.objects.create(
        lead=lead,
        from_status=lead.status,
        to_status=to_status,
        actor=actor,
        lost_reason=lost_reason,
        note=note,
        deal=deal,
        at=at,
    )
    Lead.objects.filter(pk=lead.pk).update(status=to_status)
    lead.status = to_status
    return change
