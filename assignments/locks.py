"""Row locks taken by ownership jobs and by decisions on requests and disputes. (The lead
and user row locks every ownership change starts with live with their tables:
`leads.locks.lock_lead`, `accounts.locks.lock_user`.)"""

import hashlib
from datetime import datetime

from django.db import connection

from crm.sql import RowReader, Statement, fetch_instance

from . import live
from .models import (
    BulkReassignment,
    BulkReassignmentItem,
    Dispute,
    ImportJob,
    ImportRow,
    RoutingState,
    TerritoryRule,
    TransferRequest,
)

# Oldest expiry first, through the partial index on open periods by expiry. Only the fixed
# stale condition is formatted in, never a value.
_STALE_LEADS = f"""
SELECT l.id FROM assignments_ownership o JOIN leads_lead l ON l.id = o.lead_id
 WHERE {live.STALE_SQL.sql()}
 ORDER BY o.protected_until
 LIMIT %s"""  # noqa: S608


def lock_stale_leads(*, now: datetime, batch_size: int) -> list[int]:
    """Lock a batch of leads whose claim has gone stale (see `live`): never a won customer.

    SKIP LOCKED: a lead whose row a rep holds right now (a claim, a follow-up) is left for
    the next run instead of making the rep wait or the job block; FOR NO KEY UPDATE OF the
    lead only, as every ownership change locks it. On SQLite the IMMEDIATE transaction
    already holds the only write lock."""
    sql = _STALE_LEADS
    if connection.features.has_select_for_update_skip_locked:
        sql += " FOR NO KEY UPDATE OF l SKIP LOCKED"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*live.STALE_SQL.params(now), batch_size])
        return [row[0] for row in cursor.fetchall()]


def lock_transfer_request(request_id: int) -> TransferRequest:
    """A transfer request's row, locked, with its lead, requester and owner: a decision
    re-reads its status under it. Taken after the requester's and the lead's rows."""
    return (
        TransferRequest.objects.select_for_update(of=("self",))
        .select_related("lead", "requester", "owner")
        .get(pk=request_id)
    )


def lock_dispute(dispute_id: int) -> Dispute:
    """A dispute's row, locked, with its lead and both reps: a ruling re-reads its status
    under it. Taken after the claimant's and the leads' rows."""
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("lead", "claimant", "owner")
        .get(pk=dispute_id)
    )


_routing_state = RowReader(RoutingState, ["team_id", "last_rep_id", "updated_at"])
# Every routed creation takes it: hand-written SQL (crm/sql.py).
_LOCK_ROUTING_STATE = Statement(
    "lock_routing_state",
    f"SELECT {_routing_state.columns} FROM assignments_routingstate WHERE team_id = %s",  # noqa: S608
    lock=True,
)


def lock_routing_state(team_id: int) -> RoutingState:
    """A team's round-robin cursor, locked (created on first use): it serialises routing into
    the team, so concurrent creations see each other's choices. Lock order: this row, then the
    chosen rep's row, then the duplicate-key locks, then the lead row."""
    state = fetch_instance(_LOCK_ROUTING_STATE, _routing_state, [team_id])
    if state is None:
        RoutingState.objects.bulk_create([RoutingState(team_id=team_id)], ignore_conflicts=True)
        state = fetch_instance(_LOCK_ROUTING_STATE, _routing_state, [team_id])
    return state


def lock_territory_rule(rule_id: int) -> TerritoryRule | None:
    """One territory rule's row, locked (None when there is none): an edit re-reads the rule
    under it, so two admins changing it at once apply their changes one after the other."""
    return TerritoryRule.objects.select_for_update(no_key=True).filter(pk=rule_id).first()


# One transaction-level advisory lock for the list of rules (a fixed 64-bit key, apart from
# the duplicate check's hashed keys).
_RULE_LIST_LOCK = int.from_bytes(
    hashlib.blake2b(b"noclash-territory-rule-list", digest_size=8).digest(), "big", signed=True
)


def lock_territory_rules() -> list[TerritoryRule]:
    """The list of territory rules, locked: taken by the edits that move rules (create,
    delete, reorder, a change of position). First the list's advisory lock, which serialises
    those edits — row locks alone would not, as a rule another edit inserts is not among the
    rows this one locks — then every rule's row in id order (the one order), so an edit of a
    single rule (which locks only its row) waits for them or they for it. Routing only reads
    the rules and never waits. SQLite's IMMEDIATE transactions already serialise writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RULE_LIST_LOCK])
    return list(TerritoryRule.objects.select_for_update(no_key=True).order_by("id"))


def lock_bulk_job(job_id: int) -> BulkReassignment | None:
    """A bulk move's row, locked (None: no such job). Each chunk of the job takes it first,
    so two workers handed the same job (a message delivered twice, a resumed job whose first
    worker was only slow) run its chunks one after the other and never both move a lead.
    Lock order: this row, its items, the target reps' rows, the leads' rows."""
    return BulkReassignment.objects.select_for_update(no_key=True).filter(pk=job_id).first()


def lock_pending_bulk_items(*, job_id: int, limit: int) -> list[BulkReassignmentItem]:
    """The job's next pending items in order, locked (the caller holds the job's row): each
    is decided and written in this transaction, with its lead's move."""
    return list(
        BulkReassignmentItem.objects.select_for_update(no_key=True)
        .filter(job_id=job_id, outcome=BulkReassignmentItem.Outcome.PENDING)
        .order_by("position")
        .only("id", "position", "lead_id", "owner_before_id")[:limit]
    )


def lock_import_job(job_id: int) -> ImportJob | None:
    """An import's row, locked (None: no such job). Each row of the job is created under it,
    so two workers handed the same job (a message delivered twice, a resumed job whose first
    worker was only slow) take its rows one after the other and never both create one.
    Lock order: this row, then whatever creating a customer takes (routing state, the
    owner's row, the duplicate keys, the lead)."""
    return ImportJob.objects.select_for_update(no_key=True).filter(pk=job_id).first()


def lock_next_import_row(*, job_id: int) -> ImportRow | None:
    """The job's first pending row, locked (the caller holds the job's row)."""
    return (
        ImportRow.objects.select_for_update(no_key=True)
        .filter(job_id=job_id, outcome=ImportRow.Outcome.PENDING)
        .order_by("number")
        .only("id", "number", "cells")
        .first()
    )
