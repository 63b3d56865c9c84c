"""Writes of customer records: the lead row, its contacts, its follow-ups and its duplicate
index. Who may write and who owns the customer are not decided here: the ownership layer
(`assignments.services`) holds the row locks, asks the access rules and runs the duplicate
check, then calls these."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from accounts.models import Team, User
from crm.validation import ensure_clean_names, ensure_sane_dates

from .dedupe.identity import Identity, country_for
from .dedupe.index import index_new_leads
from .dedupe.normalize import normalize_email, normalize_uscc
from .dedupe.normalize.people import normalize_id_number
from .exceptions import (
    FollowUpInFuture,
    InvalidCountry,
    InvalidEmail,
    InvalidIdNumber,
    InvalidUscc,
    UnknownPool,
)
from .models import Contact, FollowUp, Inquiry, Lead
from .validation import country_codes

# What describes a customer. Its status is not among them: a new customer starts as `new`.
LEAD_FIELDS = (
    "kind",
    "company_name",
    "uscc",
    "id_number",
    "website",
    "province",
    "city",
    "industry",
    "size",
    "source",
    "tags",
    "country",
)
CONTACT_FIELDS = ("name", "title", "phone", "email")
# Clocks differ a little between a rep's laptop and the server.
CLOCK_SKEW = timedelta(minutes=5)


def clean_lead_fields(fields: Mapping, *, current: Lead | None = None) -> dict:
    """Only lead columns; a 统一社会信用代码 or an ID number is stored in its canonical form or
    refused. A new customer (no `current`) without a country gets the one its city or
    province makes obvious, else the default."""
    fields = {k: v for k, v in fields.items() if k in LEAD_FIELDS}
    ensure_clean_names(fields, LEAD_FIELDS)
    if fields.get("uscc"):
        code = normalize_uscc(fields["uscc"])
        if code is None:
            raise InvalidUscc()
        fields["uscc"] = code
    if "country" in fields or current is None:
        given = (fields.get("country") or "").strip().upper()
        if given and given not in country_codes():
            raise InvalidCountry()
        fields["country"] = given or country_for(
            city=fields.get("city", current.city if current else ""),
            province=fields.get("province", current.province if current else ""),
        )
    if fields.get("id_number"):
        country = fields.get("country") or current.country
        document = normalize_id_number(fields["id_number"], country=country)
        if document is None:
            raise InvalidIdNumber()
        fields["id_number"] = document
    return fields


def clean_contact_fields(fields: Mapping, *, partial: bool = False) -> dict:
    """Only contact columns (all of them unless `partial`); an e-mail is stored as the address
    of what was typed or pasted ("Name <addr>", mailto:)."""
    values = (
        {k: fields[k] for k in CONTACT_FIELDS if k in fields}
        if partial
        else {k: fields.get(k, "") for k in CONTACT_FIELDS}
    )
    ensure_clean_names(values, CONTACT_FIELDS)
    if values.get("email"):
        address = normalize_email(values["email"])
        if address is None:
            raise InvalidEmail()
        values["email"] = address
    return values


def get_pool_team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise UnknownPool()
    return team


def create_customer(
    *,
    created_by: User | None,
    pool_team: Team | None,
    fields: dict,
    contacts: list[dict],
    identity: Identity,
    now: datetime,
) -> Lead:
    """Insert a customer, its contacts and its index rows (fields and contacts cleaned)."""
    lead = Lead.objects.create(created_by=created_by, created_at=now, pool_team=pool_team, **fields)
    Contact.objects.bulk_create([Contact(lead=lead, **c) for c in contacts])
    index_new_leads([(lead.pk, identity)])
    return lead


def add_inquiry(
    *, lead: Lead, source: str, message: str, submitted: dict, now: datetime
) -> Inquiry:
    """Keep an inquiry another system handed in on the customer's timeline."""
    return Inquiry.objects.create(
        lead=lead, source=source, message=message, submitted=submitted, received_at=now
    )


def add_followup(
    *,
    lead: Lead,
    author: User,
    kind: str,
    note: str,
    occurred_at: datetime | None,
    next_step: str,
    next_step_at: date | None,
    now: datetime,
) -> FollowUp:
    if occurred_at is not None and occurred_at > now + CLOCK_SKEW:
        raise FollowUpInFuture()
    ensure_clean_names({"note": note, "next_step": next_step}, ("next_step",))
    ensure_sane_dates({"occurred_at": occurred_at, "next_step_at": next_step_at})
    return FollowUp.objects.create(
        lead=lead,
        author=author,
        kind=kind,
        note=note,
        occurred_at=min(occurred_at or now, now),
        next_step=next_step,
        next_step_at=next_step_at,
        created_at=now,
    )
