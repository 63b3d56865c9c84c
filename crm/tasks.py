"""The nightly backup of the embedded database (scheduled by beat, see assignments.schedules)."""

import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import connection

from crm import backup

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def back_up_database_task() -> str:
    """A backup of the SQLite database into the data folder's backups/, and those older than
    BACKUP_KEEP_DAYS deleted. Returns the new file's path ("" when there is nothing to do)."""
    if connection.vendor != "sqlite":
        logger.info(
            "Database backup skipped: the database is %s, not SQLite; back it up with its own"
            " tools (pg_dump for PostgreSQL).",
            connection.vendor,
        )
        return ""
    folder = Path(settings.BACKUP_DIR)
    path = backup.back_up(Path(settings.DATABASES["default"]["NAME"]), folder)
    removed = backup.prune(folder, keep_days=settings.BACKUP_KEEP_DAYS)
    logger.info(
        "Database backed up to %s; %d older than %d days deleted.",
        path,
        len(removed),
        settings.BACKUP_KEEP_DAYS,
    )
    return str(path)
