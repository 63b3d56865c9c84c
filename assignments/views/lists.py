"""The lead lists: the pool, my customers and the team's, with their paging helpers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.utils import timezone

from crm.errors import PermissionDenied
from crm.sql import as_row_id
from leads.filters import LeadFilter
from leads.models import Lead

from .. import access, selectors

PAGE_SIZE = 25


def _page(request, queryset):
    """Keyset pagination, newest first: stays fast on a million leads (no COUNT)."""
    before = request.GET.get("before", "")
    before_id = as_row_id(before) if before.isdigit() else None
    if before_id is not None:
        queryset = queryset.filter(pk__lt=before_id)
    rows = list(queryset.order_by("-id").prefetch_related("contacts")[: PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    selectors.attach_live_ownership(rows, viewer=request.user)
    params = request.GET.copy()
    params.pop("before", None)
    if has_next:
        params["before"] = rows[-1].pk
    return rows, (params.urlencode() if has_next else None)


def _lead_rows(request, leads):
    for lead in leads:
        lead.masked = not access.can_see_contact_details(request.user, lead, lead.live_ownership)
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
    filters = LeadFilter(request.GET, queryset=leads)
    queryset = filters.qs if filters.is_valid() else leads.none()
    rows = selectors.attach_live_ownership(list(queryset.prefetch_related("contacts")), now=now)
    # Most urgent first; won customers (kept, whatever their protection) last.
    rows.sort(
        key=lambda lead: (lead.status == Lead.Status.WON, lead.live_ownership.protected_until)
    )
    return render(
        request, "leads/mine.html", {"leads": _lead_rows(request, rows), "filters": filters}
    )


@login_required
def helping(request):
    """The customers whose owners invited the user to help (协作客户)."""
    now = timezone.now()
    leads = selectors.list_leads_visible_to(user=request.user, scope="helping", now=now)
    rows = selectors.attach_live_ownership(
        list(leads.prefetch_related("contacts")), now=now, viewer=request.user
    )
    return render(request, "leads/helping.html", {"leads": _lead_rows(request, rows)})


@login_required
def team(request):
    try:
        leads = selectors.list_leads_visible_to(user=request.user, scope="team")
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    filters = LeadFilter(request.GET, queryset=leads)
    owner = request.GET.get("owner", "")
    queryset = filters.qs if filters.is_valid() else leads.none()
    owner_id = as_row_id(owner) if owner.isdigit() else None
    if owner_id is not None:
        owned = selectors.live_ownerships().filter(owner_id=owner_id).values("lead_id")
        queryset = queryset.filter(pk__in=owned)
    rows, next_query = _page(request, queryset)
    return render(
        request,
        "leads/team.html",
        {
            "filters": filters,
            "leads": _lead_rows(request, rows),
            "next_query": next_query,
            "members": selectors.list_reassign_candidates(user=request.user),
            "owner_filter": owner,
        },
    )
