"""A bulk move (批量转移) run by a real `celery worker`, SIGKILLed in the middle of the job,
then started again: the job finishes and moves nothing twice. On the broker the run's
database implies (tests/assignments/test_worker.py): PostgreSQL → Redis (a private
redis-server), SQLite → the file-system broker. Beat runs the periodic resume job (every
second here), which queues again a job whose worker died: Redis keeps a dead worker's
message for an hour, and the file-system broker delivers a message at most once."""

import time
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from assignments.models import BulkReassignment, BulkReassignmentItem, Ownership
from assignments.services.bulk_reassign import BulkTarget, submit_bulk_reassignment
from tests.assignments.bulk_world import check_job, check_one_owner_each, give_customers
from tests.assignments.test_worker import (  # noqa: F401 - fixtures
    broker_url,
    redis_server,
    set_job_interval,
    stack,
)
from tests.conftest import make_user
from tests.workers import wait_for

ON_POSTGRES = connection.vendor == "postgresql"
LEADS = 20_000 if ON_POSTGRES else 8_000
CHUNK = 200
KILL_AFTER = 2_000
RESUME_JOB = "Resume bulk moves"


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_job_is_resumed_and_moves_nothing_twice(request, team, manager):
    workers = request.getfixturevalue("stack")
    alice = make_user("alice", team=team)
    heirs = [make_user(name, team=team) for name in ("bob", "carol", "dave")]
    lead_ids = give_customers(LEADS, owner=alice, team=team)
    # Submitted here, its message lost on the way (this process's broker is not the
    # worker's): the resume job is what hands it to the worker, as after any lost message.
    with mock.patch("assignments.services.bulk_reassign.queue_bulk_reassignment_run"):
        job = submit_bulk_reassignment(
            actor=manager,
            target=BulkTarget.round_robin([rep.pk for rep in heirs]),
            reason="Alice leaves",
            lead_ids=lead_ids,
            override_limit=True,
        )
    workers.env.update(
        BULK_REASSIGN_CHUNK_SIZE=str(CHUNK),
        BULK_REASSIGN_STALL_SECONDS="2",
        BULK_REASSIGN_TASK_SECONDS="5",
    )
    set_job_interval(RESUME_JOB, seconds=1)
    moved = BulkReassignmentItem.objects.filter(job=job, outcome="moved")

    first = workers.start_worker()
    workers.start_beat()
    wait_for(lambda: moved.count() >= KILL_AFTER, timeout=60, interval=0.02, message=workers.logs)
    first.kill()

    time.sleep(1)  # the killed connections' open transactions are rolled back
    job.refresh_from_db()
    done_so_far = moved.count()
    assert 0 < done_so_far < LEADS, f"kill came too late ({done_so_far} moved); raise LEADS"
    assert job.state == "running"
    # Each chunk is all or nothing: counts, report lines, owners and history agree.
    assert job.moved == done_so_far
    assert Ownership.objects.filter(ended_at__isnull=True, owner=alice).count() == (
        LEADS - done_so_far
    )
    check_one_owner_each(lead_ids)

    workers.start_worker()
    wait_for(
        lambda: BulkReassignment.objects.get(pk=job.pk).is_finished,
        timeout=180,
        interval=0.5,
        message=workers.logs,
    )
    report = check_job(job)
    assert report == {"moved": LEADS}, report
    job.refresh_from_db()
    assert job.state == "done" and job.finished_at <= timezone.now()
    check_one_owner_each(lead_ids)
    assert not Ownership.objects.filter(ended_at__isnull=True, owner=alice).exists()
    # The worker log shows the resume job queued it again after the kill.
    assert "resume_bulk_reassignments_task" in workers.logs(chars=200_000)
