"""What a user may be told about a customer they cannot open: who owns it now and until when
(what a collision notice shows, nothing more), when they have a link to it. No link, no
notice: for them it does not exist."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from accounts.models import User
from leads.models import Lead

from .. import access
from .disputes import may_file_dispute
from .leads import map_live_ownerships
from .links import has_link_to


@dataclass(frozen=True)
class OwnerNotice:
    lead_id: int
    company_name: str
    owner_name: str  # empty: nobody owns it
    protected_until: datetime | None
    won: bool
    may_request_transfer: bool
    may_dispute: bool = False


def get_owner_notice(*, user: User, lead_id: int) -> OwnerNotice | None:
    """The notice for a lead the user cannot see, or None (then it is a 404): only for a live
    record they may know of (its pool is theirs, or they have a link to it)."""
    lead = Lead.objects.filter(pk=lead_id, merged_into__isnull=True).first()
    if lead is None:
        return None
    period = map_live_ownerships(lead_ids=[lead.pk], now=timezone.now()).get(lead.pk)
    if access.can_see(user, lead, period):
        return None
    if not access.in_pool_scope(user, lead) and not has_link_to(user=user, lead_id=lead.pk):
        return None
    return OwnerNotice(
        lead_id=lead.pk,
        company_name=lead.company_name,
        owner_name=period.owner.display_name if period else "",
        protected_until=period.protected_until if period else None,
        won=lead.status == Lead.Status.WON,
        may_request_transfer=access.can_request_transfer(user, lead, period),
        may_dispute=period is not None and may_file_dispute(user=user, lead=lead),
    )
