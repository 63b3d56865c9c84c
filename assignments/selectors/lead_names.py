"""Company names for answers that list several leads at once (the bulk claim and release)."""

from collections.abc import Iterable

from accounts.models import User
from leads.models import Lead

from .. import access
from .leads import list_leads_visible_to


def map_known_lead_names(*, user: User, lead_ids: Iterable[int]) -> dict[int, str]:
    """The company names of the leads the user may know of: those they see, and those of a
    pool they see whoever owns them (a refused claim names the owner anyway, as the pool row
    of a single claim does). Anything else is missing from the answer."""
    ids = list(lead_ids)
    if not ids:
        return {}
    visible = list_leads_visible_to(user=user).filter(pk__in=ids)
    pooled = Lead.objects.filter(pk__in=ids, merged_into__isnull=True).filter(
        access.pool_scope_q(user)
    )
    return dict((visible | pooled).values_list("pk", "company_name"))
