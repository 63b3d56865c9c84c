"""The two file formats of an export, written batch by batch: CSV straight into the response,
XLSX into a temporary file (a zip needs its directory at the end) that is then streamed.

Every text cell that a spreadsheet would read as a formula (one beginning with `=`, `+`, `-`,
`@`, a tab or a carriage return) gets a leading `'` (OWASP's advice against CSV injection),
in both formats: an XLSX opened and saved again as CSV must stay harmless too."""

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DATETIME = "%Y-%m-%d %H:%M"
XLSX_DATETIME = "yyyy-mm-dd hh:mm"
# One sheet holds 1,048,576 rows, the header included; more go on to the next sheet.
XLSX_SHEET_ROWS = 1_048_576
FILE_CHUNK = 256 * 1024

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def escape_cell(value: str) -> str:
    if value and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value) -> str | int:
    kind = value.__class__
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if kind is datetime:
        return value.strftime(CSV_DATETIME)
    if kind is int:
        return value
    return escape_cell(str(value))


def csv_chunks(headers: list[str], batches: Iterable[list[list]]) -> Iterator[bytes]:
    """UTF-8 with a byte order mark (so that Excel reads Chinese right), one chunk per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([escape_cell(header) for header in headers])
    for rows in batches:
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _xlsx_cell(value):
    if isinstance(value, str):
        return escape_cell(value)
    return value


def write_xlsx(
    path: str, headers: list[str], batches: Iterable[list[list]], *, sheet_name: str
) -> None:
    """constant_memory: each row goes to the sheet's temporary file as it is written, so
    memory stays flat however many rows. Text is never read as a formula, number or link."""
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": XLSX_DATETIME,
            "tmpdir": os.path.dirname(path),
        },
    )
    header_row = [escape_cell(header) for header in headers]
    bold = workbook.add_format({"bold": True})
    sheets = 0
    sheet, row_index = None, XLSX_SHEET_ROWS
    for rows in batches:
        for row in rows:
            if row_index >= XLSX_SHEET_ROWS:
                sheets += 1
                sheet = workbook.add_worksheet(
                    sheet_name if sheets == 1 else f"{sheet_name} {sheets}"
                )
                sheet.write_row(0, 0, header_row, bold)
                sheet.freeze_panes(1, 0)
                row_index = 1
            sheet.write_row(row_index, 0, [_xlsx_cell(value) for value in row])
            row_index += 1
    if sheet is None:
        sheet = workbook.add_worksheet(sheet_name)
        sheet.write_row(0, 0, header_row, bold)
    workbook.close()


def xlsx_chunks(
    headers: list[str], batches: Iterable[list[list]], *, sheet_name: str
) -> Iterator[bytes]:
    """Writes the workbook into a temporary directory, then streams the file and removes it
    (also when the download is cut short)."""
    with tempfile.TemporaryDirectory(prefix="noclash-export-") as folder:
        path = os.path.join(folder, "export.xlsx")
        write_xlsx(path, headers, batches, sheet_name=sheet_name)
        with open(path, "rb") as file:
            while chunk := file.read(FILE_CHUNK):
                yield chunk
