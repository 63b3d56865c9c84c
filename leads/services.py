from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import Team, User
from assignments import services as ownership
from assignments.exceptions import InvalidTarget, NotOwned, OutOfScope, OwnershipConflict
from assignments.models import OwnershipEvent
from assignments.selectors import managed_team_ids
from assignments.services.periods import current_period, record_ownership_event
from crm.errors import NotFound, PermissionDenied

from .dedupe.door import ensure_not_duplicate, overridden_record
from .dedupe.identity import identity_of_lead, identity_of_payload
from .dedupe.index import index_lead, index_new_leads
from .dedupe.matching import find_duplicates
from .dedupe.normalize import normalize_email, normalize_uscc
from .exceptions import FollowUpInFuture, InvalidEmail, InvalidUscc, UnknownPool
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
    confirm_duplicate: bool = False,
    **fields,
) -> Lead:
    """A rep creating a lead becomes its owner (within their claim limit). A manager or admin
    creates into the pool unless they name an owner in their scope. The customer must not
    exist already (see `ensure_not_duplicate`); weak matches pass with `confirm_duplicate`
    and are kept in the history."""
    try:
        return _create_lead(
            actor=actor,
            contacts=contacts or [],
            owner_id=owner_id,
            pool_team_id=pool_team_id,
            confirm_duplicate=confirm_duplicate,
            **fields,
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _create_lead(
    *,
    actor: User,
    contacts: list[dict],
    owner_id: int | None,
    pool_team_id: int | None,
    confirm_duplicate: bool,
    **fields,
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
    fields = _clean_fields(fields)
    contacts = [_contact_fields(c) for c in contacts]
    identity = identity_of_payload({**fields, "contacts": contacts})
    # After the user-row lock: the key locks serialise creators of the same customer.
    overridden = ensure_not_duplicate(actor=actor, identity=identity, confirm=confirm_duplicate)
    now = timezone.now()
    lead = Lead.objects.create(created_by=actor, created_at=now, pool_team=pool_team, **fields)
    Contact.objects.bulk_create([Contact(lead=lead, **c) for c in contacts])
    index_new_leads([(lead.pk, identity)])
    details = {"confirmed_duplicates": overridden_record(overridden)} if overridden else {}
    if owner is not None:
        ownership.assign_new_lead(lead=lead, owner=owner, actor=actor, now=now, details=details)
    elif details:
        record_ownership_event(
            lead=lead, kind=OwnershipEvent.Kind.CONFIRM, actor=actor, details=details, at=now
        )
    return lead


def _clean_fields(fields: dict) -> dict:
    """Only lead columns; a 统一社会信用代码 is stored in its canonical form or refused."""
    fields = {k: v for k, v in fields.items() if k in LEAD_FIELDS}
    if fields.get("uscc"):
        code = normalize_uscc(fields["uscc"])
        if code is None:
            raise InvalidUscc()
        fields["uscc"] = code
    return fields


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


EDITABLE_FIELDS = tuple(f for f in LEAD_FIELDS if f != "status")


@transaction.atomic(durable=True)
def update_lead(*, lead_id: int, actor: User, confirm_duplicate: bool = False, **changes) -> Lead:
    """The owner, their manager or an admin edits a customer's details (a pool lead: a
    manager or admin of that pool). An edit that would make the lead a duplicate of another
    is refused like a creation; matches it already had before the edit do not block again."""
    changes = _clean_fields({k: v for k, v in changes.items() if k in EDITABLE_FIELDS})

    def change(lead: Lead, contacts: list[Contact]) -> Lead:
        for name, value in changes.items():
            setattr(lead, name, value)
        return lead

    def save(lead: Lead) -> None:
        if changes:
            lead.save(update_fields=list(changes))

    return _edit_customer(
        lead_id=lead_id, actor=actor, confirm=confirm_duplicate, change=change, save=save
    )


@transaction.atomic(durable=True)
def add_contact(*, lead_id: int, actor: User, confirm_duplicate: bool = False, **fields) -> Contact:
    def change(lead: Lead, contacts: list[Contact]) -> Contact:
        contact = Contact(lead=lead, **_contact_fields(fields))
        contacts.append(contact)
        return contact

    return _edit_customer(
        lead_id=lead_id,
        actor=actor,
        confirm=confirm_duplicate,
        change=change,
        save=lambda contact: contact.save(),
    )


@transaction.atomic(durable=True)
def update_contact(
    *, lead_id: int, contact_id: int, actor: User, confirm_duplicate: bool = False, **fields
) -> Contact:
    def change(lead: Lead, contacts: list[Contact]) -> Contact:
        contact = next((c for c in contacts if c.pk == contact_id), None)
        if contact is None:
            raise NotFound()
        for name, value in _contact_fields(fields, partial=True).items():
            setattr(contact, name, value)
        return contact

    return _edit_customer(
        lead_id=lead_id,
        actor=actor,
        confirm=confirm_duplicate,
        change=change,
        save=lambda contact: contact.save(),
    )


def _edit_customer(*, lead_id: int, actor: User, confirm: bool, change, save):
    """Every edit of what identifies a customer: under the lead's lock, apply `change` to the
    lead and its contacts in memory, refuse a newly made duplicate, then `save` what changed
    and re-index the lead. Returns what `change` returned."""
    lead = Lead.objects.get(pk=_lock_for_edit(lead_id=lead_id, actor=actor).pk)
    contacts = list(lead.contacts.all())
    before = identity_of_lead(lead, contacts)
    changed = change(lead, contacts)
    after = identity_of_lead(lead, contacts)
    _ensure_edit_adds_no_duplicate(
        actor=actor, lead=lead, before=before, after=after, confirm=confirm
    )
    save(changed)
    index_lead(lead, after)
    return changed


def _contact_fields(fields: dict, *, partial: bool = False) -> dict:
    names = ("name", "title", "phone", "email")
    values = (
        {k: fields[k] for k in names if k in fields}
        if partial
        else {k: fields.get(k, "") for k in names}
    )
    if values.get("email"):
        values["email"] = _email_address(values["email"])
    return values


def _email_address(value: str) -> str:
    """Contacts keep the address of what was typed or pasted ("Name <addr>", mailto:)."""
    address = normalize_email(value)
    if address is None:
        raise InvalidEmail()
    return address


def _lock_for_edit(*, lead_id: int, actor: User) -> Lead:
    lead = lock_lead(lead_id)
    period = current_period(lead=lead, now=timezone.now())
    ensure_can_work(user=actor, lead=lead, period=period)
    if period is None and not (actor.is_manager or actor.is_admin):
        # A pool lead is edited by whoever claims it, or by the pool's manager.
        raise NotOwned()
    return lead


def _ensure_edit_adds_no_duplicate(*, actor: User, lead: Lead, before, after, confirm: bool):
    if after.keys <= before.keys and after.city == before.city:
        # Nothing that identifies the customer changed (a title, an industry, ...).
        return []
    known = {m.lead.pk: m.level for m in find_duplicates(before, exclude=(lead.pk,))}
    overridden = ensure_not_duplicate(
        actor=actor, identity=after, exclude=(lead.pk,), confirm=confirm, known=known
    )
    if overridden:
        record_ownership_event(
            lead=lead,
            kind=OwnershipEvent.Kind.CONFIRM,
            actor=actor,
            details={"edit": True, "confirmed_duplicates": overridden_record(overridden)},
        )
    return overridden
