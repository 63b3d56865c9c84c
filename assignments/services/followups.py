from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from leads import services as records
from leads.locks import lock_lead
from leads.models import FollowUp

from .. import access
from .periods import current_period, extend_protection_for_followup


@transaction.atomic(durable=True)
def log_followup(
    *,
    lead_id: int,
    actor: User,
    kind: str,
    note: str,
    occurred_at: datetime | None = None,
    next_step: str = "",
    next_step_at: date | None = None,
) -> FollowUp:
    """The owner, their manager, an admin or a collaborator logs a follow-up. The owner's or
    their manager's extends the protection; a collaborator's never does."""
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_log_followup(actor, lead, period)
    followup = records.add_followup(
        lead=lead,
        author=actor,
        kind=kind,
        note=note,
        occurred_at=occurred_at,
        next_step=next_step,
        next_step_at=next_step_at,
        now=now,
    )
    if access.followup_extends_protection(actor, period):
        extend_protection_for_followup(period=period, now=now)
    return followup
