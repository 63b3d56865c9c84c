"""An export from its first byte to its record: the rows a user may see, in the format asked
for, counted as they are written; the record is completed when the last byte is handed
over, or marked incomplete when the download is cut short."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from crm.errors import DomainError
from leads.export_records import finish_export_record, start_export_record
from leads.models import ExportRecord, Lead

from ..selectors.exports import iter_export_batches, list_leads_to_export, team_names
from .files import CONTENT_TYPES, csv_chunks, xlsx_chunks
from .rows import Labels, RowMaker

FORMATS = tuple(ExportRecord.Format.values)


class InvalidExportFormat(DomainError):
    code = "invalid_format"
    status = 400

    def __init__(self) -> None:
        super().__init__(
            _("Unknown export format: choose one of %(formats)s.") % {"formats": ", ".join(FORMATS)}
        )


@dataclass
class Export:
    """A started export: what the response needs (its type and file name) and the stream of
    its bytes."""

    content_type: str
    filename: str
    chunks: Iterator[bytes]


def start_export(
    *, user: User, format: str, scope: str, params: Mapping[str, str], now: datetime | None = None
) -> Export:
    """Checks the request (format, scope, filters: the same refusals as the list), records the
    export and returns its stream. Headers and labels are translated here, in the request's
    language."""
    if format not in FORMATS:
        raise InvalidExportFormat()
    now = now or timezone.now()
    queryset = list_leads_to_export(user=user, scope=scope, params=params, now=now)
    record = start_export_record(actor=user, format=format, scope=scope, params=params)
    labels = Labels.current()
    filename = f"leads-{scope}-{timezone.localtime(now):%Y-%m-%d}.{format}"
    chunks = _stream(
        record_id=record.pk,
        user=user,
        queryset=queryset,
        now=now,
        format=format,
        labels=labels,
        sheet_name=_("Customer list"),
    )
    return Export(content_type=CONTENT_TYPES[format], filename=filename, chunks=chunks)


def _stream(
    *,
    record_id: int,
    user: User,
    queryset: QuerySet[Lead],
    now: datetime,
    format: str,
    labels: Labels,
    sheet_name: str,
) -> Iterator[bytes]:
    maker = RowMaker(viewer=user, labels=labels, teams=team_names())
    written = 0

    def batches():
        nonlocal written
        for batch in iter_export_batches(
            user=user, queryset=queryset, now=now, batch_size=settings.EXPORT_BATCH_SIZE
        ):
            rows = [maker.row(item) for item in batch]
            written += len(rows)
            yield rows

    source = batches()
    completed = False
    try:
        if format == "csv":
            yield from csv_chunks(labels.headers, source)
        else:
            yield from xlsx_chunks(labels.headers, source, sheet_name=sheet_name)
        completed = True
    finally:
        # A download cut short: end the read (and its transaction) before recording.
        source.close()
        finish_export_record(record_id=record_id, rows=written, completed=completed)
