"""Periodic jobs (scheduled by beat from the database, see `assignments.schedules`). Thin:
the work is in the services, which re-check everything under the row locks."""

from celery import shared_task

from .services.recycle import recycle_stale_claims
from .services.reminders import send_expiry_reminders, send_next_step_reminders


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
