"""Row locks taken by ownership jobs and by decisions on requests and disputes. (The lead
and user row locks every ownership change starts with live with their tables:
`leads.locks.lock_lead`, `accounts.locks.lock_user`.)"""

from datetime import datetime

from django.db import connection

from . import live
from .models import Dispute, RoutingState, TransferRequest

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


def lock_routing_state(team_id: int) -> RoutingState:
    """A team's round-robin cursor, locked (created on first use): it serialises routing into
    the team, so concurrent creations see each other's choices. Lock order: this row, then the
    chosen rep's row, then the duplicate-key locks, then the lead row."""
    RoutingState.objects.bulk_create([RoutingState(team_id=team_id)], ignore_conflicts=True)
    return RoutingState.objects.select_for_update(no_key=True).get(team_id=team_id)
