"""What a user may be told about a customer they cannot open: who owns it now and until when
(what a collision notice shows, nothing more), when they have a link to it. No link, no
notice: for them it does not exist."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists
from django.utils import timezone

from accounts.models import Notification, User
from leads.models import FollowUp, Lead

from .. import access
from ..models import Collision, Ownership, TransferRequest
from .disputes import may_file_dispute
from .leads import map_live_ownerships


@dataclass(frozen=True)
class OwnerNotice:
    lead_id: int
    company_name: str
    owner_name: str  # empty: nobody owns it
    protected_until: datetime | None
    won: bool
    may_request_transfer: bool
    may_dispute: bool = False


def has_link_to(*, user: User, lead_id: int) -> bool:
    """The user has had to do with this customer: they owned it, followed it up, collided
    with it, asked for it, or were notified about it."""
    checks = [
        Ownership.objects.filter(lead_id=lead_id, owner=user),
        FollowUp.objects.filter(lead_id=lead_id, author=user),
        Collision.objects.filter(lead_id=lead_id, user=user),
        TransferRequest.objects.filter(lead_id=lead_id, requester=user),
        Notification.objects.filter(lead_id=lead_id, user=user),
    ]
    exists = [Exists(query) for query in checks]
    row = Lead.objects.filter(pk=lead_id).annotate(
        **{f"link{i}": check for i, check in enumerate(exists)}
    )
    values = row.values_list(*[f"link{i}" for i in range(len(exists))]).first()
    return bool(values) and any(values)


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
