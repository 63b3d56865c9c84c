"""Default periodic jobs, stored with django-celery-beat so an admin can change an interval
in the admin (Periodic tasks) without a deploy. Created once; never overwritten here."""

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

JOBS = [
    (
        "Recycle expired claims",
        "assignments.tasks.recycle_stale_claims_task",
        "RECYCLE_INTERVAL_SECONDS",
    ),
    (
        "Claim expiry reminders",
        "assignments.tasks.send_expiry_reminders_task",
        "REMINDER_INTERVAL_SECONDS",
    ),
    (
        "Next-step reminders",
        "assignments.tasks.send_next_step_reminders_task",
        "NEXT_STEP_REMINDER_INTERVAL_SECONDS",
    ),
    (
        "Resume bulk moves",
        "assignments.tasks.resume_bulk_reassignments_task",
        "BULK_REASSIGN_RESUME_INTERVAL_SECONDS",
    ),
    (
        "Resume imports",
        "assignments.tasks.resume_import_jobs_task",
        "IMPORT_RESUME_INTERVAL_SECONDS",
    ),
    (
        "Deliver notification e-mails",
        "accounts.tasks.deliver_notifications_task",
        "DELIVERY_INTERVAL_SECONDS",
    ),
]

# The embedded database's nightly backup (crm/tasks.py); on PostgreSQL it does nothing.
BACKUP_JOB = "Back up the database"


def ensure_periodic_tasks(**kwargs) -> None:
    for name, task, setting in JOBS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        every, _created = IntervalSchedule.objects.get_or_create(
            every=getattr(settings, setting), period=IntervalSchedule.SECONDS
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every})
    # Nightly, at a fixed hour of the team's day rather than every N seconds from start-up.
    if not PeriodicTask.objects.filter(name=BACKUP_JOB).exists():
        nightly, _created = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour=str(settings.BACKUP_HOUR),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.get_or_create(
            name=BACKUP_JOB,
            defaults={"task": "crm.tasks.back_up_database_task", "crontab": nightly},
        )
