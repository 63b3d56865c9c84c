"""Notifications: written to the database first (the outbox, rule 7), shown in the app at
once, e-mailed by `deliver_pending_emails` (a periodic task, also nudged on commit)."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .locks import lock_pending_notifications
from .models import Notification, User

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


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
    from .tasks import deliver_notifications_task

    try:
        deliver_notifications_task.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the outbox keeps the work
        logger.warning("broker unavailable; notifications stay in the outbox", exc_info=True)


# --- reads -----------------------------------------------------------------------------------
def list_notifications(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(user=user).select_related("lead").order_by("-created_at", "-id")
    )


def count_unread(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- writes by the user ----------------------------------------------------------------------
def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all, with None) of the user's own notifications as read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def set_email_muted_kinds(*, user: User, kinds: Iterable[str]) -> None:
    valid = set(Notification.Kind.values)
    user.email_muted_kinds = sorted(set(kinds) & valid)
    user.save(update_fields=["email_muted_kinds"])


# --- texts -----------------------------------------------------------------------------------
def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def describe(notification: Notification) -> str:
    """One sentence in the active language."""
    p = notification.payload
    company = p.get("company", "")
    texts = {
        Notification.Kind.CLAIM_EXPIRED: _(
            "Your claim on %(company)s expired at %(time)s; it is back in the pool."
        ),
        Notification.Kind.EXPIRY_REMINDER: _(
            "Your claim on %(company)s expires at %(time)s. Log a follow-up to keep it."
        ),
        Notification.Kind.EXPIRY_ESCALATION: _(
            "%(owner)s's claim on %(company)s expires at %(time)s without a recent follow-up."
        ),
        Notification.Kind.REASSIGNED: _("%(company)s was reassigned from %(from)s to %(to)s."),
        Notification.Kind.TRANSFER_REQUESTED: _(
            "%(requester)s asks for %(company)s, owned by %(owner)s: decide the transfer request."
        ),
        Notification.Kind.TRANSFER_DECIDED: _("Your transfer request for %(company)s was decided."),
        Notification.Kind.DISPUTE_DECIDED: _("Your dispute about %(company)s was decided."),
    }
    template = texts.get(notification.kind, "%(company)s")
    return template % {
        "company": company,
        "time": _when(p.get("protected_until")),
        "owner": p.get("owner", ""),
        "from": p.get("from") or _("the pool"),
        "to": p.get("to", ""),
        "requester": p.get("requester", ""),
    }


# --- e-mail delivery -------------------------------------------------------------------------
def deliver_pending_emails(*, batch_size: int = 200, now: datetime | None = None) -> int:
    """Send pending e-mails in batches; returns how many were sent. Safe to run twice at once:
    each batch is claimed with SKIP LOCKED (PostgreSQL) or under SQLite's write lock, and a
    row is marked in the same transaction that sends it."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = lock_pending_notifications(batch_size)
            if not batch:
                return sent
            for note in batch:
                sent += _deliver_one(note)
        if len(batch) < batch_size:
            return sent


def _deliver_one(note: Notification) -> int:
    user = note.user
    if not user.email or not user.is_active or note.kind in (user.email_muted_kinds or []):
        note.email_status = Notification.EmailStatus.SKIPPED
        note.save(update_fields=["email_status"])
        return 0
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = describe(note)
        subject = f"[NoClash CRM] {note.get_kind_display()}"
    note.email_attempts += 1
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # noqa: BLE001 - SMTP errors vary; retried by the next run
        logger.warning(
            "e-mail to %s failed (attempt %s)", user.email, note.email_attempts, exc_info=True
        )
        if note.email_attempts >= MAX_EMAIL_ATTEMPTS:
            note.email_status = Notification.EmailStatus.FAILED
        note.save(update_fields=["email_attempts", "email_status"])
        return 0
    note.email_status = Notification.EmailStatus.SENT
    note.emailed_at = timezone.now()
    note.save(update_fields=["email_attempts", "email_status", "emailed_at"])
    return 1
