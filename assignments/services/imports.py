"""Importing a list of customers (CSV or JSON rows) through the same door as one creation:
every row is checked for duplicates (against the database and the rows before it), and a
refused row says why without stopping the others."""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accounts.models import User
from crm.errors import DomainError
from leads.forms import ContactForm, ImportRowForm

from .. import access
from ..exceptions import DuplicateFound, InvalidCsv
from .customers import create_lead

MAX_ROWS = 5000
MAX_CONTACTS = 50
LEAD_COLUMNS = (
    "kind",
    "company_name",
    "uscc",
    "id_number",
    "country",
    "website",
    "province",
    "city",
    "industry",
    "source",
)
CONTACT_COLUMNS = {
    "contact_name": "name",
    "contact_title": "title",
    "contact_phone": "phone",
    "contact_email": "email",
}


@dataclass
class RowResult:
    row: int  # 1-based, as a spreadsheet counts data rows
    lead: int | None = None
    code: str = "created"
    detail: str = ""
    matches: list[dict] = field(default_factory=list)
    errors: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        body = {"row": self.row, "lead": self.lead, "code": self.code}
        if self.detail:
            body["detail"] = self.detail
        if self.matches:
            body["matches"] = self.matches
        if self.errors:
            body["errors"] = self.errors
        return body


@dataclass
class ImportReport:
    results: list[RowResult]

    @property
    def created(self) -> int:
        return sum(r.lead is not None for r in self.results)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.code] = counts.get(result.code, 0) + 1
        return counts


def import_leads(
    *,
    actor: User,
    rows: Iterable[Mapping],
    confirm_duplicates: bool = False,
    owner_id: int | None = None,
    pool_team_id: int | None = None,
) -> ImportReport:
    """Create each row as `create_lead` would for `actor` (each in its own transaction, so a
    refused row leaves the others in). `confirm_duplicates` passes weak matches, never strong
    ones. Admins and managers import."""
    access.ensure_can_import(actor)
    results = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            results.append(RowResult(row=number, code="too_many_rows"))
            break
        # The new-customer form's rules: an imported row is held to the same ones.
        values, errors = validated_row(row_payload(row))
        if errors:
            results.append(
                RowResult(row=number, code="invalid", detail=first_message(errors), errors=errors)
            )
            continue
        try:
            lead = create_lead(
                actor=actor,
                owner_id=owner_id,
                pool_team_id=pool_team_id,
                confirm_duplicate=confirm_duplicates,
                **values,
            )
        except DuplicateFound as exc:
            results.append(
                RowResult(
                    row=number,
                    code=exc.code,
                    detail=exc.message,
                    matches=exc.extra["matches"],
                )
            )
        except DomainError as exc:
            results.append(RowResult(row=number, code=exc.code, detail=exc.message))
        else:
            results.append(RowResult(row=number, lead=lead.pk))
    return ImportReport(results=results)


def rows_from_csv(text: str) -> list[dict]:
    """A CSV export (UTF-8, with or without BOM) with a header row: company_name, uscc,
    website, province, city, industry, source, contact_name, contact_title, contact_phone,
    contact_email (unknown columns are ignored)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return [dict(row) for row in reader]
    except csv.Error as exc:
        # csv's field_size_limit (128 KB a cell) or a NUL byte: the file, not the server.
        raise InvalidCsv(line=reader.line_num) from exc


def row_payload(row: Mapping) -> dict:
    fields = {k: str(row.get(k) or "").strip() for k in LEAD_COLUMNS if row.get(k) is not None}
    if "contacts" in row and isinstance(row["contacts"], list):
        contacts = [
            {k: str(c.get(k) or "").strip() for k in ("name", "title", "phone", "email")}
            for c in row["contacts"]
            if isinstance(c, Mapping)
        ]
    else:
        contact = {
            target: str(row.get(column) or "").strip() for column, target in CONTACT_COLUMNS.items()
        }
        has_contact = any(contact.values())
        if has_contact and not contact["name"]:
            contact["name"] = contact["phone"] or contact["email"]
        contacts = [contact] if has_contact else []
    return {**fields, "contacts": contacts}


def validated_row(payload: dict) -> tuple[dict, dict]:
    """(service arguments, {}) or ({}, errors as {field: [{code, message}]})."""
    form = ImportRowForm(payload)
    contact_forms = [ContactForm(contact) for contact in payload["contacts"]]
    errors: dict = {}
    if not form.is_valid():
        errors.update(form.errors.get_json_data())
    contact_errors = [c.errors.get_json_data() for c in contact_forms if not c.is_valid()]
    if contact_errors:
        errors["contacts"] = contact_errors
    elif len(contact_forms) > MAX_CONTACTS:
        errors["contacts"] = [
            {
                "code": "max_length",
                "message": _("At most %(n)s contacts per customer.") % {"n": MAX_CONTACTS},
            }
        ]
    if errors:
        return {}, _codes_first(errors)
    values = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
    values["contacts"] = [
        {k: v for k, v in c.cleaned_data.items() if k != "confirm_duplicate"} for c in contact_forms
    ]
    return values, {}


def _codes_first(errors):
    """Django's {message, code} items as the API writes them: {code, message}."""
    if isinstance(errors, dict) and set(errors) == {"message", "code"}:
        return {"code": errors["code"] or "invalid", "message": errors["message"]}
    if isinstance(errors, dict):
        return {key: _codes_first(value) for key, value in errors.items()}
    return [_codes_first(item) for item in errors]


def first_message(errors) -> str:
    if isinstance(errors, dict):
        if "message" in errors:
            return errors["message"]
        errors = list(errors.values())
    for item in errors:
        message = first_message(item)
        if message:
            return message
    return ""
