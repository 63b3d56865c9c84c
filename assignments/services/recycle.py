"""Return expired claims to the pool in batches (自动回收), set-based, safe to run twice."""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Notification
from accounts.outbox import NewNotification, notify, queue_delivery

from .. import live
from ..locks import lock_stale_leads
from ..models import Ownership, OwnershipEvent
from .pending_requests import close_pending_requests
from .periods import expiry_notice_key

# One statement per batch on PostgreSQL: close the periods (re-checked under the lead locks
# the caller holds, with the one stale condition), write one `expire` record each and queue
# one notification each. Every value, enum members included, is a parameter.
_RECYCLE_SQL = f"""
WITH closed AS (
    UPDATE assignments_ownership o
       SET ended_at = o.protected_until, end_kind = %s
      FROM leads_lead l
     WHERE o.lead_id = ANY(%s) AND l.id = o.lead_id AND {live.STALE_SQL.sql()}
    RETURNING o.id, o.lead_id, o.owner_id, o.protected_until, l.company_name
), events AS (
    INSERT INTO assignments_ownershipevent
           (lead_id, kind, from_owner_id, to_owner_id, actor_id, reason, details, at)
    SELECT lead_id, %s, owner_id, NULL, NULL, '',
           jsonb_build_object('protected_until', protected_until), %s
      FROM closed
    RETURNING 1
), notes AS (
    INSERT INTO accounts_notification
           (user_id, kind, lead_id, payload, dedupe_key, created_at, email_status, email_attempts)
    SELECT owner_id, %s, lead_id,
           jsonb_build_object('company', company_name, 'protected_until', protected_until),
           %s || id, %s, %s, 0
      FROM closed
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM closed), (SELECT count(*) FROM events), (SELECT count(*) FROM notes)
"""  # noqa: S608


def recycle_stale_claims(*, batch_size: int | None = None, now: datetime | None = None) -> int:
    """Release every claim whose protection has passed; returns how many were released.

    Each batch is its own transaction, so a crash loses at most the batch in flight, which
    the next run (re-scanning the database) finishes. Two runs at once take disjoint batches.
    """
    batch_size = batch_size or settings.RECYCLE_BATCH_SIZE
    released = 0
    while True:
        count = _recycle_batch(batch_size=batch_size, now=now or timezone.now())
        released += count
        if count == 0:
            break
    if released:
        queue_delivery()
    return released


@transaction.atomic
def _recycle_batch(*, batch_size: int, now: datetime) -> int:
    lead_ids = lock_stale_leads(now=now, batch_size=batch_size)
    if not lead_ids:
        return 0
    if connection.vendor == "postgresql":
        params = [
            Ownership.EndKind.EXPIRE,
            lead_ids,
            *live.STALE_SQL.params(now),
            OwnershipEvent.Kind.EXPIRE,
            now,
            Notification.Kind.CLAIM_EXPIRED,
            expiry_notice_key(""),
            now,
            Notification.EmailStatus.PENDING,
        ]
        with connection.cursor() as cursor:
            cursor.execute(_RECYCLE_SQL, params)
            closed, _events, _notes = cursor.fetchone()
    else:
        closed = _recycle_batch_portable(lead_ids=lead_ids, now=now)
    # Requests for these customers asked their former owners: closed with the claims.
    close_pending_requests(lead_ids=lead_ids, now=now, back_to_pool=True, nudge=False)
    return closed


def _recycle_batch_portable(*, lead_ids: list[int], now: datetime) -> int:
    """The same batch with the ORM (SQLite, where the write lock is already ours)."""
    periods = list(
        Ownership.objects.filter(live.stale_q(now), lead_id__in=lead_ids).values(
            "id", "lead_id", "owner_id", "protected_until", "lead__company_name"
        )
    )
    Ownership.objects.filter(id__in=[p["id"] for p in periods]).update(
        ended_at=F("protected_until"), end_kind=Ownership.EndKind.EXPIRE
    )
    OwnershipEvent.objects.bulk_create(
        OwnershipEvent(
            lead_id=p["lead_id"],
            kind=OwnershipEvent.Kind.EXPIRE,
            from_owner_id=p["owner_id"],
            details={"protected_until": p["protected_until"].isoformat()},
            at=now,
        )
        for p in periods
    )
    notify(
        (
            NewNotification(
                user_id=p["owner_id"],
                kind=Notification.Kind.CLAIM_EXPIRED,
                lead_id=p["lead_id"],
                payload={
                    "company": p["lead__company_name"],
                    "protected_until": p["protected_until"].isoformat(),
                },
                dedupe_key=expiry_notice_key(p["id"]),
            )
            for p in periods
        ),
        nudge=False,
    )
    return len(periods)
