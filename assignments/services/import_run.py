"""Running an import (导入) in a worker: its pending rows, one transaction each — the job's
row lock, the row's, the customer's creation through `write_new_lead` (the body of
`create_lead`, in a savepoint, so a refused duplicate rolls back only the creation), the
row's outcome and the job's counts. A worker killed mid-job leaves every row either created
and reported or pending; the resumed job starts at the first pending row: nothing is created
twice. Jobs whose worker died are queued again by a periodic job (`stalled_import_jobs`)."""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from crm.errors import DomainError, PermissionDenied
from leads.dedupe.normalize.phones import normalize_phones

from .. import access
from ..exceptions import DuplicateFound, OwnershipConflict
from ..locks import lock_import_job, lock_next_import_row
from ..models import ImportJob, ImportRow, Ownership
from ..selectors.imports import list_stalled_import_jobs
from .collisions import log_refusal
from .customers import write_new_lead
from .imports import first_message, row_payload, validated_row

logger = logging.getLogger(__name__)

State = ImportJob.State
Destination = ImportJob.Destination
Outcome = ImportRow.Outcome
FAILED_UNEXPECTEDLY = "failed_unexpectedly"
# How many matches a duplicate's report line keeps.
_MATCHES_KEPT = 3


def run_import_job(*, job_id: int, seconds: float | None = None) -> bool:
    """Work on the job until it is finished (True) or `seconds` have passed (False: the
    caller queues the rest). Safe to run twice at once and after a crash: each row takes
    the job's row lock and only a pending row."""
    deadline = time.monotonic() + (seconds if seconds is not None else float("inf"))
    while True:
        if run_next_row(job_id=job_id):
            return True
        if time.monotonic() >= deadline:
            return False
        if settings.IMPORT_PAUSE_SECONDS:
            time.sleep(settings.IMPORT_PAUSE_SECONDS)


@transaction.atomic(durable=True)
def run_next_row(*, job_id: int) -> bool:
    """The job's next row, created and reported in one transaction; True when the job is
    finished."""
    job = lock_import_job(job_id)
    if job is None or job.is_finished or job.is_draft:
        return True
    now = timezone.now()
    if job.state == State.QUEUED:
        job.state, job.started_at = State.RUNNING, now
    actor = User.objects.get(pk=job.actor_id)
    if not actor.is_active or not access.can_import(actor):
        # The importer lost the right meanwhile: every row left is reported, none created.
        _stop(job, now=now)
        return True
    row = lock_next_import_row(job_id=job.pk)
    if row is None:
        _finish(job, now=now)
        return True
    _create_row(job, row, actor=actor)
    row.processed_at = timezone.now()
    row.save(
        update_fields=[
            "outcome",
            "code",
            "detail",
            "lead",
            "owner",
            "pool_team",
            "matches",
            "processed_at",
        ]
    )
    counter = {
        Outcome.CREATED: "created",
        Outcome.DUPLICATE: "duplicates",
        Outcome.INVALID: "invalid",
        Outcome.FAILED: "failed",
    }[row.outcome]
    setattr(job, counter, getattr(job, counter) + 1)
    job.heartbeat_at = now
    job.save(update_fields=["state", "started_at", counter, "heartbeat_at"])
    if job.processed >= job.total:
        _finish(job, now=now)
        return True
    return False


def row_values(job: ImportJob, cells: list[str]) -> dict:
    """The row as the synchronous import reads one: {field: text}."""
    return {
        field: cells[position] if position < len(cells) else ""
        for position, field in enumerate(job.mapping)
        if field
    }


def _create_row(job: ImportJob, row: ImportRow, *, actor: User) -> None:
    """Decide the row's outcome (set on `row`, written by the caller)."""
    values, errors = validated_row(row_payload(row_values(job, row.cells)))
    if not errors:
        errors = _phone_errors(values)
    if errors:
        row.outcome, row.code, row.detail = (
            Outcome.INVALID,
            invalid_code(errors),
            first_message(errors),
        )
        return
    target = {"owner_id": None, "pool_team_id": None, "public_pool": False}
    if job.destination == Destination.TEAM_POOL:
        target["pool_team_id"] = job.pool_team_id
    elif job.destination == Destination.PUBLIC_POOL:
        target["public_pool"] = True
    try:
        # A savepoint: a refused row rolls back its own writes only, and its report line is
        # written in this same transaction.
        with transaction.atomic():
            lead = write_new_lead(
                actor=actor,
                confirm_duplicate=job.confirm_weak_duplicates,
                inquiry=None,
                **target,
                **values,
            )
    except DuplicateFound as refusal:
        log_refusal(actor_id=actor.pk, refusal=refusal)
        row.outcome, row.code, row.detail = Outcome.DUPLICATE, refusal.code, refusal.message
        row.matches = [_match(m) for m in refusal.extra["matches"][:_MATCHES_KEPT]]
        return
    except DomainError as exc:
        row.outcome, row.code, row.detail = Outcome.FAILED, exc.code, exc.message
        return
    except IntegrityError:
        row.outcome, row.code = Outcome.FAILED, OwnershipConflict.code
        row.detail = str(OwnershipConflict().message)
        return
    except OperationalError:
        raise  # a lost connection or a lock timeout is not the row's: the job resumes later
    except Exception as exc:
        if not _connection_usable():
            raise
        logger.warning("import %s: row %s failed: %r", job.pk, row.number, exc, exc_info=True)
        row.outcome, row.code = Outcome.FAILED, FAILED_UNEXPECTEDLY
        row.detail = gettext("This row could not be created.")
        return
    row.outcome, row.lead = Outcome.CREATED, lead
    row.pool_team_id = lead.pool_team_id
    row.owner_id = (
        Ownership.objects.filter(lead=lead, ended_at__isnull=True)
        .values_list("owner_id", flat=True)
        .first()
    )


def _phone_errors(values: dict) -> dict:
    """An import's list often carries a phone cell with no number in it ("无", "-", "待补充",
    a name typed in the wrong column): reported as an invalid phone rather than stored."""
    region = settings.PHONE_DEFAULT_REGION
    for contact in values.get("contacts", []):
        phone = contact.get("phone") or ""
        if phone and not normalize_phones(phone, region=region):
            message = gettext("%(phone)s is not a phone number.") % {"phone": phone[:40]}
            return {"contacts": [{"phone": [{"code": "invalid", "message": message}]}]}
    return {}


def _match(match: dict) -> dict:
    owner = match.get("owner")
    return {
        "lead": match["lead"],
        "company_name": match.get("company_name", ""),
        "level": match.get("level", ""),
        "owner": {"id": owner["id"], "display_name": owner["display_name"]} if owner else None,
    }


# The row checks' codes as the report names them.
_FIELD_CODES = {
    ("company_name", "required"): "missing_company",
    ("phone", None): "invalid_phone",
    ("email", None): "invalid_email",
    ("uscc", None): "invalid_uscc",
    ("website", None): "invalid_website",
}


def invalid_code(errors: dict) -> str:
    """`missing_company`, `invalid_phone`, ... or `invalid_<field>`."""
    for field, problems in errors.items():
        if field == "contacts":
            for contact in problems:
                if isinstance(contact, dict):
                    return invalid_code(contact)
            return "invalid_contact"
        code = problems[0].get("code") if problems and isinstance(problems[0], dict) else None
        for (name, wanted), named in _FIELD_CODES.items():
            if name == field and wanted in (None, code):
                return named
        return f"invalid_{field}"[:32]
    return "invalid"


def _connection_usable() -> bool:
    try:
        return connection.connection is not None and connection.is_usable()
    except DatabaseError:
        return False


def _stop(job: ImportJob, *, now: datetime) -> None:
    left = ImportRow.objects.filter(job=job, outcome=Outcome.PENDING).update(
        outcome=Outcome.FAILED,
        code=PermissionDenied.code,
        detail=str(PermissionDenied.default_message),
        processed_at=now,
    )
    job.failed += left
    job.state, job.finished_at, job.heartbeat_at = State.FAILED, now, now
    job.error = str(PermissionDenied.default_message)
    job.save(
        update_fields=["failed", "state", "started_at", "finished_at", "heartbeat_at", "error"]
    )


def _finish(job: ImportJob, *, now: datetime) -> None:
    job.state, job.finished_at, job.heartbeat_at = State.DONE, now, now
    job.save(update_fields=["state", "started_at", "finished_at", "heartbeat_at"])


def stalled_import_jobs(*, now: datetime | None = None) -> list[int]:
    """The jobs to queue again (their worker died, or their message was lost); their
    heartbeat is moved on so the next resume run does not queue them again at once."""
    now = now or timezone.now()
    stall = settings.IMPORT_STALL_SECONDS
    with transaction.atomic():
        job_ids = list_stalled_import_jobs(stalled_before=now - timedelta(seconds=stall))
        ImportJob.objects.filter(pk__in=job_ids).update(heartbeat_at=now)
    return job_ids
