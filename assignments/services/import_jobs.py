"""Imports (导入) as background jobs: an uploaded CSV or Excel list of customers, created row by
row by a Celery worker through the same creation as every other door (`create_lead`'s body,
`write_new_lead`), with a report line per row.

Uploading reads the file and stores its rows with the job (`ImportRow.cells`), so any
worker on any machine can run it and the file is never needed again. A page upload waits as
a draft until the user has mapped its columns (`start_import_job`); an API upload names its
mapping (or takes the guessed one) and starts at once.

Running the rows: `services.import_run`."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from crm.errors import NotFound
from crm.sql import as_row_id

from .. import access
from ..exceptions import ImportAlreadyStarted, InvalidTarget
from ..import_files import (
    apply_named_mapping,
    check_mapping,
    check_row_count,
    guess_mapping,
    read_upload,
)
from ..locks import lock_import_job
from ..models import ImportJob, ImportRow
from ..tasks import queue_import_job_run

State = ImportJob.State
Destination = ImportJob.Destination
# Rows written per INSERT while the file is read.
_BATCH = 2000


@transaction.atomic(durable=True)
def create_import_job(
    *,
    actor: User,
    upload,
    mapping: dict | None = None,
    destination: str = Destination.ROUTING,
    pool_team_id: int | None = None,
    confirm_weak_duplicates: bool = False,
    start: bool = True,
) -> ImportJob:
    """Read an uploaded file and store it as an import with its rows. `mapping` ({column
    header: field, or "" to ignore}) changes the guessed mapping. `start`: queue it now (the
    API); otherwise it waits as a draft for `start_import_job` (the page, after the preview).
    Raises PermissionDenied (reps), the file's errors (400: file_too_large, too_many_rows,
    file_format, file_unreadable, file_encoding, file_empty), invalid_mapping,
    company_column_required, InvalidTarget / OutOfScope for the pool."""
    access.ensure_can_import(actor)
    parsed = read_upload(upload)
    guessed = guess_mapping(parsed.columns)
    if mapping:
        guessed = apply_named_mapping(parsed.columns, guessed, mapping)
    team_id = check_destination(actor, destination=destination, pool_team_id=pool_team_id)
    if start:
        check_mapping(parsed.columns, guessed)
    now = timezone.now()
    job = ImportJob.objects.create(
        actor=actor,
        file_name=(getattr(upload, "name", "") or "")[:255],
        file_format=parsed.file_format,
        encoding=parsed.encoding,
        columns=parsed.columns,
        mapping=guessed,
        destination=destination,
        pool_team_id=team_id,
        confirm_weak_duplicates=bool(confirm_weak_duplicates),
        state=State.QUEUED if start else State.DRAFT,
        created_at=now,
        heartbeat_at=now,
    )
    total = 0
    batch: list[ImportRow] = []
    for cells in parsed.rows:
        total += 1
        # Counted while read: a file over the limit is refused before it is all stored.
        check_row_count(total)
        batch.append(ImportRow(job=job, number=total, cells=cells))
        if len(batch) >= _BATCH:
            ImportRow.objects.bulk_create(batch)
            batch = []
    ImportRow.objects.bulk_create(batch)
    check_row_count(total)
    job.total = total
    job.save(update_fields=["total"])
    if start:
        transaction.on_commit(partial(queue_import_job_run, job.pk))
    return job


def check_destination(actor: User, *, destination: str, pool_team_id) -> int | None:
    """Where the rows go: the territory rules, the public pool, or a team's pool the actor
    may create into. Returns the team's id (team pool) or None."""
    if destination not in Destination.values:
        raise InvalidTarget()
    if destination != Destination.TEAM_POOL:
        return None
    team_id = as_row_id(pool_team_id) if pool_team_id not in (None, "") else None
    if team_id is None or not Team.objects.filter(pk=team_id).exists():
        raise InvalidTarget()
    access.ensure_may_create(actor, owner_id=None, pool_team_id=team_id)
    return team_id


@transaction.atomic(durable=True)
def start_import_job(
    *,
    actor: User,
    job_id: int,
    mapping: list[str],
    destination: str,
    pool_team_id: int | None = None,
    confirm_weak_duplicates: bool = False,
) -> ImportJob:
    """Start a draft (the page's second step) with the mapping the user chose. Raises
    NotFound (not the actor's), ImportAlreadyStarted (409), invalid_mapping,
    company_column_required, InvalidTarget / OutOfScope."""
    access.ensure_can_import(actor)
    job = lock_import_job(job_id)
    if job is None or job.actor_id != actor.pk:
        raise NotFound()
    if job.state != State.DRAFT:
        raise ImportAlreadyStarted()
    job.mapping = check_mapping(job.columns, list(mapping))
    job.pool_team_id = check_destination(actor, destination=destination, pool_team_id=pool_team_id)
    job.destination = destination
    job.confirm_weak_duplicates = bool(confirm_weak_duplicates)
    job.state = State.QUEUED
    job.heartbeat_at = timezone.now()
    job.save(
        update_fields=[
            "mapping",
            "pool_team",
            "destination",
            "confirm_weak_duplicates",
            "state",
            "heartbeat_at",
        ]
    )
    transaction.on_commit(partial(queue_import_job_run, job.pk))
    return job
