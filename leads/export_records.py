"""Writes of export records (导出记录): one row per export, started before the first byte is
sent and completed after the last, so an export cut short still says who took what."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import ExportRecord


@transaction.atomic(durable=True)
def start_export_record(
    *, actor: User, format: str, scope: str, params: Mapping[str, str]
) -> ExportRecord:
    return ExportRecord.objects.create(
        user=actor, format=format, scope=scope, params=dict(params), started_at=timezone.now()
    )


@transaction.atomic(durable=True)
def finish_export_record(*, record_id: int, rows: int, completed: bool) -> None:
    # Only the first finish counts: a record is never rewritten once finished.
    ExportRecord.objects.filter(pk=record_id, finished_at__isnull=True).update(
        rows=rows, completed=completed, finished_at=timezone.now()
    )
