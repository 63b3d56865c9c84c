"""How duplicate-check matches are shown on the pages: the rows, their reason labels and, for
managers and admins, the merge candidates on a lead's page."""

from django.utils.translation import gettext_lazy

from accounts.models import User
from crm.errors import NotFound

from .. import selectors
from ..dedupe.door import summary_for
from ..dedupe.matching import STRONG, Match, find_duplicates_of_lead

# Duplicate check (查重) on the pages. A match shows who has the customer and until when, the
# evidence, and the one action that fits; never the matched lead's contact details.

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


def _in_pool_scope(user: User, lead) -> bool:
    try:
        selectors.ensure_in_pool_scope(user=user, lead=lead)
    except NotFound:
        return False
    return True


def _duplicate_rows(user: User, matches: list[Match]) -> list[dict]:
    rows = []
    for match in matches:
        owner = match.owner
        if owner is None:
            visible = _in_pool_scope(user, match.lead)
            if visible and (user.is_rep or user.is_manager):
                action = "claim"
            else:
                action = "open" if visible else ""
        elif owner.pk == user.pk or selectors.can_manage_lead(user=user, owner=owner):
            action = "open"
        elif user.is_rep or user.is_manager:
            action = "transfer"
        else:
            action = ""
        rows.append(
            {
                "lead": match.lead,
                "level": match.level,
                "strong": match.level == STRONG,
                "summary": summary_for(match),
                "reasons": [REASON_LABELS.get(code, code) for code in match.reasons],
                "action": action,
            }
        )
    return rows


def _merge_candidates(user: User, lead) -> list[dict]:
    """Managers and admins see the lead's possible duplicates, with merge buttons where they
    may act on both records (the merge service checks it again)."""
    matches = find_duplicates_of_lead(lead)
    rows = _duplicate_rows(user, matches)
    for row, match in zip(rows, matches, strict=True):
        owner = match.owner
        if owner is None:
            row["can_merge"] = _in_pool_scope(user, match.lead)
        else:
            row["can_merge"] = selectors.can_manage_lead(user=user, owner=owner)
    return rows
