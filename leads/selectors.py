"""Reads of leads, scoped by who is asking. The API and the pages both call these, so they
cannot disagree about who sees what."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from assignments.models import Ownership
from assignments.selectors import live_ownerships, managed_team_ids, manages, map_live_ownerships
from crm.errors import NotFound, PermissionDenied

from .models import Lead

SCOPES = ("pool", "mine", "team", "all")


def pool_team_scope(user: User) -> Q:
    """Which pools a user sees: the public pool plus their team's (and managed teams') pools."""
    if user.is_admin:
        return Q()
    teams = set(managed_team_ids(user))
    if user.team_id:
        teams.add(user.team_id)
    return Q(pool_team__isnull=True) | Q(pool_team_id__in=teams)


def ensure_in_pool_scope(*, user: User, lead: Lead) -> None:
    if user.is_admin or lead.pool_team_id is None:
        return
    if lead.pool_team_id == user.team_id or lead.pool_team_id in managed_team_ids(user):
        return
    raise NotFound()


def ensure_can_work(*, user: User, lead: Lead, period: Ownership | None) -> None:
    """Who may act on a lead: when owned, the owner, their manager or an admin (others get
    404: another rep's customer does not exist for them); in the pool, whoever sees that pool.
    Ownership comes first, so an owner can always work a lead that sits in another team's pool."""
    if period is None:
        ensure_in_pool_scope(user=user, lead=lead)
    elif not can_manage_lead(user=user, owner=period.owner):
        raise NotFound()


def can_manage_lead(*, user: User, owner: User) -> bool:
    """The owner themself, the owner's manager, or an admin."""
    return owner.pk == user.pk or manages(user, owner)


def list_leads_visible_to(
    *, user: User, scope: str = "all", now: datetime | None = None
) -> QuerySet[Lead]:
    now = now or timezone.now()
    live = live_ownerships(now=now).filter(lead=OuterRef("pk"))
    in_pool = ~Exists(live) & pool_team_scope(user)
    mine = Exists(live.filter(owner=user))
    if user.is_admin:
        team = Exists(live)
    elif user.is_manager:
        team = Exists(live.filter(owner__team_id__in=managed_team_ids(user)))
    else:
        team = None

    # A merged lead lives on only in its survivor's history.
    leads = Lead.objects.filter(merged_into__isnull=True)
    if scope == "pool":
        return leads.filter(in_pool)
    if scope == "mine":
        return leads.filter(mine)
    if scope == "team":
        if team is None:
            raise PermissionDenied()
        return leads.filter(team)
    if user.is_admin:
        return leads
    condition = in_pool | mine
    if team is not None:
        condition |= team
    return leads.filter(condition)


def get_lead_for(*, user: User, lead_id: int) -> Lead:
    try:
        lead = list_leads_visible_to(user=user).get(pk=lead_id)
    except (Lead.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    attach_live_ownership([lead])
    return lead


def attach_live_ownership(leads: list[Lead], now: datetime | None = None) -> list[Lead]:
    """Set `lead.live_ownership` (an Ownership or None) on each lead, in one query."""
    periods = map_live_ownerships(lead_ids=[lead.pk for lead in leads], now=now)
    for lead in leads:
        lead.live_ownership = periods.get(lead.pk)
    return leads


def can_see_contact_details(*, user: User, lead: Lead) -> bool:
    """Phones and e-mails of pool leads stay masked for reps until they claim the lead."""
    if user.is_admin or user.is_manager:
        return True
    period: Ownership | None = getattr(lead, "live_ownership", None)
    return period is not None and period.owner_id == user.pk


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(digits)
    return "".join(digits[:3]) + "****" + "".join(digits[-4:])


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if not domain:
        return "***"
    return (local[:1] or "*") + "***@" + domain
