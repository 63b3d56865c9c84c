"""Running a bulk move (批量转移) in a worker: its pending items, chunk by chunk.

Each chunk is one transaction: the job's row lock, its next pending items, the target reps'
rows, then the chunk's leads' rows (one statement, each row locked on its own, in id order).
Under those locks each lead is decided alone — changed meanwhile, nothing to do, not allowed,
over a claim limit — and the moves are written together by the same code as a single
reassignment or release (`moves.write_moves`): one history record per lead. Each item's
outcome is written in the same transaction as its lead's move, so a worker killed mid-job
leaves every lead either moved and reported or pending, and the resumed job starts at the
first pending item: nothing is moved twice.

A chunk that fails as a whole (a deadlock with another writer, a constraint the checks did
not foresee) is rolled back and its leads are tried one by one, each in its own
transaction; a lead that still fails is reported as failed with why. One failure neither
stops nor undoes the others."""

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.locks import lock_users
from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify, queue_delivery
from crm.errors import DomainError, NotFound, PermissionDenied
from crm.sql import db_value
from leads.locks import lock_leads
from leads.models import Lead

from .. import access, live
from ..bulk_codes import ALREADY_OWNER, CHANGED_MEANWHILE, FAILED_UNEXPECTEDLY, IN_POOL
from ..exceptions import ClaimLimitReached, InvalidTarget, OwnershipConflict
from ..locks import lock_bulk_job, lock_pending_bulk_items
from ..models import BulkReassignment, BulkReassignmentItem, Ownership
from ..selectors.bulk_reassignments import list_stalled_bulk_reassignments
from ..selectors.claims import count_claim_slots
from ..selectors.policies import EffectivePolicy, get_effective_policy
from .moves import Move, write_moves
from .periods import settle_period

logger = logging.getLogger(__name__)

State = BulkReassignment.State
Target = BulkReassignment.Target
Outcome = BulkReassignmentItem.Outcome


@dataclass
class _Chunk:
    """What one chunk decided: per item (outcome, code, owner after, move)."""

    decisions: dict[int, tuple[str, str, int | None, Move | None]] = field(default_factory=dict)
    rotation: int = 0


def run_bulk_reassignment(
    *, job_id: int, seconds: float | None = None, chunk_size: int | None = None
) -> bool:
    """Work on the job until it is finished (returns True) or `seconds` have passed
    (returns False: the caller queues the rest). Safe to run twice at once and after a
    crash: chunks take the job's row lock and only pending items."""
    chunk_size = chunk_size or settings.BULK_REASSIGN_CHUNK_SIZE
    deadline = time.monotonic() + (seconds if seconds is not None else float("inf"))
    while True:
        try:
            finished = _run_chunk(job_id=job_id, size=chunk_size)
        except Exception as exc:
            if not _connection_usable():
                raise
            logger.warning("bulk move %s: chunk failed (%r); one lead at a time", job_id, exc)
            finished = _run_one_by_one(job_id=job_id, count=chunk_size)
        if finished:
            queue_delivery()
            return True
        if time.monotonic() >= deadline:
            return False
        if settings.BULK_REASSIGN_PAUSE_SECONDS:
            time.sleep(settings.BULK_REASSIGN_PAUSE_SECONDS)


def _connection_usable() -> bool:
    """A lost database is not a lead's failure: the job stops and is resumed later."""
    try:
        return connection.connection is not None and connection.is_usable()
    except DatabaseError:
        return False


def _run_one_by_one(*, job_id: int, count: int) -> bool:
    """The next `count` leads, each in its own transaction. A lead that fails alone is
    reported as failed; a transient error (a lock wait that timed out, a lost connection)
    is not the lead's: the job stops there and is resumed later."""
    for _ in range(count):
        try:
            if _run_chunk(job_id=job_id, size=1):
                return True
        except OperationalError:
            raise
        except Exception as exc:
            if not _connection_usable():
                raise
            _fail_next_item(job_id=job_id, error=exc)
    return False


@transaction.atomic(durable=True)
def _fail_next_item(*, job_id: int, error: Exception) -> None:
    """The job's next lead could not be moved even on its own: reported as failed, so the
    job goes on with the others."""
    job = lock_bulk_job(job_id)
    items = lock_pending_bulk_items(job_id=job_id, limit=1) if job else []
    if not items:
        return
    if isinstance(error, DomainError):
        code = error.code
    elif isinstance(error, IntegrityError):
        code = OwnershipConflict.code
    else:
        code = FAILED_UNEXPECTEDLY
    logger.warning("bulk move %s: lead %s failed: %r", job_id, items[0].lead_id, error)
    now = timezone.now()
    _write_items(items, {items[0].pk: (Outcome.FAILED, code, None, None)}, moved_events={}, now=now)
    job.failed += 1
    job.heartbeat_at = now
    job.save(update_fields=["failed", "heartbeat_at"])


@transaction.atomic(durable=True)
def _run_chunk(*, job_id: int, size: int) -> bool:
    """One chunk of the job, in one transaction; True when the job is finished."""
    job = lock_bulk_job(job_id)
    if job is None or job.is_finished:
        return True
    actor = User.objects.get(pk=job.actor_id)
    items = lock_pending_bulk_items(job_id=job.pk, limit=size)
    allowed = access.can_bulk_reassign(actor)
    reps: dict[int, User] = {}
    leads: dict[int, Lead] = {}
    if items and allowed:
        reps = _lock_target_reps(job, actor=actor)
        leads = lock_leads([item.lead_id for item in items])
    # Read only now, with every lock held: what is decided and written below is stamped
    # after whatever the reps committed on these leads before us.
    now = timezone.now()
    if job.state == State.QUEUED:
        job.state, job.started_at = State.RUNNING, now
    if not items:
        _finish(job, actor=actor, now=now)
        return True
    if not allowed:
        # The manager lost the right meanwhile: every lead left is reported, none moved.
        _stop(job, reason=str(PermissionDenied.default_message), now=now)
        return True
    chunk = _decide(job, actor=actor, items=items, reps=reps, leads=leads, now=now)
    moves = [move for *_rest, move in chunk.decisions.values() if move is not None]
    moved = write_moves(moves, actor=actor, reason=job.reason, now=now, nudge=False)
    events = {move.lead.pk: done.event.pk for move, done in zip(moves, moved, strict=True)}
    counts = _write_items(items, chunk.decisions, moved_events=events, now=now)
    job.moved += counts[Outcome.MOVED]
    job.skipped += counts[Outcome.SKIPPED]
    job.failed += counts[Outcome.FAILED]
    job.rotation = chunk.rotation
    job.heartbeat_at = now
    job.save(
        update_fields=[
            "state",
            "started_at",
            "moved",
            "skipped",
            "failed",
            "rotation",
            "heartbeat_at",
        ]
    )
    if len(items) < size:
        _finish(job, actor=actor, now=now)
        return True
    return False


def _decide(
    job: BulkReassignment,
    *,
    actor: User,
    items: list[BulkReassignmentItem],
    reps: dict[int, User],
    leads: dict[int, Lead],
    now: datetime,
) -> _Chunk:
    """Each item's outcome, under the locks the caller holds: the target reps' rows (their
    claim counts cannot change meanwhile), then the leads' rows (their owners cannot)."""
    chunk = _Chunk(rotation=job.rotation)
    periods = _live_periods(leads, now=now)
    policies: dict[int | None, EffectivePolicy] = {}
    held: dict[int, int] = {}
    if job.target_kind != Target.POOL and not job.override_limit:
        held = {rep_id: count_claim_slots(owner_id=rep_id, now=now) for rep_id in reps}
    for item in items:
        lead = leads.get(item.lead_id)
        period = periods.get(item.lead_id)
        if lead is None:
            chunk.decisions[item.pk] = (Outcome.FAILED, NotFound.code, None, None)
            continue
        owner_id = period.owner_id if period else None
        if owner_id != item.owner_before_id:
            chunk.decisions[item.pk] = (Outcome.SKIPPED, CHANGED_MEANWHILE, None, None)
        elif not access.can_see(actor, lead, period):
            chunk.decisions[item.pk] = (Outcome.FAILED, NotFound.code, None, None)
        elif job.target_kind == Target.POOL:
            chunk.decisions[item.pk] = _to_pool(job, actor=actor, lead=lead, period=period)
        else:
            chunk.decisions[item.pk] = _to_rep(
                job, chunk, lead=lead, period=period, reps=reps, held=held, policies=policies
            )
    # A lead moved away from one of the reps frees a slot only for later chunks: the counts
    # above are read once per chunk and only ever raised here, so no limit is passed.
    return chunk


def _lock_target_reps(job: BulkReassignment, *, actor: User) -> dict[int, User]:
    """The target reps still allowed to receive customers, locked (rep rows before lead
    rows). One who left or moved out of the actor's teams is dropped from the rotation."""
    if job.target_kind == Target.POOL:
        return {}
    locked = lock_users(job.target_reps)
    return {
        rep_id: rep
        for rep_id, rep in locked.items()
        if access.may_own(rep) and access.manages(actor, rep)
    }


def _live_periods(leads: dict[int, Lead], *, now: datetime) -> dict[int, Ownership]:
    """The live period of each locked lead (one read); a stale one is closed first with its
    `expire` record, as every reader under the lock does."""
    open_periods = Ownership.objects.filter(
        lead_id__in=list(leads), ended_at__isnull=True
    ).select_related("owner")
    periods = {}
    for period in open_periods:
        lead = leads[period.lead_id]
        if not live.is_live(
            protected_until=period.protected_until, lead_status=lead.status, now=now
        ):
            period = settle_period(lead=lead, period=period, now=now)
        if period is not None:
            periods[lead.pk] = period
    return periods


def _to_pool(job: BulkReassignment, *, actor: User, lead: Lead, period: Ownership | None):
    if period is None:
        return (Outcome.SKIPPED, IN_POOL, None, None)
    if not access.can_release(actor, lead, period):
        return (Outcome.FAILED, PermissionDenied.code, None, None)
    move = Move(
        lead=lead,
        period=period,
        pool_team_id=job.target_team_id,
        details={"bulk": job.pk, "pool_team": job.target_team_id},
    )
    return (Outcome.MOVED, "", None, move)


def _to_rep(
    job: BulkReassignment,
    chunk: _Chunk,
    *,
    lead: Lead,
    period: Ownership | None,
    reps: dict[int, User],
    held: dict[int, int],
    policies: dict[int | None, EffectivePolicy],
):
    """The next rep of the rotation (the one rep, for a `rep` target) who may take the lead:
    a rep at their claim limit is passed over (unless the limit is overridden), and the
    rotation goes on after the rep chosen, so the leads spread evenly over those with room.
    A won customer takes no claim slot."""
    order = job.target_reps
    takes_slot = lead.status != Lead.Status.WON
    refusal = InvalidTarget.code
    for step in range(len(order)):
        rep = reps.get(order[(chunk.rotation + step) % len(order)])
        if rep is None:
            continue
        if period is not None and period.owner_id == rep.pk:
            chunk.rotation += step + 1
            return (Outcome.SKIPPED, ALREADY_OWNER, rep.pk, None)
        if rep.team_id not in policies:
            policies[rep.team_id] = get_effective_policy(team_id=rep.team_id)
        policy = policies[rep.team_id]
        if takes_slot and not job.override_limit and held[rep.pk] >= policy.claim_limit:
            refusal = ClaimLimitReached.code
            continue
        chunk.rotation += step + 1
        if takes_slot and not job.override_limit:
            held[rep.pk] += 1
        move = Move(
            lead=lead,
            period=period,
            to=rep,
            policy=policy,
            details={"bulk": job.pk, "override_limit": job.override_limit},
        )
        return (Outcome.MOVED, "", rep.pk, move)
    return (Outcome.FAILED, refusal, None, None)


# Each item's outcome in one statement, whatever the size of the chunk (a CTE of VALUES:
# PostgreSQL and SQLite 3.33+ both update from it).
_ITEM_ROW = "(%s, %s, %s, %s, %s)"
_PROCESSED_AT = BulkReassignmentItem._meta.get_field("processed_at")
_UPDATE_ITEMS = """
WITH v(id, outcome, code, owner_after_id, event_id) AS (VALUES {rows})
UPDATE assignments_bulkreassignmentitem
   SET outcome = v.outcome, code = v.code,
       owner_after_id = CAST(v.owner_after_id AS bigint),
       event_id = CAST(v.event_id AS bigint), processed_at = %s
  FROM v
 WHERE assignments_bulkreassignmentitem.id = CAST(v.id AS bigint)
   AND assignments_bulkreassignmentitem.outcome = %s
"""


def _write_items(items, decisions, *, moved_events: dict[int, int], now: datetime) -> Counter:
    """Write the items' outcomes (the caller holds their locks); returns the counts."""
    params: list = []
    counts: Counter = Counter()
    for item in items:
        if item.pk not in decisions:
            continue
        outcome, code, owner_after_id, move = decisions[item.pk]
        event_id = moved_events.get(item.lead_id) if move is not None else None
        if outcome != Outcome.MOVED:
            owner_after_id = None
        params += [item.pk, outcome, code, owner_after_id, event_id]
        counts[outcome] += 1
    if not counts:
        return counts
    sql = _UPDATE_ITEMS.format(rows=", ".join([_ITEM_ROW] * sum(counts.values())))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, db_value(_PROCESSED_AT, now), Outcome.PENDING])
    return counts


def _stop(job: BulkReassignment, *, reason: str, now: datetime) -> None:
    """End the job before its last lead: every lead left is reported as failed."""
    left = BulkReassignmentItem.objects.filter(job=job, outcome=Outcome.PENDING).update(
        outcome=Outcome.FAILED, code=PermissionDenied.code, processed_at=now
    )
    job.failed += left
    job.state, job.finished_at, job.heartbeat_at, job.error = State.FAILED, now, now, reason
    job.save(
        update_fields=["failed", "state", "finished_at", "heartbeat_at", "error", "started_at"]
    )


def _finish(job: BulkReassignment, *, actor: User, now: datetime) -> None:
    """Mark the job done and tell each rep once what it did to their customers (one notice
    per rep and job, not one per customer: a hand-over of 500 customers is one message)."""
    job.state, job.finished_at, job.heartbeat_at = State.DONE, now, now
    job.save(update_fields=["state", "started_at", "finished_at", "heartbeat_at"])
    moved = BulkReassignmentItem.objects.filter(job=job, outcome=Outcome.MOVED)
    received = moved.values_list("owner_after_id").annotate(n=Count("id"))
    lost = moved.filter(owner_before_id__isnull=False).values_list("owner_before_id")
    lost = lost.annotate(n=Count("id"))
    path = reverse("leads:mine")
    notices = [
        NewNotification(
            user_id=user_id,
            kind=Notification.Kind.REASSIGNED,
            payload={
                "count": count,
                "bulk": job.pk,
                "direction": direction,
                "by": actor.display_name,
                "to_pool": job.target_kind == Target.POOL,
                "path": path,
            },
            dedupe_key=f"bulk:{job.pk}:{direction}:{user_id}",
        )
        for direction, rows in (("in", received), ("out", lost))
        for user_id, count in rows
        if user_id is not None and user_id != actor.pk
    ]
    notify(notices, nudge=False)


def stalled_bulk_reassignments(*, now: datetime | None = None) -> list[int]:
    """The jobs to queue again (their worker died, or their message was lost): their
    heartbeat is moved on, so the next run of the resume job does not queue them again
    before a worker has had the time to pick them up."""
    now = now or timezone.now()
    stall = settings.BULK_REASSIGN_STALL_SECONDS
    with transaction.atomic():
        job_ids = list_stalled_bulk_reassignments(stalled_before=now - timedelta(seconds=stall))
        BulkReassignment.objects.filter(pk__in=job_ids).update(heartbeat_at=now)
    return job_ids
