"""A bulk move's report as CSV, streamed line by line (a 50,000-lead report never sits in
memory): the API's (stable English column names, for programs) and the page's (the
reader's language, with a byte-order mark so that spreadsheet programs read Chinese)."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .bulk_codes import describe_outcome
from .models import BulkReassignment, BulkReassignmentItem
from .selectors.bulk_reassignments import list_bulk_items

COLUMNS = (
    ("position", _("No.")),
    ("lead_id", _("Customer ID")),
    ("company_name", _("Company")),
    ("outcome", _("Outcome")),
    ("code", _("Code")),
    ("detail", _("Detail")),
    ("owner_before_id", _("Owner before (ID)")),
    ("owner_before", _("Owner before")),
    ("owner_after_id", _("Owner after (ID)")),
    ("owner_after", _("Owner after")),
    ("event_id", _("History record")),
    ("processed_at", _("Processed at")),
)


class _Line:
    """A file-like object whose write() hands back the line (csv.writer writes one row)."""

    def write(self, value: str) -> str:
        return value


def _rows(job: BulkReassignment, *, translated: bool) -> Iterator[list]:
    labels = dict(BulkReassignmentItem.Outcome.choices)
    yield [str(label) if translated else name for name, label in COLUMNS]
    for item in list_bulk_items(job=job).iterator(chunk_size=2000):
        before, after = item.owner_before, item.owner_after
        yield [
            item.position + 1,
            item.lead_id,
            item.company_name or "",
            str(labels[item.outcome]) if translated else item.outcome,
            item.code,
            describe_outcome(item.code)
            if item.outcome != BulkReassignmentItem.Outcome.PENDING
            else "",
            before.pk if before else "",
            before.display_name if before else "",
            after.pk if after else "",
            after.display_name if after else "",
            item.event_id or "",
            timezone.localtime(item.processed_at).isoformat() if item.processed_at else "",
        ]


# A cell a spreadsheet would read as a formula (a company named "=HYPERLINK(...)").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def report_csv(job: BulkReassignment, *, translated: bool) -> StreamingHttpResponse:
    writer = csv.writer(_Line())
    # The lines are written after the view has returned: in the request's language still.
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            if translated:
                yield "\ufeff"
            for row in _rows(job, translated=translated):
                # The page's CSV opens in spreadsheets; the API's is data, kept as stored.
                yield writer.writerow([_as_text(cell) for cell in row] if translated else row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bulk-move-{job.pk}.csv"'
    return response
