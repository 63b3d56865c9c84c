"""Reads for an export (导出): the customers a list shows, with its filters, read in keyset
batches so that a million rows never sit in memory, and what each row's columns need read
per batch (never per row)."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max, QuerySet

from accounts.models import Team, User
from leads.filters import LeadFilter
from leads.models import Contact, FollowUp, Lead

from ..exceptions import InvalidFilter
from ..models import Ownership
from .bulk_reassignments import filter_team_leads
from .collaborators import attach_collaborator
from .leads import list_leads_visible_to, map_live_ownerships

LEAD_COLUMNS = (
    "id",
    "kind",
    "company_name",
    "uscc",
    "id_number",
    "country",
    "website",
    "province",
    "city",
    "industry",
    "size",
    "source",
    "status",
    "pool_team_id",
    "created_at",
)


def list_leads_to_export(
    *, user: User, scope: str, params: Mapping, now: datetime
) -> QuerySet[Lead]:
    """What the list of `scope` shows `user` with these filters: the list API's selector and
    filterset; for the team list (`scope=team`) the team page's, which adds its owner filter.
    Raises PermissionDenied (a rep's team list, as the list does) and InvalidFilter."""
    if scope == "team":
        return filter_team_leads(user=user, params=params, now=now)
    leads = list_leads_visible_to(user=user, scope=scope, now=now)
    filters = LeadFilter(params, queryset=leads)
    if not filters.is_valid():
        raise InvalidFilter(errors=filters.errors.get_json_data())
    return filters.qs


@dataclass(slots=True)
class ExportLead:
    """One customer's values (LEAD_COLUMNS), its first contact, its live ownership period
    (with `collaborator_ids` for the viewer, as the lists attach them) and its latest
    follow-up."""

    values: dict
    contact: dict | None
    period: Ownership | None
    last_followup: datetime | None


def team_names() -> dict[int, str]:
    """Teams are few: read once per export, named per row without a join."""
    return dict(Team.objects.values_list("pk", "name"))


def _lead_chunks(rows: QuerySet, batch_size: int) -> Iterator[list[dict]]:
    """On PostgreSQL one statement read through a server-side cursor, inside a transaction
    (outside one Django declares it WITH HOLD, and PostgreSQL would compute every row before
    the first); a filtered list is read once, not once per batch. On SQLite, whose
    transactions take the write lock here (IMMEDIATE), keyset batches in autocommit."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            chunk = []
            for lead in rows.iterator(chunk_size=batch_size):
                chunk.append(lead)
                if len(chunk) == batch_size:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk
        return
    after = 0
    while leads := list(rows.filter(pk__gt=after)[:batch_size]):
        after = leads[-1]["id"]
        yield leads


def iter_export_batches(
    *, user: User, queryset: QuerySet[Lead], now: datetime, batch_size: int
) -> Iterator[list[ExportLead]]:
    """The customers of `queryset` by id, `batch_size` at a time: per batch one statement for
    the customers (one server-side cursor on PostgreSQL), one for their contacts, one for
    their live owners, one for their latest follow-ups and at most one for whether the viewer
    helps on them. Nothing is kept between batches."""

    for leads in _lead_chunks(queryset.order_by("id").values(*LEAD_COLUMNS), batch_size):
        ids = [lead["id"] for lead in leads]
        contacts: dict[int, dict] = {}
        for contact in (
            Contact.objects.filter(lead_id__in=ids)
            .order_by("lead_id", "id")
            .values("lead_id", "name", "phone", "email")
        ):
            contacts.setdefault(contact["lead_id"], contact)
        periods = map_live_ownerships(lead_ids=ids, now=now)
        attach_collaborator(list(periods.values()), user)
        latest = dict(
            FollowUp.objects.filter(lead_id__in=ids)
            .values("lead_id")
            .annotate(last=Max("occurred_at"))
            .values_list("lead_id", "last")
        )
        yield [
            ExportLead(
                values=lead,
                contact=contacts.get(lead["id"]),
                period=periods.get(lead["id"]),
                last_followup=latest.get(lead["id"]),
            )
            for lead in leads
        ]
