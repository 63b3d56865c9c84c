"""Transfer requests: a rep asks for a customer another rep owns. Stored for the owner's
manager to decide; asking changes no ownership."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification, User
from accounts.notifications import NewNotification, notify
from assignments.exceptions import (
    AlreadyOwner,
    CannotRequestTransfer,
    LeadInPool,
    TransferAlreadyRequested,
)
from assignments.models import TransferRequest
from leads.locks import lock_lead

from .periods import current_period


def request_transfer(
    *, lead_id: int, actor: User, reason: str = "", attempted: dict | None = None
) -> TransferRequest:
    try:
        return _request_transfer(
            lead_id=lead_id, actor=actor, reason=reason, attempted=attempted or {}
        )
    except IntegrityError as exc:
        # Two clicks at once: the partial unique index keeps one pending request.
        raise TransferAlreadyRequested() from exc


@transaction.atomic(durable=True)
def _request_transfer(
    *, lead_id: int, actor: User, reason: str, attempted: dict
) -> TransferRequest:
    if not (actor.is_rep or actor.is_manager):
        raise CannotRequestTransfer()
    # The lead's lock orders this against a claim, release or reassignment of it.
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now)
    if period is None:
        raise LeadInPool()
    if period.owner_id == actor.pk:
        raise AlreadyOwner()
    if TransferRequest.objects.filter(
        lead=lead, requester=actor, status=TransferRequest.Status.PENDING
    ).exists():
        raise TransferAlreadyRequested()
    request = TransferRequest.objects.create(
        lead=lead,
        requester=actor,
        owner_id=period.owner_id,
        reason=(reason or "").strip()[:2000],
        attempted=attempted,
        created_at=now,
    )
    manager_id = _deciding_manager_id(period.owner)
    if manager_id is not None:
        notify(
            [
                NewNotification(
                    user_id=manager_id,
                    kind=Notification.Kind.TRANSFER_REQUESTED,
                    lead_id=lead.pk,
                    payload={
                        "company": lead.company_name,
                        "owner": period.owner.display_name,
                        "requester": actor.display_name,
                    },
                    dedupe_key=f"transfer-requested:{request.pk}",
                )
            ]
        )
    return request


def _deciding_manager_id(owner: User) -> int | None:
    team = owner.team
    return team.manager_id if team is not None else None
