"""The lead lists: the pool, my customers and the team's, with their paging helpers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User
from assignments.selectors import managed_team_ids
from crm.errors import PermissionDenied

from .. import selectors
from ..filters import LeadFilter

PAGE_SIZE = 25


def _page(request, queryset):
    """Keyset pagination, newest first: stays fast on a million leads (no COUNT)."""
    before = request.GET.get("before", "")
    if before.isdigit():
        queryset = queryset.filter(pk__lt=int(before))
    rows = list(queryset.order_by("-id").prefetch_related("contacts")[: PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    selectors.attach_live_ownership(rows)
    params = request.GET.copy()
    params.pop("before", None)
    if has_next:
        params["before"] = rows[-1].pk
    return rows, (params.urlencode() if has_next else None)


def _lead_rows(request, leads):
    for lead in leads:
        lead.masked = not selectors.can_see_contact_details(user=request.user, lead=lead)
        lead.first_contact = next(iter(lead.contacts.all()), None)
    return leads


@login_required
def pool(request):
    leads = selectors.list_leads_visible_to(user=request.user, scope="pool")
    filters = LeadFilter(request.GET, queryset=leads)
    rows, next_query = _page(request, filters.qs if filters.is_valid() else leads.none())
    return render(
        request,
        "leads/pool.html",
        {"filters": filters, "leads": _lead_rows(request, rows), "next_query": next_query},
    )


@login_required
def mine(request):
    # One instant for both reads, so a claim expiring in between cannot drop out of one only.
    now = timezone.now()
    leads = selectors.list_leads_visible_to(user=request.user, scope="mine", now=now)
    rows = selectors.attach_live_ownership(list(leads.prefetch_related("contacts")), now=now)
    rows.sort(key=lambda lead: lead.live_ownership.protected_until)
    return render(request, "leads/mine.html", {"leads": _lead_rows(request, rows)})


@login_required
def team(request):
    try:
        leads = selectors.list_leads_visible_to(user=request.user, scope="team")
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    filters = LeadFilter(request.GET, queryset=leads)
    owner = request.GET.get("owner", "")
    queryset = filters.qs if filters.is_valid() else leads.none()
    if owner.isdigit():
        queryset = queryset.filter(
            ownerships__owner_id=int(owner), ownerships__ended_at__isnull=True
        )
    rows, next_query = _page(request, queryset)
    return render(
        request,
        "leads/team.html",
        {
            "filters": filters,
            "leads": _lead_rows(request, rows),
            "next_query": next_query,
            "members": _team_members(request.user),
            "owner_filter": owner,
        },
    )


def _team_members(user: User):
    members = User.objects.filter(is_active=True, role__in=[User.Role.REP, User.Role.MANAGER])
    if user.is_admin:
        return members.order_by("team__name", "display_name")
    return members.filter(team_id__in=managed_team_ids(user)).order_by("display_name")
