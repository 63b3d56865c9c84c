"""Transfer requests that lose their object. When an owner's period ends (released, expired,
reassigned, merged, transferred), every pending request for that customer asked for it
from that owner: it is closed as `stale` in the same transaction, and its requester told.
Callers hold the leads' row locks."""

from collections.abc import Collection
from datetime import datetime

from django.urls import reverse

from accounts.models import Notification
from accounts.outbox import NewNotification, notify

from ..models import TransferRequest


def decision_notice_key(request_id: int, user_id: int) -> str:
    """One notice of a request's outcome per person, whoever closes it first."""
    return f"transfer-decided:{request_id}:{user_id}"


def close_pending_requests(
    *, lead_ids: Collection[int], now: datetime, back_to_pool: bool, nudge: bool = True
) -> int:
    """Close the pending requests for these leads as stale; returns how many. One indexed
    read when there are none (the usual case)."""
    pending = list(
        TransferRequest.objects.filter(
            lead_id__in=list(lead_ids), status=TransferRequest.Status.PENDING
        ).values("id", "lead_id", "requester_id", "lead__company_name")
    )
    if not pending:
        return 0
    TransferRequest.objects.filter(
        pk__in=[row["id"] for row in pending], status=TransferRequest.Status.PENDING
    ).update(status=TransferRequest.Status.STALE, decided_at=now)
    path = reverse("leads:my_requests")
    notify(
        (
            NewNotification(
                user_id=row["requester_id"],
                kind=Notification.Kind.TRANSFER_DECIDED,
                lead_id=row["lead_id"],
                payload={
                    "company": row["lead__company_name"],
                    "status": TransferRequest.Status.STALE,
                    "in_pool": back_to_pool,
                    "request": row["id"],
                    "path": path,
                },
                dedupe_key=decision_notice_key(row["id"], row["requester_id"]),
            )
            for row in pending
        ),
        nudge=nudge,
    )
    return len(pending)
