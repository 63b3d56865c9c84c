"""E-mailing the outbox: each notification once, in its recipient's language, unless they
turned that kind off. A failed send waits for a later run, each wait longer than the last,
so a mail outage does not use up a notification's attempts within seconds."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .locks import lock_pending_notifications
from .models import Notification

logger = logging.getLogger(__name__)
# The wait after the 1st, 2nd, ... failed attempt; after the last one the e-mail is given
# up (the notification stays in the app).
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_EMAIL_ATTEMPTS = len(RETRY_AFTER) + 1


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def _day(value: str | None) -> str:
    day = parse_date(value) if value else None
    return date_format(day, "MONTH_DAY_FORMAT") if day else ""


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
        Notification.Kind.REASSIGNED: (
            _bulk_moved(p)
            if p.get("bulk")
            else _("%(company)s was reassigned from %(from)s to %(to)s.")
        ),
        Notification.Kind.TRANSFER_REQUESTED: _(
            "%(requester)s asks for %(company)s, owned by %(owner)s: decide the transfer request."
        ),
        Notification.Kind.COLLABORATION: _(
            "%(owner)s invited you to help on %(company)s: you see it in full and can log "
            "follow-ups."
        ),
        Notification.Kind.CREDIT_SHARES_PROPOSED: _(
            "%(owner)s proposes how the credit for %(company)s is shared: approve or reject it."
        ),
        Notification.Kind.CREDIT_SHARES_DECIDED: (
            _("%(manager)s approved your credit split for %(company)s.")
            if p.get("approved")
            else _("%(manager)s rejected your credit split for %(company)s.")
        ),
        Notification.Kind.CREDIT_UNSETTLED: _(
            "A deal of %(company)s was won while nobody owned it: settle its credit."
        ),
        Notification.Kind.NEXT_STEP_DUE: _("Next step for %(company)s (%(date)s): %(step)s"),
        Notification.Kind.TRANSFER_DECIDED: _transfer_outcome(p),
        Notification.Kind.DISPUTE_FILED: _(
            "%(claimant)s disputes %(company)s, owned by %(owner)s: the owner's manager rules."
        ),
        Notification.Kind.DISPUTE_RULED: _dispute_outcome(p),
        Notification.Kind.INQUIRY: _inquiry(p),
        Notification.Kind.ROUTED: (
            _("New customer %(company)s is yours, routed by the rule “%(rule)s”.")
            if p.get("rule")
            else _("New customer %(company)s is yours.")
        ),
    }
    template = texts.get(notification.kind, "%(company)s")
    text = template % {
        "company": company,
        "time": _when(p.get("protected_until")),
        "owner": p.get("owner", ""),
        "from": p.get("from") or _("the pool"),
        "to": p.get("to", ""),
        "requester": p.get("requester", ""),
        "manager": p.get("manager", ""),
        "date": _day(p.get("date")),
        "step": p.get("step", ""),
        "claimant": p.get("claimant", ""),
        "source": p.get("source", ""),
        "message": p.get("message", ""),
        "rule": (p.get("rule") or {}).get("name", ""),
        "count": p.get("count", 0),
        "by": p.get("by", ""),
    }
    if notification.kind in (
        Notification.Kind.TRANSFER_DECIDED,
        Notification.Kind.DISPUTE_RULED,
    ) and p.get("reason"):
        text = _("%(text)s Reason: %(reason)s") % {"text": text, "reason": p["reason"]}
    return text


def _bulk_moved(p: dict) -> str:
    """A manager's bulk move (批量转移), told once per rep and move: customers received, or
    customers taken away (to other reps, or to a pool)."""
    count = p.get("count", 0)
    if p.get("direction") == "in":
        return ngettext(
            "%(by)s moved %(count)s customer to you.",
            "%(by)s moved %(count)s customers to you.",
            count,
        )
    if p.get("to_pool"):
        return ngettext(
            "%(by)s moved %(count)s of your customers back to the pool.",
            "%(by)s moved %(count)s of your customers back to the pool.",
            count,
        )
    return ngettext(
        "%(by)s moved %(count)s of your customers to other reps.",
        "%(by)s moved %(count)s of your customers to other reps.",
        count,
    )


def _transfer_outcome(p: dict) -> str:
    """The outcome of a transfer request, by its status."""
    status = p.get("status")
    if status == "approved":
        return _(
            "%(manager)s approved the transfer of %(company)s from %(owner)s to %(requester)s."
        )
    if status == "rejected":
        return _("%(manager)s rejected the request of %(requester)s for %(company)s.")
    if p.get("in_pool"):
        return _(
            "Your request for %(company)s is closed: the customer is back in the pool, claim "
            "it there."
        )
    return _("Your request for %(company)s is closed: its owner changed.")


def _inquiry(p: dict) -> str:
    """An inquiry another system handed in for a customer on record (the owner's, or in the
    pool of the recipient's team)."""
    if p.get("in_pool"):
        if p.get("message"):
            return _(
                "New inquiry via %(source)s about %(company)s, in your team's pool: %(message)s"
            )
        return _("New inquiry via %(source)s about %(company)s, in your team's pool.")
    if p.get("message"):
        return _("New inquiry via %(source)s from your customer %(company)s: %(message)s")
    return _("Your customer %(company)s got in touch again via %(source)s.")


def _dispute_outcome(p: dict) -> str:
    """The ruling on a dispute (撞单申诉), by what was ruled."""
    if p.get("status") == "stale":
        return _("Your dispute on %(company)s is closed: its owner changed. Nothing was moved.")
    return {
        "keep": _("Dispute on %(company)s ruled: it stays with %(owner)s."),
        "transfer": _("Dispute on %(company)s ruled: it goes from %(owner)s to %(claimant)s."),
        "pool": _("Dispute on %(company)s ruled: it returns to the pool."),
        "merge": _(
            "Dispute on %(company)s ruled: the records are merged; %(owner)s keeps the customer."
        ),
    }.get(p.get("ruling"), "%(company)s")


def deliver_pending_emails(*, batch_size: int = 200, now: datetime | None = None) -> int:
    """Send the e-mails that are due, in batches; returns how many were sent. Safe to run
    twice at once: each batch is claimed with SKIP LOCKED (PostgreSQL) or under SQLite's
    write lock, and a row is marked in the same transaction that sends it. A row that fails
    is due again only after its wait, so one run tries it at most once."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            batch = lock_pending_notifications(batch_size=batch_size, now=now)
            if not batch:
                return sent
            for note in batch:
                sent += _deliver_one(note, now=now)
        if len(batch) < batch_size:
            return sent


def _deliver_one(note: Notification, *, now: datetime) -> int:
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
    except Exception:  # noqa: BLE001 - SMTP errors vary; retried by a later run
        logger.warning(
            "e-mail to %s failed (attempt %s)", user.email, note.email_attempts, exc_info=True
        )
        if note.email_attempts >= MAX_EMAIL_ATTEMPTS:
            note.email_status = Notification.EmailStatus.FAILED
            note.email_next_attempt_at = None
        else:
            note.email_next_attempt_at = now + RETRY_AFTER[note.email_attempts - 1]
        note.save(update_fields=["email_attempts", "email_status", "email_next_attempt_at"])
        return 0
    note.email_status = Notification.EmailStatus.SENT
    note.emailed_at = timezone.now()
    note.email_next_attempt_at = None
    note.save(
        update_fields=["email_attempts", "email_status", "emailed_at", "email_next_attempt_at"]
    )
    return 1
