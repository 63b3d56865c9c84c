"""Customers handed in by other systems (`POST /api/v1/intake/`): web forms, partners,
scripts, each with its API key.

A new customer is created by the one create service (`customers.create_lead`, as the system:
same cleaning, duplicate check and territory routing as every other door). A customer who is
already on record is neither refused nor duplicated (撞单 prevented at the door): the
inquiry is added to that customer's timeline and its owner is told — or, for a customer in a
team's pool, that team's manager. A possible (weak) duplicate is a new customer, created with
the matches confirmed and kept in its history, as the other doors do on confirmation."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Notification
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads import services as records
from leads.locks import lock_lead
from leads.models import Inquiry, Lead

from ..exceptions import DuplicateInPool, DuplicateOwned, OwnershipConflict
from ..selectors.people import get_team_manager_id
from .customers import create_lead
from .periods import current_period

CREATED, INQUIRY = "created", "inquiry"
# What a notice quotes of the inquiry's text (the timeline keeps all of it).
NOTICE_EXCERPT = 200
# The customer found on record may be merged away before its inquiry is added; then the
# intake starts over (a merge is rare; three rounds are plenty, then 409: try again).
ATTEMPTS = 3


@dataclass(frozen=True)
class Intake:
    """What an intake did: created `lead_id`, or added an inquiry to it."""

    status: str
    lead_id: int


def take_in(*, api_key: ApiKey, fields: dict, contacts: list[dict], message: str = "") -> Intake:
    """Take in a customer another system handed in with `api_key`. The customer's source is
    the key's unless the caller named one; the inquiry's is always the key's."""
    fields = {**fields, "source": fields.get("source") or api_key.source}
    submitted = {**fields, "contacts": contacts}
    inquiry = {"source": api_key.source, "message": message, "submitted": submitted}
    for _attempt in range(ATTEMPTS):
        try:
            # Weak matches are confirmed: a form cannot answer "is it the same customer?".
            lead = create_lead(
                actor=None,
                contacts=contacts,
                confirm_duplicate=True,
                # A new customer's inquiry is worth keeping only if it says something.
                inquiry=inquiry if message else None,
                **fields,
            )
        except (DuplicateOwned, DuplicateInPool) as found:
            existing = found.match_objects[0].lead.pk
        else:
            return Intake(status=CREATED, lead_id=lead.pk)
        try:
            add_inquiry(lead_id=existing, **inquiry)
        except NotFound:
            continue
        return Intake(status=INQUIRY, lead_id=existing)
    raise OwnershipConflict()


@transaction.atomic(durable=True)
def add_inquiry(
    *, lead_id: int, source: str, message: str, submitted: dict, now: datetime | None = None
) -> Inquiry:
    """An inquiry on a customer who is on record, and the notice of whoever answers for it:
    the owner, else the manager of the team whose pool holds it (the public pool: nobody).
    Under the lead's row lock, so the owner it names is the owner when it is recorded."""
    now = now or timezone.now()
    lead = lock_lead(lead_id)
    period = current_period(lead=lead, now=now)
    inquiry = records.add_inquiry(
        lead=lead, source=source, message=message, submitted=submitted, now=now
    )
    recipient = period.owner_id if period else _pool_manager_id(lead)
    if recipient is not None:
        payload = {
            "company": lead.company_name,
            "source": source,
            "message": message[:NOTICE_EXCERPT],
            "in_pool": period is None,
            "inquiry": inquiry.pk,
        }
        notify(
            [
                NewNotification(
                    user_id=recipient,
                    kind=Notification.Kind.INQUIRY,
                    lead_id=lead.pk,
                    payload=payload,
                )
            ]
        )
    return inquiry


def _pool_manager_id(lead: Lead) -> int | None:
    return get_team_manager_id(team_id=lead.pool_team_id) if lead.pool_team_id else None
