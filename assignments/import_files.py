"""Reading an uploaded list of customers (导入): a CSV file (UTF-8, UTF-8 with a byte-order
mark, or GBK — what Chinese Excel saves as "CSV") or an Excel workbook (.xlsx, its first
sheet, read as a stream so a 100,000-row file does not sit in memory as cell objects), and
guessing which field each column holds from its header, in Chinese or English.

Every failure to read is a DomainError with a stable code (400), never a 500."""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .exceptions import (
    ImportFileEmpty,
    ImportFileEncoding,
    ImportFileFormat,
    ImportFileTooLarge,
    ImportFileUnreadable,
    ImportInvalidMapping,
    ImportNoCompanyColumn,
    ImportTooManyRows,
)

# The fields a column can go to, in the order the mapping menu offers them.
FIELDS = {
    "company_name": _("Company name"),
    "kind": _("Customer kind"),
    "uscc": _("Unified social credit code"),
    "contact_name": _("Contact"),
    "contact_phone": _("Phone"),
    "contact_email": _("E-mail"),
    "contact_title": _("Job title"),
    "province": _("Province"),
    "city": _("City"),
    "country": _("Country"),
    "industry": _("Industry"),
    "source": _("Source"),
    "website": _("Website"),
    "id_number": _("ID number"),
}
IGNORE = ""

# Header words for each field (compared without case, spaces, underscores or punctuation).
_SYNONYMS = {
    "company_name": (
        "公司名称",
        "公司",
        "企业名称",
        "企业",
        "客户名称",
        "客户",
        "单位名称",
        "单位",
        "company",
        "companyname",
        "customer",
        "customername",
        "organization",
        "organisation",
        "account",
    ),
    "kind": ("客户类型", "类型", "kind", "type", "customertype"),
    "uscc": (
        "统一社会信用代码",
        "信用代码",
        "社会信用代码",
        "uscc",
        "creditcode",
        "unifiedsocialcreditcode",
        "registrationnumber",
    ),
    "contact_name": ("联系人", "联系人姓名", "姓名", "contact", "contactname", "person"),
    "contact_phone": (
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话号码",
        "座机",
        "phone",
        "mobile",
        "tel",
        "telephone",
        "phonenumber",
        "contactphone",
        "cell",
    ),
    "contact_email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "email", "mail", "contactemail"),
    "contact_title": ("职位", "职务", "头衔", "title", "jobtitle", "position", "contacttitle"),
    "province": ("省份", "省", "所在省份", "province", "state", "region"),
    "city": ("城市", "市", "所在城市", "city", "town"),
    "country": ("国家", "国家地区", "country"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "source": ("来源", "客户来源", "线索来源", "source", "leadsource", "channel"),
    "website": ("网址", "网站", "官网", "公司网址", "website", "web", "url", "homepage", "site"),
    "id_number": ("身份证号", "身份证", "证件号码", "idnumber", "idcard"),
}
_KEY = re.compile(r"[\s_\-./:：（）()·*#]+")
_BY_WORD = {word: name for name, words in _SYNONYMS.items() for word in words}


def _key(header: str) -> str:
    return _KEY.sub("", header).casefold()


def guess_mapping(columns: list[str]) -> list[str]:
    """The field each column probably holds ("" when unsure); each field once, to the first
    column that names it."""
    taken: set[str] = set()
    mapping = []
    for header in columns:
        field = _BY_WORD.get(_key(header), IGNORE)
        if field and field in taken:
            field = IGNORE
        taken.add(field)
        mapping.append(field)
    return mapping


def check_mapping(columns: list[str], mapping: list[str]) -> list[str]:
    """A mapping the user chose: one known field (or "") per column, each field once, the
    company name among them."""
    if len(mapping) != len(columns):
        raise ImportInvalidMapping()
    chosen = [field for field in mapping if field]
    if any(field not in FIELDS for field in chosen) or len(chosen) != len(set(chosen)):
        raise ImportInvalidMapping()
    if "company_name" not in chosen:
        raise ImportNoCompanyColumn()
    return list(mapping)


def apply_named_mapping(columns: list[str], guessed: list[str], named) -> list[str]:
    """The API's `mapping` ({column header: field, or "" / null to ignore}) over the guess."""
    if not isinstance(named, dict):
        raise ImportInvalidMapping()
    mapping = list(guessed)
    for header, field in named.items():
        if header not in columns or not (field is None or isinstance(field, str)):
            raise ImportInvalidMapping()
        mapping[columns.index(header)] = field or IGNORE
    return mapping


@dataclass
class ParsedFile:
    file_format: str
    encoding: str
    columns: list[str]
    rows: Iterator[list[str]]  # the data rows, each as long as `columns`, read lazily


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def read_upload(upload) -> ParsedFile:
    """An uploaded file (Django's UploadedFile) as its header and an iterator of data rows.
    Raises ImportFileTooLarge, ImportFileFormat, ImportFileUnreadable, ImportFileEncoding."""
    if upload.size is not None and upload.size > max_bytes():
        raise ImportFileTooLarge(limit_mb=max_bytes() // (1024 * 1024))
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ImportFileTooLarge(limit_mb=max_bytes() // (1024 * 1024))
    return read_bytes(data, name=upload.name or "")


def read_bytes(data: bytes, *, name: str = "") -> ParsedFile:
    if data[:2] == b"PK":  # a zip: an .xlsx workbook, whatever its name says
        return _read_xlsx(data)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")) or b"\x00" in data[:4096]:
        raise ImportFileFormat()
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        # GB18030 reads every GBK file (and is what GBK grew into).
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileEncoding()


def _read_csv(data: bytes) -> ParsedFile:
    text, encoding = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(lines, None)
    except csv.Error as exc:
        raise ImportFileUnreadable() from exc
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileEmpty()
    columns = _columns(header)

    def rows() -> Iterator[list[str]]:
        try:
            for line in lines:
                if any(cell.strip() for cell in line):
                    yield _fit([cell.strip() for cell in line], len(columns))
        except csv.Error as exc:  # a cell over the csv module's limit (128 KB), a stray NUL
            raise ImportFileUnreadable() from exc

    return ParsedFile(file_format="csv", encoding=encoding, columns=columns, rows=rows())


def _read_xlsx(data: bytes) -> ParsedFile:
    try:
        # read_only: rows are streamed from the sheet's XML, memory stays flat.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError) as exc:
        raise ImportFileUnreadable() from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ImportFileUnreadable() from exc
    if not header or not any(_cell(value) for value in header):
        book.close()
        raise ImportFileEmpty()
    columns = _columns([_cell(value) for value in header])

    def rows() -> Iterator[list[str]]:
        try:
            for line in lines:
                cells = [_cell(value) for value in line]
                if any(cells):
                    yield _fit(cells, len(columns))
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part
            raise ImportFileUnreadable() from exc
        finally:
            book.close()

    return ParsedFile(file_format="xlsx", encoding="", columns=columns, rows=rows())


def _cell(value) -> str:
    """A cell as text: a phone typed as a number stays digits (13800138000, not 1.38e10)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _columns(header: list[str]) -> list[str]:
    """The header's names, each unique and non-empty (a blank header is "Column 3")."""
    columns: list[str] = []
    for position, name in enumerate(header, start=1):
        name = name.strip()[:100] or f"#{position}"
        while name in columns:
            name = f"{name} ({position})"
        columns.append(name)
    # Trailing blank header cells with no data under them are common in Excel exports.
    while len(columns) > 1 and columns[-1] == f"#{len(columns)}":
        columns.pop()
    return columns


def _fit(cells: list[str], width: int) -> list[str]:
    # Cells kept short enough for any field (the row's own check refuses over-long values);
    # a cell past the header's columns has no column to map to.
    cells = [cell[:2000] for cell in cells[:width]]
    return cells + [""] * (width - len(cells))


def check_row_count(count: int) -> None:
    if count > max_rows():
        raise ImportTooManyRows(limit=max_rows())
    if count == 0:
        raise ImportFileEmpty()
