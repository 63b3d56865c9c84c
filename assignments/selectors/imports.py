"""Reads of imports (导入): the jobs a user sees (their own; every one for an admin), one
job's report page by page, and the jobs that lost their worker."""

from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from crm.errors import NotFound
from crm.sql import as_row_id

from .. import access
from ..models import ImportJob, ImportRow


def can_see_import(user: User, job: ImportJob) -> bool:
    """Its creator, and admins."""
    return job.actor_id == user.pk or user.is_admin


def list_import_jobs_visible_to(*, user: User) -> QuerySet[ImportJob]:
    """Newest first: the user's own imports; every one for an admin. Reps: PermissionDenied."""
    access.ensure_can_import(user)
    jobs = ImportJob.objects.select_related("actor", "pool_team").defer("columns", "mapping")
    return jobs if user.is_admin else jobs.filter(actor=user)


def get_import_job_for(*, user: User, job_id) -> ImportJob:
    """One import the user sees (403 for a rep, 404 for one they do not see)."""
    access.ensure_can_import(user)
    job_id = as_row_id(job_id)
    job = (
        None
        if job_id is None
        else ImportJob.objects.select_related("actor", "pool_team").filter(pk=job_id).first()
    )
    if job is None or not can_see_import(user, job):
        raise NotFound()
    return job


def list_import_rows(
    *,
    job: ImportJob,
    after: int | None = None,
    outcome: str | None = None,
    limit: int | None = None,
) -> QuerySet[ImportRow]:
    """A job's report in row order with where each created customer went; `after`: from
    the row after this number (keyset paging)."""
    rows = ImportRow.objects.filter(job=job).select_related("owner", "pool_team", "lead")
    rows = rows.only(
        "number",
        "cells",
        "outcome",
        "code",
        "detail",
        "matches",
        "processed_at",
        "lead__id",
        "lead__company_name",
        "owner__id",
        "owner__display_name",
        "owner__username",
        "pool_team__id",
        "pool_team__name",
    ).order_by("number")
    if after is not None:
        rows = rows.filter(number__gt=after)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows[:limit] if limit is not None else rows


def preview_rows(job: ImportJob, *, count: int = 10) -> list[list[str]]:
    """The first rows of the file, as read."""
    return list(
        ImportRow.objects.filter(job=job).order_by("number").values_list("cells", flat=True)[:count]
    )


def list_stalled_import_jobs(*, stalled_before: datetime) -> list[int]:
    """Jobs queued or running with no progress since `stalled_before`: their worker died or
    their message was lost."""
    return list(
        ImportJob.objects.filter(
            state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING],
            heartbeat_at__lt=stalled_before,
        )
        .order_by("heartbeat_at")
        .values_list("pk", flat=True)[:100]
    )
