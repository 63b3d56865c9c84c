"""An import's report as CSV, streamed line by line: the API's (stable English column names
and codes, for programs) and the page's (the reader's language, a byte-order mark so that
spreadsheet programs read Chinese, and cells that would start a formula quoted)."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import ImportJob, ImportRow
from .selectors.imports import list_import_rows

COLUMNS = (
    ("row", _("Row")),
    ("outcome", _("Outcome")),
    ("code", _("Code")),
    ("detail", _("Detail")),
    ("lead_id", _("Customer ID")),
    ("company_name", _("Company")),
    ("owner_id", _("Owner (ID)")),
    ("owner", _("Owner")),
    ("pool_team_id", _("Pool team (ID)")),
    ("pool_team", _("Pool")),
    ("duplicate_of", _("Duplicate of (ID)")),
    ("duplicate_company", _("Duplicate of")),
    ("duplicate_owner", _("Its owner")),
    ("processed_at", _("Processed at")),
)


class _Line:
    def write(self, value: str) -> str:
        return value


def where_it_went(row: ImportRow) -> str:
    """The owner's name, the team's pool, or the public pool."""
    if row.owner_id:
        return row.owner.display_name
    if row.pool_team_id:
        return str(_("The pool of %(team)s")) % {"team": row.pool_team.name}
    return str(_("The public pool"))


def _rows(job: ImportJob, *, translated: bool) -> Iterator[list]:
    labels = dict(ImportRow.Outcome.choices)
    yield [str(label) if translated else name for name, label in COLUMNS]
    for row in list_import_rows(job=job).iterator(chunk_size=2000):
        created = row.outcome == ImportRow.Outcome.CREATED
        match = row.matches[0] if row.matches else None
        match_owner = (match or {}).get("owner") or {}
        yield [
            row.number,
            str(labels[row.outcome]) if translated else row.outcome,
            row.code,
            row.detail,
            row.lead_id or "",
            row.lead.company_name if created else "",
            row.owner_id or "",
            (where_it_went(row) if translated else (row.owner.display_name if row.owner_id else ""))
            if created
            else "",
            row.pool_team_id or "",
            row.pool_team.name if row.pool_team_id else "",
            match["lead"] if match else "",
            match.get("company_name", "") if match else "",
            match_owner.get("display_name", ""),
            timezone.localtime(row.processed_at).isoformat() if row.processed_at else "",
        ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def report_csv(job: ImportJob, *, translated: bool) -> StreamingHttpResponse:
    writer = csv.writer(_Line())
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            if translated:
                yield "\ufeff"
            for row in _rows(job, translated=translated):
                yield writer.writerow([_as_text(cell) for cell in row] if translated else row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}.csv"'
    return response
