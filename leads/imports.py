"""Importing a list of customers (CSV or JSON rows) through the same door as one creation:
every row is checked for duplicates (against the database and the rows before it), and a
refused row says why without stopping the others."""

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from accounts.models import User
from crm.api.errors import field_errors, first_message
from crm.errors import DomainError

from .api.serializers import LeadInput
from .dedupe.door import match_dict
from .exceptions import DuplicateFound
from .services import create_lead

MAX_ROWS = 5000
LEAD_COLUMNS = ("company_name", "uscc", "website", "province", "city", "industry", "source")
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
    ones."""
    results = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            results.append(RowResult(row=number, code="too_many_rows"))
            break
        # The API's own validation: an imported row is held to the same rules.
        data = LeadInput(data=_payload(row))
        if not data.is_valid():
            errors = field_errors(data.errors)
            results.append(
                RowResult(row=number, code="invalid", detail=first_message(errors), errors=errors)
            )
            continue
        values = dict(data.validated_data)
        for unused in ("owner", "pool_team", "confirm_duplicate"):
            values.pop(unused, None)
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
                    matches=[match_dict(m) for m in exc.match_objects],
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
    return [dict(row) for row in reader]


def _payload(row: Mapping) -> dict:
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
