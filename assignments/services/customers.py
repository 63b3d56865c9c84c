"""Creating and editing customers: where the customer records (`leads`) meet ownership.

A rep creating a customer becomes its owner (within their claim limit); a manager or admin
creates into a pool unless they name an owner in their scope; the system (no actor: another
system's intake, `services.intake`) creates what the territory rules route. Every write of
what identifies a customer passes the duplicate check (`services.duplicates`) and re-indexes
the record."""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import User
from crm.errors import NotFound
from leads import services as records
from leads.dedupe.identity import identity_of_lead, identity_of_payload
from leads.dedupe.index import index_lead
from leads.locks import lock_lead
from leads.models import Contact, Lead

from .. import access
from ..exceptions import InvalidTarget, OwnershipConflict
from ..models import OwnershipEvent
from ..selectors.duplicates import find_duplicates
from .collisions import attempted_identity, logs_refusals
from .duplicates import ensure_not_duplicate, overridden_record
from .periods import assign_new_lead, current_period, record_ownership_event
from .routing import record_route, route_new_customer

EDITABLE_FIELDS = records.LEAD_FIELDS


@logs_refusals
def create_lead(
    *,
    actor: User | None,
    contacts: list[dict] | None = None,
    owner_id: int | None = None,
    pool_team_id: int | None = None,
    confirm_duplicate: bool = False,
    inquiry: dict | None = None,
    public_pool: bool = False,
    **fields,
) -> Lead:
    """Create a customer. The customer must not exist already (see `ensure_not_duplicate`);
    weak matches pass with `confirm_duplicate` and are kept in the history. `actor` None is
    the system (an intake): no creator's rights apply, and nobody's collision is logged.
    `inquiry` ({source, message, submitted}): what another system handed in with the new
    customer, kept on its timeline in the same transaction. With no owner and no pool the
    territory rules decide where it goes; `public_pool` puts it in the public pool instead
    (a manager's or admin's explicit choice, as an import's)."""
    try:
        return _create_lead(
            actor=actor,
            contacts=contacts or [],
            owner_id=owner_id,
            pool_team_id=pool_team_id,
            confirm_duplicate=confirm_duplicate,
            inquiry=inquiry,
            public_pool=public_pool,
            **fields,
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _create_lead(**kwargs) -> Lead:
    return write_new_lead(**kwargs)


@transaction.atomic
def write_new_lead(
    *,
    actor: User | None,
    contacts: list[dict],
    owner_id: int | None,
    pool_team_id: int | None,
    confirm_duplicate: bool,
    inquiry: dict | None,
    public_pool: bool = False,
    **fields,
) -> Lead:
    """`create_lead` inside the caller's transaction: an import writes each row's customer
    and its report line together (`services.import_jobs`). The caller logs a refusal
    (`collisions.log_refusal`) and turns an IntegrityError into OwnershipConflict."""
    if actor is not None:
        access.ensure_may_create(actor, owner_id=owner_id, pool_team_id=pool_team_id)
    fields = records.clean_lead_fields(fields)
    contacts = [records.clean_contact_fields(c) for c in contacts]
    now = timezone.now()
    owner: User | None = None
    route = None
    if actor is not None and access.owns_what_they_create(actor):
        # A rep's new customer is theirs, in their own team's pool.
        owner = lock_user(actor.pk)
        pool_team_id = actor.team_id
    elif owner_id is not None:
        # Lock order: the owner's row (claim limit) first.
        try:
            owner = lock_user(owner_id)
        except NotFound as exc:
            raise InvalidTarget() from exc
        if not access.may_own(owner):
            raise InvalidTarget()
        if actor is not None:
            access.ensure_may_create_for(actor, owner)
        if pool_team_id is None:
            pool_team_id = owner.team_id
    elif pool_team_id is None and not public_pool:
        # No owner and no pool chosen: the territory rules decide (services.routing), under
        # the routing-state and rep locks, which come before the duplicate-key locks.
        route = route_new_customer(fields=fields, now=now)
        if route is not None:
            owner, pool_team_id = route.owner, route.pool_team_id

    pool_team = records.get_pool_team(pool_team_id)
    identity = identity_of_payload({**fields, "contacts": contacts})
    # After the user-row lock: the key locks serialise creators of the same customer.
    overridden = ensure_not_duplicate(
        actor=actor,
        identity=identity,
        confirm=confirm_duplicate,
        attempted=attempted_identity(fields),
    )
    lead = records.create_customer(
        created_by=actor,
        pool_team=pool_team,
        fields=fields,
        contacts=contacts,
        identity=identity,
        now=now,
    )
    if inquiry is not None:
        records.add_inquiry(lead=lead, now=now, **inquiry)
    details = {"confirmed_duplicates": overridden_record(overridden)} if overridden else {}
    if route is not None:
        record_route(route=route, lead=lead, actor=actor, now=now, extra=details)
    elif owner is not None:
        assign_new_lead(lead=lead, owner=owner, actor=actor, now=now, details=details)
    elif details:
        record_ownership_event(
            lead=lead, kind=OwnershipEvent.Kind.CONFIRM, actor=actor, details=details, at=now
        )
    return lead


@logs_refusals
@transaction.atomic(durable=True)
def update_lead(*, lead_id: int, actor: User, confirm_duplicate: bool = False, **changes) -> Lead:
    """The owner, their manager or an admin edits a customer's details (a pool lead: a
    manager or admin of that pool). An edit that would make the lead a duplicate of another
    is refused like a creation; matches it already had before the edit do not block again."""
    asked = {k: v for k, v in changes.items() if k in EDITABLE_FIELDS}
    cleaned: dict = {}

    def change(lead: Lead, contacts: list[Contact]) -> Lead:
        cleaned.update(records.clean_lead_fields(asked, current=lead))
        for name, value in cleaned.items():
            setattr(lead, name, value)
        return lead

    def save(lead: Lead) -> None:
        if cleaned:
            lead.save(update_fields=list(cleaned))

    return _edit_customer(
        lead_id=lead_id, actor=actor, confirm=confirm_duplicate, change=change, save=save
    )


@logs_refusals
@transaction.atomic(durable=True)
def add_contact(*, lead_id: int, actor: User, confirm_duplicate: bool = False, **fields) -> Contact:
    def change(lead: Lead, contacts: list[Contact]) -> Contact:
        contact = Contact(lead=lead, **records.clean_contact_fields(fields))
        contacts.append(contact)
        return contact

    return _edit_customer(
        lead_id=lead_id,
        actor=actor,
        confirm=confirm_duplicate,
        change=change,
        save=lambda contact: contact.save(),
    )


@logs_refusals
@transaction.atomic(durable=True)
def update_contact(
    *, lead_id: int, contact_id: int, actor: User, confirm_duplicate: bool = False, **fields
) -> Contact:
    def change(lead: Lead, contacts: list[Contact]) -> Contact:
        contact = next((c for c in contacts if c.pk == contact_id), None)
        if contact is None:
            raise NotFound()
        for name, value in records.clean_contact_fields(fields, partial=True).items():
            setattr(contact, name, value)
        return contact

    return _edit_customer(
        lead_id=lead_id,
        actor=actor,
        confirm=confirm_duplicate,
        change=change,
        save=lambda contact: contact.save(),
    )


def _edit_customer(*, lead_id: int, actor: User, confirm: bool, change: Callable, save: Callable):
    """Every edit of what identifies a customer: under the lead's lock and after the access
    rules, apply `change` to the lead and its contacts in memory, refuse a newly made
    duplicate, then `save` what changed and re-index the lead. Returns what `change`
    returned."""
    locked = lock_lead(lead_id)
    period = current_period(lead=locked, now=timezone.now(), viewer=actor)
    access.ensure_can_edit(actor, locked, period)
    lead = Lead.objects.get(pk=locked.pk)
    contacts = list(lead.contacts.all())
    before = identity_of_lead(lead, contacts)
    changed = change(lead, contacts)
    after = identity_of_lead(lead, contacts)
    if not (after.keys <= before.keys and after.city == before.city):
        # Something new identifies the customer (not just a title or an industry).
        known = {m.lead.pk: m.level for m in find_duplicates(before, exclude=(lead.pk,))}
        overridden = ensure_not_duplicate(
            actor=actor,
            identity=after,
            exclude=(lead.pk,),
            confirm=confirm,
            known=known,
            attempted=attempted_identity(vars(lead), record=lead.pk),
        )
        if overridden:
            record_ownership_event(
                lead=lead,
                kind=OwnershipEvent.Kind.CONFIRM,
                actor=actor,
                details={"edit": True, "confirmed_duplicates": overridden_record(overridden)},
            )
    save(changed)
    index_lead(lead, after)
    return changed
