"""Reads of leads with their live owners, scoped by who is asking. The API and the pages both
call these, so they cannot disagree about who sees what."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from crm.errors import NotFound
from leads.models import Lead

from .. import access, live
from ..models import Collaborator, Ownership
from .collaborators import attach_collaborator

# "helping": the customers whose owner invited the user to help (协作).
SCOPES = ("pool", "mine", "team", "helping", "all")


def live_ownerships(*, now: datetime | None = None) -> QuerySet[Ownership]:
    """Open periods whose owner still owns the lead (see `live`)."""
    return Ownership.objects.filter(live.live_q(now or timezone.now()))


def list_leads_visible_to(
    *, user: User, scope: str = "all", now: datetime | None = None
) -> QuerySet[Lead]:
    now = now or timezone.now()
    periods = live_ownerships(now=now).filter(lead=OuterRef("pk"))
    in_pool = ~Exists(periods) & access.pool_scope_q(user)
    mine = Exists(periods.filter(owner=user))
    # The help ends with the owner's claim: only a collaborator of the live period counts.
    helping = Exists(
        Collaborator.objects.filter(
            lead=OuterRef("pk"),
            user=user,
            removed_at__isnull=True,
            period_id__in=live_ownerships(now=now).values("id"),
        )
    )
    if user.is_admin:
        team = Exists(periods)
    elif user.is_manager:
        team = Exists(periods.filter(owner__team_id__in=access.managed_team_ids(user)))
    else:
        team = None

    # A merged lead lives on only in its survivor's history.
    leads = Lead.objects.filter(merged_into__isnull=True)
    if scope == "pool":
        return leads.filter(in_pool)
    if scope == "mine":
        return leads.filter(mine)
    if scope == "helping":
        return leads.filter(helping)
    if scope == "team":
        access.ensure_can_see_team_lists(user)
        return leads.filter(team)
    if user.is_admin:
        return leads
    condition = in_pool | mine | helping
    if team is not None:
        condition |= team
    return leads.filter(condition)


def get_lead_for(*, user: User, lead_id: int) -> Lead:
    """One lead the user may see, with `live_ownership` attached; NotFound otherwise."""
    try:
        lead = list_leads_visible_to(user=user).get(pk=lead_id)
    except (Lead.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound() from exc
    attach_live_ownership([lead], viewer=user)
    return lead


def get_pool_lead_name(*, user: User, lead_id: int) -> str:
    """The company name of a lead in a pool the user sees, whoever owns it: what a refused
    claim on its pool row keeps showing. Empty for anything else."""
    lead = Lead.objects.filter(pk=lead_id).only("company_name", "pool_team_id").first()
    if lead is None or not access.in_pool_scope(user, lead):
        return ""
    return lead.company_name


def map_live_ownerships(
    *, lead_ids: Iterable[int], now: datetime | None = None
) -> dict[int, Ownership]:
    periods = live_ownerships(now=now).filter(lead_id__in=list(lead_ids)).select_related("owner")
    return {p.lead_id: p for p in periods}


def attach_live_ownership(
    leads: list[Lead], now: datetime | None = None, viewer: User | None = None
) -> list[Lead]:
    """Set `lead.live_ownership` (an Ownership or None) on each lead, in one query; with a
    `viewer`, also whether they help on each (a second query, only for periods they neither
    own nor manage)."""
    periods = map_live_ownerships(lead_ids=[lead.pk for lead in leads], now=now)
    for lead in leads:
        lead.live_ownership = periods.get(lead.pk)
    if viewer is not None:
        attach_collaborator(list(periods.values()), viewer)
    return leads
