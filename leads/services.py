from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import Team, User
from assignments import services as ownership
from assignments.exceptions import InvalidTarget, NotOwned, OutOfScope, OwnershipConflict
from assignments.selectors import managed_team_ids
from assignments.services.periods import current_period
from crm.errors import NotFound, PermissionDenied

from .exceptions import FollowUpInFuture, UnknownPool
from .locks import lock_lead
from .models import Contact, FollowUp, Lead
from .selectors import ensure_can_work

LEAD_FIELDS = (
    "company_name",
    "uscc",
    "website",
    "province",
    "city",
    "industry",
    "size",
    "source",
    "status",
    "tags",
)
# Clocks differ a little between a rep's laptop and the server.
CLOCK_SKEW = timedelta(minutes=5)


def create_lead(
    *,
    actor: User,
    contacts: list[dict] | None = None,
    owner_id: int | None = None,
    pool_team_id: int | None = None,
    **fields,
) -> Lead:
    """A rep creating a lead becomes its owner (within their claim limit). A manager or admin
    creates into the pool unless they name an owner in their scope."""
    try:
        return _create_lead(
            actor=actor,
            contacts=contacts or [],
            owner_id=owner_id,
            pool_team_id=pool_team_id,
            **fields,
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _create_lead(
    *, actor: User, contacts: list[dict], owner_id: int | None, pool_team_id: int | None, **fields
) -> Lead:
    scope = managed_team_ids(actor)
    owner: User | None = None
    if actor.is_rep:
        if owner_id not in (None, actor.pk):
            raise PermissionDenied()
        owner = lock_user(actor.pk)
        pool_team_id = actor.team_id
    elif actor.is_manager or actor.is_admin:
        if pool_team_id is not None and not actor.is_admin and pool_team_id not in scope:
            raise OutOfScope()
        if owner_id is not None:
            try:
                owner = lock_user(owner_id)
            except NotFound as exc:
                raise InvalidTarget() from exc
            if not (owner.is_rep or owner.is_manager):
                raise InvalidTarget()
            if not actor.is_admin and owner.team_id not in scope and owner.pk != actor.pk:
                raise OutOfScope()
            if pool_team_id is None:
                pool_team_id = owner.team_id
    else:
        raise PermissionDenied()

    pool_team = None
    if pool_team_id is not None:
        pool_team = Team.objects.filter(pk=pool_team_id).first()
        if pool_team is None:
            raise UnknownPool()
    now = timezone.now()
    lead = Lead.objects.create(
        created_by=actor,
        created_at=now,
        pool_team=pool_team,
        **{k: v for k, v in fields.items() if k in LEAD_FIELDS},
    )
    Contact.objects.bulk_create(
        [
            Contact(
                lead=lead,
                name=c.get("name", ""),
                title=c.get("title", ""),
                phone=c.get("phone", ""),
                email=c.get("email", ""),
            )
            for c in contacts
        ]
    )
    if owner is not None:
        ownership.assign_new_lead(lead=lead, owner=owner, actor=actor, now=now)
    return lead


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
    """Only the owner (or their manager) logs a follow-up; it extends the protection."""
    lead = lock_lead(lead_id)
    now = timezone.now()
    if occurred_at is not None and occurred_at > now + CLOCK_SKEW:
        raise FollowUpInFuture()
    period = current_period(lead=lead, now=now)
    ensure_can_work(user=actor, lead=lead, period=period)
    if period is None:
        raise NotOwned()
    followup = FollowUp.objects.create(
        lead=lead,
        author=actor,
        kind=kind,
        note=note,
        occurred_at=min(occurred_at or now, now),
        next_step=next_step,
        next_step_at=next_step_at,
        created_at=now,
    )
    ownership.extend_protection_for_followup(period=period, now=now)
    return followup
