"""Reminders before recycling (到期提醒): the owner at one threshold, the owner's manager at a
later one; each once per claim and threshold (a unique dedupe key), however often it runs."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification
from accounts.outbox import NewNotification, notify

from .. import live
from ..models import Ownership
from ..selectors.agenda import due_next_steps


@transaction.atomic
def send_expiry_reminders(*, now: datetime | None = None) -> int:
    """Queue due reminders and escalations; returns how many new ones were stored."""
    now = now or timezone.now()
    # Claims that will run out: a won customer's never does.
    due = Ownership.objects.filter(
        live.slot_q(now), protected_until__lte=now + settings.CLAIM_REMINDER_BEFORE
    ).values(
        "id",
        "lead_id",
        "owner_id",
        "protected_until",
        "lead__company_name",
        "owner__display_name",
        "owner__team__manager_id",
    )
    candidates: list[NewNotification] = []
    for period in due:
        payload = {
            "company": period["lead__company_name"],
            "owner": period["owner__display_name"],
            "protected_until": period["protected_until"].isoformat(),
        }
        candidates.append(
            NewNotification(
                user_id=period["owner_id"],
                kind=Notification.Kind.EXPIRY_REMINDER,
                lead_id=period["lead_id"],
                payload=payload,
                dedupe_key=f"remind:{period['id']}",
            )
        )
        manager_id = period["owner__team__manager_id"]
        escalate = period["protected_until"] <= now + settings.CLAIM_ESCALATION_BEFORE
        if escalate and manager_id and manager_id != period["owner_id"]:
            candidates.append(
                NewNotification(
                    user_id=manager_id,
                    kind=Notification.Kind.EXPIRY_ESCALATION,
                    lead_id=period["lead_id"],
                    payload=payload,
                    dedupe_key=f"escalate:{period['id']}",
                )
            )
    existing = set(
        Notification.objects.filter(dedupe_key__in=[c.dedupe_key for c in candidates]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [c for c in candidates if c.dedupe_key not in existing]
    notify(new)
    return len(new)


@transaction.atomic
def send_next_step_reminders(*, now: datetime | None = None) -> int:
    """The morning reminder (今日待办): once the local time has reached
    NEXT_STEP_REMINDER_HOUR, each owner hears of each next step due today or overdue — once
    per step (a unique dedupe key), however often this runs."""
    now = now or timezone.now()
    if timezone.localtime(now).hour < settings.NEXT_STEP_REMINDER_HOUR:
        return 0
    owners = dict(Ownership.objects.filter(live.live_q(now)).values_list("lead_id", "owner_id"))
    candidates = [
        NewNotification(
            user_id=owners[step.lead_id],
            kind=Notification.Kind.NEXT_STEP_DUE,
            lead_id=step.lead_id,
            payload={
                "company": step.lead.company_name,
                "step": step.next_step,
                "date": step.next_step_at.isoformat(),
            },
            dedupe_key=f"next-step:{step.pk}",
        )
        for step in due_next_steps(now=now, limit=10_000)
        if step.lead_id in owners
    ]
    existing = set(
        Notification.objects.filter(dedupe_key__in=[c.dedupe_key for c in candidates]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [c for c in candidates if c.dedupe_key not in existing]
    notify(new)
    return len(new)
