import hashlib
from collections.abc import Collection

from django.db import connection

from crm.errors import NotFound
from crm.sql import RowReader, Statement, as_row_id, fetch_instance

from .models import Lead

_locked_lead = RowReader(Lead, ["id", "pool_team_id", "status", "company_name"])
# A merged lead lives on only as history of its survivor.
_LOCK_LEAD = Statement(
    "lock_lead",
    f"SELECT {_locked_lead.columns} FROM leads_lead"  # noqa: S608
    " WHERE id = %s AND merged_into_id IS NULL",
    lock=True,
)


def lock_lead(lead_id: int) -> Lead:
    """The one row lock under which every change of a lead's owner is decided.

    Callers take it after any user-row lock and before reading ownership state. FOR NO KEY
    UPDATE lets inserts that reference the lead (follow-ups, history) proceed meanwhile.
    Every claim runs this: hand-written SQL (crm/sql.py)."""
    lead_id = as_row_id(lead_id)
    lead = None if lead_id is None else fetch_instance(_LOCK_LEAD, _locked_lead, [lead_id])
    if lead is None:
        raise NotFound()
    return lead


def lock_leads(lead_ids: Collection[int]) -> dict[int, Lead]:
    """`lock_lead` for many leads at once (a bulk move's chunk): one statement, each row
    locked as `lock_lead` locks it, in id order (so two batch lockers cannot deadlock each
    other). Merged leads and ids of no lead are absent from the answer. Taken after any
    user-row lock, as `lock_lead`."""
    leads = (
        Lead.objects.select_for_update(no_key=True)
        .filter(pk__in=list(lead_ids), merged_into__isnull=True)
        .only(*_locked_lead.attnames)
        .order_by("pk")
    )
    return {lead.pk: lead for lead in leads}


def lock_customer_keys(keys: list[str]) -> None:
    """Serialise everyone writing the same customer: two reps creating 'the same company' at
    the same instant take the same transaction-level advisory locks (one per strong key and
    per normalised name), so the second one's duplicate check runs after the first commits
    and sees its lead. Taken after any user/lead row lock, in sorted order, so two writers
    with overlapping keys cannot deadlock. SQLite's IMMEDIATE transactions already serialise
    every writer."""
    if not keys or connection.vendor != "postgresql":
        return
    ids = sorted({_advisory_id(key) for key in keys})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [ids])


def _advisory_id(key: str) -> int:
    digest = hashlib.blake2b(f"noclash-customer:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
