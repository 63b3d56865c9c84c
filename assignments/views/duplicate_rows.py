"""How duplicate-check matches are shown on the pages: one row per match with its evidence
and the one action that fits (asked of the access rules), never the matched lead's contact
details; for managers and admins, the merge candidates on a lead's page."""

from django.utils.translation import gettext_lazy

from accounts.models import User

from .. import access
from ..selectors.duplicates import OwnedMatch, find_duplicates_of_lead
from ..services.duplicates import summary_for

REASON_LABELS = {
    "same_phone": gettext_lazy("same phone"),
    "same_email": gettext_lazy("same e-mail"),
    "same_domain": gettext_lazy("same company website"),
    "same_uscc": gettext_lazy("same credit code"),
    "same_name_city": gettext_lazy("same name in the same city"),
    "same_name": gettext_lazy("same name"),
    "same_name_sound_city": gettext_lazy("same name by sound, same city"),
    "similar_name": gettext_lazy("similar name"),
    "same_local_phone": gettext_lazy("same local number"),
}


# The parts of what a rep typed that identify a customer, and the form fields they come from
# (the new-customer form names its contact's fields contact_*).
_ATTEMPTED_FROM = {
    "company_name": ("company_name",),
    "uscc": ("uscc",),
    "website": ("website",),
    "city": ("city",),
    "phone": ("phone", "contact_phone"),
    "email": ("email", "contact_email"),
}


def attempted_from(data, *, prefix: str = "") -> dict[str, str]:
    """What the rep tried to create, from a submitted form: kept with a transfer request so
    the manager sees it, and so the server can find the customer again (the transfer service
    validates it)."""
    attempted = {}
    for name, fields in _ATTEMPTED_FROM.items():
        value = next((data.get(prefix + f) for f in fields if data.get(prefix + f)), "")
        if str(value).strip():
            attempted[name] = str(value).strip()
    return attempted


def _action(user: User, match: OwnedMatch) -> str:
    lead, period = match.lead, match.period
    if access.can_claim(user, lead, period):
        return "claim"
    if access.can_see(user, lead, period):
        return "open"
    if access.can_request_transfer(user, lead, period):
        return "transfer"
    return ""


def duplicate_rows(user: User, matches: list[OwnedMatch]) -> list[dict]:
    return [
        {
            "lead": match.lead,
            "level": match.level,
            "strong": match.strong,
            "summary": summary_for(match),
            "reasons": [REASON_LABELS.get(code, code) for code in match.reasons],
            "action": _action(user, match),
        }
        for match in matches
    ]


def merge_candidates(user: User, lead) -> list[dict]:
    """The lead's possible duplicates, with merge buttons where the user may act on both
    records (the merge service checks it again)."""
    matches = find_duplicates_of_lead(lead)
    rows = duplicate_rows(user, matches)
    for row, match in zip(rows, matches, strict=True):
        row["can_merge"] = access.can_merge(user, match.lead, match.period)
    return rows
