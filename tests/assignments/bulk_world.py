"""Helpers of the bulk move tests (批量转移): many customers owned by one rep, written
set-based for speed (valid for every constraint, with their `assign` history), and checks
that every bulk move's report and history agree."""

from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from kombu import pools

from accounts.models import Team, User
from assignments.models import BulkReassignment, BulkReassignmentItem, Ownership, OwnershipEvent
from crm.celery import app
from leads.models import Lead


def give_customers(count: int, *, owner: User, team: Team, prefix: str = "Bulk") -> list[int]:
    """`count` leads of `team`'s pool, each owned by `owner` (a live claim with its `assign`
    record); returns their ids, oldest first."""
    now = timezone.now()
    leads = Lead.objects.bulk_create(
        [Lead(company_name=f"{prefix} {i:05d}", pool_team=team) for i in range(count)],
        batch_size=2000,
    )
    Ownership.objects.bulk_create(
        [
            Ownership(
                lead=lead,
                owner=owner,
                started_at=now - timedelta(hours=1),
                protected_until=now + timedelta(days=6),
            )
            for lead in leads
        ],
        batch_size=2000,
    )
    OwnershipEvent.objects.bulk_create(
        [
            OwnershipEvent(
                lead=lead,
                kind=OwnershipEvent.Kind.ASSIGN,
                to_owner=owner,
                at=now - timedelta(hours=1),
            )
            for lead in leads
        ],
        batch_size=2000,
    )
    return [lead.pk for lead in leads]


def check_job(job: BulkReassignment) -> Counter:
    """The report adds up, each moved lead has exactly one history record of this job (the
    one its line names, from its owner before to its owner after) and nothing else has one;
    returns the outcomes' counts."""
    job.refresh_from_db()
    items = BulkReassignmentItem.objects.filter(job=job)
    outcomes = Counter(items.values_list("outcome", flat=True))
    assert outcomes["pending"] == 0, outcomes
    assert job.total == items.count() == sum(outcomes.values())
    assert (job.moved, job.skipped, job.failed) == (
        outcomes["moved"],
        outcomes["skipped"],
        outcomes["failed"],
    )
    events = OwnershipEvent.objects.filter(details__bulk=job.pk)
    assert events.count() == job.moved
    twice = events.values("lead_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists(), list(twice[:5])
    by_id = {event.pk: event for event in events}
    for item in items.filter(outcome="moved"):
        event = by_id[item.event_id]
        assert event.lead_id == item.lead_id
        assert (event.from_owner_id, event.to_owner_id) == (
            item.owner_before_id,
            item.owner_after_id,
        )
    assert not items.exclude(outcome="moved").filter(event__isnull=False).exists()
    return outcomes


def replayed_owners(lead_ids: list[int]) -> dict[int, int | None]:
    """Who owns each lead by its history alone (its records read in order)."""
    owners: dict[int, int | None] = dict.fromkeys(lead_ids)
    for start in range(0, len(lead_ids), 5000):
        events = (
            OwnershipEvent.objects.filter(lead_id__in=lead_ids[start : start + 5000])
            .order_by("lead_id", "at", "id")
            .values_list("lead_id", "kind", "to_owner_id")
        )
        for lead_id, kind, to_owner in events:
            if kind in ("claim", "assign", "reassign", "transfer"):
                owners[lead_id] = to_owner
            elif kind in ("release", "expire"):
                owners[lead_id] = None
    return owners


def check_one_owner_each(lead_ids: list[int]) -> None:
    """At most one open period per lead (the database's rule), and its owner is the one the
    history names: a lead is owned by exactly one rep, or is in a pool."""
    open_periods: Counter = Counter()
    owners: dict[int, int] = {}
    for start in range(0, len(lead_ids), 5000):
        rows = Ownership.objects.filter(
            lead_id__in=lead_ids[start : start + 5000], ended_at__isnull=True
        ).values_list("lead_id", "owner_id")
        for lead_id, owner_id in rows:
            open_periods[lead_id] += 1
            owners[lead_id] = owner_id
    assert not [lead for lead, n in open_periods.items() if n > 1]
    history = replayed_owners(lead_ids)
    wrong = [lead_id for lead_id in lead_ids if owners.get(lead_id) != history[lead_id]]
    assert not wrong, wrong[:10]


@contextmanager
def publishing_to(stack):
    """Tasks this process queues (the live server's) go to the broker of the test's worker,
    as a web process of the same deployment would send them."""
    conf = app.conf
    saved = conf.broker_url, conf.broker_transport_options
    _forget_connections()
    if stack.redis_url:
        conf.broker_url = stack.redis_url
        conf.broker_transport_options = {"visibility_timeout": 3600, "max_retries": 0}
    else:
        folder = stack.tmp_path / "var" / "celery-broker"
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        conf.broker_url = "filesystem://"
        conf.broker_transport_options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        }
    try:
        yield
    finally:
        _forget_connections()
        conf.broker_url, conf.broker_transport_options = saved


def _forget_connections() -> None:
    """The app's connection and producer pools, and kombu's (kept by broker URL whatever
    the transport options), are made again from the configuration on the next send."""
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
