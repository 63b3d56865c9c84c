"""Periodic jobs (scheduled by beat from the database, see `assignments.schedules`). Thin:
the work is in the services, which re-check everything under the row locks."""

import logging

from celery import shared_task
from django.conf import settings

from .services.bulk_reassign_run import run_bulk_reassignment, stalled_bulk_reassignments
from .services.import_run import run_import_job, stalled_import_jobs
from .services.recycle import recycle_stale_claims
from .services.reminders import send_expiry_reminders, send_next_step_reminders

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def recycle_stale_claims_task() -> int:
    """Returns how many claims were released to the pool."""
    return recycle_stale_claims()


@shared_task(acks_late=True)
def send_expiry_reminders_task() -> int:
    return send_expiry_reminders()


@shared_task(acks_late=True)
def send_next_step_reminders_task() -> int:
    return send_next_step_reminders()


# --- bulk moves (批量转移) ---------------------------------------------------------------------
@shared_task(acks_late=True)
def run_bulk_reassignment_task(job_id: int) -> bool:
    """Move the job's pending leads for up to BULK_REASSIGN_TASK_SECONDS, then hand the rest
    to a fresh task (other work interleaves, no task nears its time limit). Idempotent: a
    finished job, or a job another worker runs, is left as it is found."""
    finished = run_bulk_reassignment(job_id=job_id, seconds=settings.BULK_REASSIGN_TASK_SECONDS)
    if not finished:
        queue_bulk_reassignment_run(job_id)
    return finished


@shared_task(acks_late=True)
def resume_bulk_reassignments_task() -> int:
    """Queue again the jobs whose worker died or whose message was lost (the file-system
    broker delivers at most once; Redis keeps a dead worker's message for an hour)."""
    job_ids = stalled_bulk_reassignments()
    for job_id in job_ids:
        queue_bulk_reassignment_run(job_id)
    return len(job_ids)


def queue_bulk_reassignment_run(job_id: int) -> None:
    """Ask a worker to run the job. Never fails the caller: with the broker down the job
    waits in the database and the resume job queues it later."""
    try:
        run_bulk_reassignment_task.apply_async(args=[job_id], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the database keeps the job
        logger.warning("broker unavailable; bulk move %s waits for the resume job", job_id)


# --- imports (导入) ---------------------------------------------------------------------------
@shared_task(acks_late=True)
def run_import_job_task(job_id: int) -> bool:
    """Create the job's pending rows for up to IMPORT_TASK_SECONDS, then hand the rest to a
    fresh task. Idempotent: a finished job, or a row another worker took, is left alone."""
    finished = run_import_job(job_id=job_id, seconds=settings.IMPORT_TASK_SECONDS)
    if not finished:
        queue_import_job_run(job_id)
    return finished


@shared_task(acks_late=True)
def resume_import_jobs_task() -> int:
    """Queue again the imports whose worker died or whose message was lost."""
    job_ids = stalled_import_jobs()
    for job_id in job_ids:
        queue_import_job_run(job_id)
    return len(job_ids)


def queue_import_job_run(job_id: int) -> None:
    """Ask a worker to run the import. Never fails the caller: with the broker down the job
    waits in the database and the resume job queues it later."""
    try:
        run_import_job_task.apply_async(args=[job_id], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the database keeps the job
        logger.warning("broker unavailable; import %s waits for the resume job", job_id)
