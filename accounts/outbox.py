"""The notification outbox: notifications are written in the same transaction as the event
they report (rule 7), shown in the app at once, and e-mailed later by `accounts.delivery`."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .models import Notification
from .tasks import deliver_notifications_task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewNotification:
    user_id: int
    kind: str
    lead_id: int | None = None
    payload: dict | None = None
    dedupe_key: str | None = None


def notify(items: Iterable[NewNotification], *, nudge: bool = True) -> None:
    """Store notifications in the caller's transaction; duplicates (same dedupe key) are
    ignored by the database. Delivery by e-mail is nudged once the transaction commits
    (batch writers pass nudge=False and nudge once at the end)."""
    rows = [
        Notification(
            user_id=item.user_id,
            kind=item.kind,
            lead_id=item.lead_id,
            payload=item.payload or {},
            dedupe_key=item.dedupe_key,
        )
        for item in items
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if nudge:
        transaction.on_commit(queue_delivery)


def queue_delivery() -> None:
    """Ask a worker to send e-mails now. Never fails the caller: with the broker down the
    rows wait in the outbox and the periodic delivery job sends them later."""
    try:
        deliver_notifications_task.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the outbox keeps the work
        logger.warning("broker unavailable; notifications stay in the outbox", exc_info=True)
