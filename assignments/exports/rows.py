"""The columns of an export and each row's values, masked exactly as the lists and the API
mask them for the same user (`access.can_see_contact_details` and `leads.masks`)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from leads.masks import mask_email, mask_id_number, mask_phone
from leads.models import Lead

from .. import access
from ..selectors.exports import ExportLead

# (key, header) in the order of the file's columns; headers are read in the active language.
COLUMNS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("id", lambda: _("ID")),
    ("company_name", lambda: _("Company")),
    ("kind", lambda: _("Customer kind")),
    ("status", lambda: _("Status")),
    ("owner", lambda: _("Owner")),
    ("team", lambda: _("Team / pool")),
    ("country", lambda: _("Country")),
    ("province", lambda: _("Province")),
    ("city", lambda: _("City")),
    ("industry", lambda: _("Industry")),
    ("size", lambda: _("Size")),
    ("source", lambda: _("Source")),
    ("uscc", lambda: _("Credit code")),
    ("id_number", lambda: _("ID number")),
    ("website", lambda: _("Website")),
    ("contact", lambda: _("Primary contact")),
    ("phone", lambda: _("Phone")),
    ("email", lambda: _("E-mail")),
    ("protected_until", lambda: _("Protected until")),
    ("last_followup", lambda: _("Last follow-up")),
    ("created_at", lambda: _("Created at")),
)


@dataclass(frozen=True)
class Labels:
    """Every word a row needs, translated once when the export starts: the rows are written
    while the response streams, after the request's language may have moved on."""

    headers: list[str]
    kinds: dict[str, str]
    statuses: dict[str, str]
    sizes: dict[str, str]
    public_pool: str

    @classmethod
    def current(cls) -> "Labels":
        return cls(
            headers=[header() for _key, header in COLUMNS],
            kinds={value: str(label) for value, label in Lead.Kind.choices},
            statuses={value: str(label) for value, label in Lead.Status.choices},
            sizes={value: str(label) for value, label in Lead.Size.choices},
            public_pool=_("Public pool"),
        )


class RowMaker:
    """Turns an ExportLead into the row `viewer` may see: dates as local naive datetimes
    (what a spreadsheet shows), everything else as text."""

    def __init__(self, *, viewer: User, labels: Labels, teams: dict[int, str]):
        self.viewer = viewer
        self.labels = labels
        self.teams = teams
        # Read once: asking for the current zone per value costs more than the value itself.
        self.zone = timezone.get_current_timezone()

    def row(self, item: ExportLead) -> list:
        lead, period, contact = item.values, item.period, item.contact or {}
        masked = not access.can_see_contact_details(self.viewer, lead, period)
        phone, email, id_number = (
            contact.get("phone", ""),
            contact.get("email", ""),
            lead["id_number"],
        )
        if masked:
            phone = mask_phone(phone) if phone else ""
            email = mask_email(email) if email else ""
            id_number = mask_id_number(id_number) if id_number else ""
        if period is not None:
            owner = period.owner.display_name
            team = self.teams.get(period.owner.team_id, "")
            protected_until = self.local(period.protected_until)
        else:
            owner = ""
            team = self.teams.get(lead["pool_team_id"], "") or self.labels.public_pool
            protected_until = None
        return [
            lead["id"],
            lead["company_name"],
            self.labels.kinds.get(lead["kind"], lead["kind"]),
            self.labels.statuses.get(lead["status"], lead["status"]),
            owner,
            team,
            lead["country"],
            lead["province"],
            lead["city"],
            lead["industry"],
            self.labels.sizes.get(lead["size"], lead["size"]),
            lead["source"],
            lead["uscc"],
            id_number,
            lead["website"],
            contact.get("name", ""),
            phone,
            email,
            protected_until,
            self.local(item.last_followup),
            self.local(lead["created_at"]),
        ]

    def local(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        return moment.astimezone(self.zone).replace(tzinfo=None, microsecond=0)
