"""An import (导入) run by a real `celery worker`, SIGKILLed in the middle of the job, then
started again: the job finishes and creates no row twice. As for bulk moves
(test_bulk_reassign_worker.py): PostgreSQL → a private Redis, SQLite → the file-system
broker; beat runs the periodic resume job (every second here), which queues again the job
whose worker died."""

import hashlib
import time
from collections import Counter
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from assignments.models import ImportJob, ImportRow
from assignments.services.import_jobs import create_import_job
from leads.models import Lead
from tests.assignments.test_worker import (  # noqa: F401 - fixtures
    broker_url,
    redis_server,
    set_job_interval,
    stack,
)
from tests.workers import wait_for

ON_POSTGRES = connection.vendor == "postgresql"
ROWS = 800 if ON_POSTGRES else 300
KILL_AFTER = 150
REPEAT_EVERY = 10  # every 10th row repeats the row before it: a duplicate
RESUME_JOB = "Resume imports"


def name(i: int) -> str:
    return f"Firm {hashlib.sha256(f'import-{i}'.encode()).hexdigest()[:12]}"


def build_file() -> bytes:
    lines = ["Company,Phone"]
    for i in range(ROWS):
        n = i - 1 if i % REPEAT_EVERY == REPEAT_EVERY - 1 else i
        lines.append(f"{name(n)},1391{n:07d}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_import_is_resumed_and_creates_no_row_twice(request, admin_user):
    workers = request.getfixturevalue("stack")
    # Submitted here, its message lost on the way: the resume job hands it to the worker.
    with mock.patch("assignments.services.import_jobs.queue_import_job_run"):
        job = create_import_job(
            actor=admin_user,
            upload=SimpleUploadedFile("big.csv", build_file()),
            destination="public_pool",
        )
    assert job.total == ROWS
    workers.env.update(IMPORT_STALL_SECONDS="2", IMPORT_TASK_SECONDS="5")
    set_job_interval(RESUME_JOB, seconds=1)
    done = ImportRow.objects.filter(job=job).exclude(outcome="pending")

    first = workers.start_worker()
    workers.start_beat()
    wait_for(lambda: done.count() >= KILL_AFTER, timeout=120, interval=0.02, message=workers.logs)
    first.kill()

    time.sleep(1)  # the killed connections' open transactions are rolled back
    job.refresh_from_db()
    so_far = done.count()
    assert 0 < so_far < ROWS, f"kill came too late ({so_far} rows); raise ROWS"
    assert job.state == "running"
    # Each row is all or nothing: counts, report lines and customers agree.
    assert job.processed == so_far
    created = ImportRow.objects.filter(job=job, outcome="created")
    assert Lead.objects.filter(company_name__startswith="Firm ").count() == created.count()

    workers.start_worker()
    wait_for(
        lambda: ImportJob.objects.get(pk=job.pk).is_finished,
        timeout=900,
        interval=0.5,
        message=workers.logs,
    )
    job.refresh_from_db()
    duplicates = ROWS // REPEAT_EVERY
    assert (job.state, job.created, job.duplicates, job.invalid, job.failed) == (
        "done",
        ROWS - duplicates,
        duplicates,
        0,
        0,
    )
    outcomes = Counter(ImportRow.objects.filter(job=job).values_list("outcome", flat=True))
    assert outcomes == {"created": ROWS - duplicates, "duplicate": duplicates}
    # No customer twice: one lead per distinct name, each the lead of exactly one row.
    names = Counter(
        Lead.objects.filter(company_name__startswith="Firm ").values_list("company_name", flat=True)
    )
    assert len(names) == ROWS - duplicates and set(names.values()) == {1}
    lead_ids = list(created.values_list("lead_id", flat=True))
    assert len(set(lead_ids)) == len(lead_ids) == ROWS - duplicates
    assert all(
        code == "duplicate_in_pool"
        for code in ImportRow.objects.filter(job=job, outcome="duplicate").values_list(
            "code", flat=True
        )
    )
    assert "resume_import_jobs_task" in workers.logs(chars=200_000)
