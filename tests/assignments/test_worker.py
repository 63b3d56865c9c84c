"""The claim lifecycle with a real `celery worker` and `celery beat` (subprocesses), on the
broker the run's database implies: PostgreSQL → Redis (a private redis-server), SQLite → the
file-system broker (in a private directory). Nothing here calls a task in-process: beat reads
its schedule from the database, as in production, and the worker does the work."""

import http.client
import json
import os
import re
import shutil
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts import services as account_services
from accounts.models import Notification, User
from assignments.models import Ownership, OwnershipEvent
from assignments.selectors import list_leads_visible_to
from leads.models import Lead
from tests.conftest import PASSWORD, make_user
from tests.workers import RedisServer, Stack, wait_for

ON_POSTGRES = connection.vendor == "postgresql"
RECYCLE_JOB = "Recycle expired claims"
DELIVERY_JOB = "Deliver notification e-mails"


# --- fixtures ----------------------------------------------------------------------------------
@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server: no cross-talk with the shared one, and ours to stop."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.process.stop()
    print(server.process.tail())


@pytest.fixture
def broker_url(request) -> str | None:
    """PostgreSQL run: Redis (a private server; else REDIS_URL as given). SQLite run: None,
    the file-system broker."""
    if not ON_POSTGRES:
        return None
    if shutil.which("redis-server"):
        return request.getfixturevalue("redis_server").url
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    pytest.skip("the PostgreSQL run needs Redis: install redis-server or set REDIS_URL")


@pytest.fixture
def stack(transactional_db, tmp_path, broker_url):
    """Starts worker/beat/gunicorn on demand; all of them are stopped before the database is
    flushed. Their output is printed here, which pytest shows when the test fails."""
    processes = Stack(tmp_path, redis_url=broker_url)
    yield processes
    processes.stop_all()
    print(f"broker: {broker_url or 'filesystem://'} database: {connection.settings_dict['NAME']}")
    print(processes.logs(chars=8000))


# --- helpers -----------------------------------------------------------------------------------
def set_job_interval(name: str, *, seconds: int) -> None:
    """What an admin does under Periodic tasks: point the job at another interval."""
    every, _created = IntervalSchedule.objects.get_or_create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
    job = PeriodicTask.objects.get(name=name)
    job.interval = every
    job.save()


def kinds(lead_id: int) -> list[str]:
    return list(
        OwnershipEvent.objects.filter(lead_id=lead_id)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


def finished_recycle_runs(worker_log: str, *, released: int) -> int:
    pattern = rf"recycle_stale_claims_task\[[^\]]+\] succeeded in [0-9.]+s: {released}$"
    return len(re.findall(pattern, worker_log, flags=re.MULTILINE))


def beat_could_not_send(beat_log: str) -> bool:
    """Beat saw the changed schedule and failed to reach the broker: a first connection is
    retried ("Connection error"), a lost one fails the send ("Couldn't apply ...")."""
    return "Schedule changed" in beat_log and (
        "beat: Connection error" in beat_log or "Couldn't apply scheduled task" in beat_log
    )


def request(port: int, method: str, path: str, *, token: str, body: dict | None = None):
    """One HTTP request; returns (status, json body, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    try:
        conn.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={
                "Authorization": f"Token {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    elapsed = time.monotonic() - started
    try:
        return response.status, json.loads(raw), elapsed
    except ValueError:
        return response.status, {"unparsed": raw[:500].decode(errors="replace")}, elapsed


def healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def make_stale_claims(count: int, *, owners: list[User], admin: User) -> None:
    """`count` leads, each with one open ownership period whose protection ended between a
    day and about 18 hours ago (oldest first by lead id). Bulk rows, valid for every
    constraint, for speed; the original `assign` history is not needed here."""
    now = timezone.now()
    leads = Lead.objects.bulk_create(
        [
            Lead(company_name=f"Stale {i}", created_by=admin, pool_team=owners[0].team)
            for i in range(count)
        ],
        batch_size=2000,
    )
    periods = []
    for i, lead in enumerate(leads):
        protected_until = now - timedelta(days=1) + timedelta(seconds=i)
        periods.append(
            Ownership(
                lead=lead,
                owner=owners[i % len(owners)],
                started_at=protected_until - timedelta(days=7),
                protected_until=protected_until,
            )
        )
    Ownership.objects.bulk_create(periods, batch_size=2000)


# --- 1. an expired claim comes back by itself --------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_worker_and_beat_recycle_an_expired_claim_and_email_the_owner(
    stack, rep, teammate, make_lead, set_policy
):
    rep.email = "alice@example.cn"
    rep.save()
    set_policy(protection_period=timedelta(seconds=3))
    lead = make_lead(actor=rep, company_name="Short Claim Co")
    period = Ownership.objects.get(lead=lead, ended_at__isnull=True)
    assert period.protected_until - period.started_at == timedelta(seconds=3)
    set_job_interval(RECYCLE_JOB, seconds=1)

    worker = stack.start_worker()
    stack.start_beat()

    wait_for(
        lambda: not Ownership.objects.filter(lead=lead, ended_at__isnull=True).exists(),
        timeout=40,
        message=stack.logs,
    )
    period.refresh_from_db()
    assert (period.end_kind, period.ended_at) == ("expire", period.protected_until)
    assert lead in list_leads_visible_to(user=teammate, scope="pool")
    note = Notification.objects.get(user=rep, lead=lead)
    assert note.kind == "claim_expired"
    # The delivery task (nudged by the recycle) e-mails it; the console backend prints it.
    wait_for(
        lambda: Notification.objects.get(pk=note.pk).email_status == "sent",
        timeout=40,
        message=stack.logs,
    )
    wait_for(lambda: "To: alice@example.cn" in worker.output(), timeout=10, message=stack.logs)
    # Later runs (every second) find nothing more to do: the expiry is recorded once.
    runs_so_far = finished_recycle_runs(worker.output(), released=0)
    wait_for(
        lambda: finished_recycle_runs(worker.output(), released=0) >= runs_so_far + 2,
        timeout=20,
        message=stack.logs,
    )
    assert finished_recycle_runs(worker.output(), released=1) == 1
    assert kinds(lead.pk) == ["assign", "expire"]
    expire = OwnershipEvent.objects.get(lead=lead, kind="expire")
    assert (expire.from_owner_id, expire.actor_id) == (rep.pk, None)
    assert Notification.objects.filter(user=rep).count() == 1


# --- 2. a worker killed in the middle of a large sweep -----------------------------------------
STALE = 20_000
BATCH = 200
KILL_AFTER = 2_000  # ten batches in; a sweep of STALE takes several seconds at this size


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_sweep_the_next_runs_release_every_lead_exactly_once(
    stack, team, manager
):
    admin = make_user("sweep_admin", role=User.Role.ADMIN)
    owners = [make_user(f"hoarder{i}", team=team) for i in range(10)]
    make_stale_claims(STALE, owners=owners, admin=admin)
    stack.env["RECYCLE_BATCH_SIZE"] = str(BATCH)
    set_job_interval(RECYCLE_JOB, seconds=1)
    expired = OwnershipEvent.objects.filter(kind="expire")

    first = stack.start_worker()
    stack.start_beat()
    wait_for(lambda: expired.count() >= KILL_AFTER, timeout=40, interval=0.02, message=stack.logs)
    first.kill()

    time.sleep(1)  # the killed connections' open transactions are rolled back
    released = expired.count()
    assert 0 < released < STALE, f"kill came too late ({released} released); raise STALE"
    # Each batch is all or nothing: closed periods, history and notices agree.
    closed = Ownership.objects.filter(end_kind="expire").count()
    notices = Notification.objects.filter(kind="claim_expired").count()
    assert closed == notices == released

    second = stack.start_worker()
    still_open = Ownership.objects.filter(ended_at__isnull=True)  # every claim here is stale
    wait_for(lambda: not still_open.exists(), timeout=120, interval=0.5, message=stack.logs)
    # One more complete run that finds nothing: nothing is released twice afterwards either.
    wait_for(
        lambda: finished_recycle_runs(second.output(), released=0) >= 1,
        timeout=30,
        message=stack.logs,
    )

    assert expired.count() == STALE
    twice = expired.values("lead_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists()
    assert Ownership.objects.filter(end_kind="expire").count() == STALE
    assert not Ownership.objects.filter(ended_at__isnull=True).exists()
    notices = Notification.objects.filter(kind="claim_expired")
    assert notices.count() == STALE
    assert notices.values("lead_id").distinct().count() == STALE


# --- 3. Redis down: users keep working, e-mails follow later ----------------------------------
@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="the SQLite run uses the file-system broker, which has no server to stop",
)
@pytest.mark.django_db(transaction=True)
def test_redis_down_claims_and_reassign_work_and_emails_go_out_when_it_returns(
    stack, redis_server, rep, teammate, manager, make_lead
):
    for user, address in ((rep, "alice"), (teammate, "bob"), (manager, "manny")):
        user.email = f"{address}@example.cn"
        user.save()
    first, second = make_lead(company_name="Outage One"), make_lead(company_name="Outage Two")
    token = {
        user.pk: account_services.issue_token(username=user.username, password=PASSWORD).key
        for user in (rep, manager)
    }
    assert stack.redis_url == redis_server.url
    _server, port = stack.start_gunicorn()
    wait_for(lambda: healthy(port), timeout=30, message=stack.logs)
    worker = stack.start_worker()
    beat = stack.start_beat()

    # Redis goes away while the worker is idle: at the default intervals no job is due yet.
    # (Losing Redis while a task runs makes this worker exit instead; see the report.)
    redis_server.stop()
    worker.wait_for_output("Connection to broker lost", timeout=20)
    results = [
        request(port, "POST", f"/api/v1/leads/{first.pk}/claim/", token=token[rep.pk]),
        request(port, "POST", f"/api/v1/leads/{second.pk}/claim/", token=token[rep.pk]),
        request(
            port,
            "POST",
            f"/api/v1/leads/{first.pk}/reassign/",
            token=token[manager.pk],
            body={"to": teammate.pk, "reason": "Alice is on leave"},
        ),
    ]
    timings = [(status, round(seconds, 2)) for status, _body, seconds in results]
    assert [status for status, _body, _s in results] == [200, 200, 200], (timings, results)
    assert Ownership.objects.get(lead=first, ended_at__isnull=True).owner == teammate
    assert Ownership.objects.get(lead=second, ended_at__isnull=True).owner == rep
    notes = Notification.objects.filter(kind="reassigned")
    assert sorted(notes.values_list("user__username", "email_status")) == [
        ("alice", "pending"),
        ("bob", "pending"),
    ]
    # During the outage an admin makes the delivery job run every second; beat picks that up
    # from the database, but cannot reach the broker: the notices wait in the outbox.
    set_job_interval(DELIVERY_JOB, seconds=1)
    wait_for(lambda: beat_could_not_send(beat.output()), timeout=20, message=stack.logs)
    assert set(notes.values_list("email_status", flat=True)) == {"pending"}

    redis_server.start()  # same port, empty: whatever was queued before is gone
    wait_for(
        lambda: set(notes.values_list("email_status", flat=True)) == {"sent"},
        timeout=40,
        interval=0.5,
        message=lambda: f"{list(notes.values('user__username', 'email_status'))}\n{stack.logs()}",
    )
    log = worker.output()
    assert worker.running, "the worker should have reconnected, not exited"
    assert "To: alice@example.cn" in log and "To: bob@example.cn" in log
    assert Notification.objects.filter(email_status="pending").count() == 0
    # Checked last, so that a slow request does not hide whether the rest works.
    assert all(seconds < 2 for _status, _body, seconds in results), (
        f"(status, seconds) of claim, claim, reassign while Redis was down: {timings}"
    )
