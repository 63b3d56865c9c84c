"""The lead lists: the pool (with its live changes), my customers and the team's, with their
paging helpers."""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm.errors import PermissionDenied
from crm.sql import as_row_id
from leads.filters import LeadFilter
from leads.models import Lead

from .. import access, selectors
from ..bulk_forms import FILTER_PREFIX, BulkMoveForm
from ..exceptions import InvalidFilter
from ..selectors import bulk_reassignments as bulk_selectors
from ..selectors.pool import MAX_ROWS, Cursor, get_pool_changes, get_pool_cursor

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


def _export_query(request, scope: str) -> str:
    """The list's filters for its Export links (导出): the export reads the same list."""
    params = request.GET.copy()
    for name in ("before", "format", "scope"):
        params.pop(name, None)
    params["scope"] = scope
    return params.urlencode()


def _lead_rows(request, leads):
    for lead in leads:
        lead.masked = not access.can_see_contact_details(request.user, lead, lead.live_ownership)
        lead.first_contact = next(iter(lead.contacts.all()), None)
    return leads


@login_required
def pool(request):
    cursor = get_pool_cursor()
    leads = selectors.list_leads_visible_to(user=request.user, scope="pool", now=cursor.asked_at)
    filters = LeadFilter(request.GET, queryset=leads)
    rows, next_query = _page(request, filters.qs if filters.is_valid() else leads.none())
    params = request.GET.copy()
    params.pop("before", None)
    return render(
        request,
        "leads/pool.html",
        {
            "filters": filters,
            "leads": _lead_rows(request, rows),
            "next_query": next_query,
            "cursor": _encode(cursor),
            "filter_query": params.urlencode(),
            "can_bulk_claim": access.may_own(request.user),
            "export_query": _export_query(request, "pool"),
        },
    )


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _encode(cursor: Cursor) -> str:
    return "-".join(
        str(part)
        for part in (
            _millis(cursor.rendered_at),
            cursor.event_id,
            cursor.lead_id,
            _millis(cursor.asked_at),
        )
    )


def _decode(text: str) -> Cursor | None:
    parts = text.split("-")
    if len(parts) != 4 or not all(part.isdigit() and len(part) <= 18 for part in parts):
        return None
    rendered, event_id, lead_id, asked = (int(part) for part in parts)
    try:
        return Cursor(
            rendered_at=datetime.fromtimestamp(rendered / 1000, tz=UTC),
            event_id=event_id,
            lead_id=lead_id,
            asked_at=datetime.fromtimestamp(asked / 1000, tz=UTC),
        )
    except (OverflowError, ValueError, OSError):
        return None


def _taken_text(taken) -> str:
    if taken.owner_name is None:
        return _("No longer in the pool")
    if taken.mine:
        return _("You claimed it")
    return _("Claimed by %(owner)s") % {"owner": taken.owner_name}


@login_required
@require_GET
def pool_changes(request):
    """What the open pool page polls (see `selectors.pool`): JSON, cheap, never a rule."""
    cursor = _decode(request.GET.get("cursor", ""))
    shown_text = request.GET.get("shown", "")
    shown = [int(part) for part in shown_text.split(",") if part.isdigit() and len(part) <= 18]
    if cursor is None or len(shown) > MAX_ROWS:
        return JsonResponse(
            {"code": "invalid", "message": _("This page is out of date. Reload it.")}, status=400
        )

    def narrow(queryset):
        filters = LeadFilter(request.GET, queryset=queryset)
        return filters.qs if filters.is_valid() else queryset.none()

    filtered = any(request.GET.get(name) for name in LeadFilter.base_filters)
    changes = get_pool_changes(
        user=request.user, cursor=cursor, shown=shown, narrow=narrow if filtered else None
    )
    return JsonResponse(
        {
            "cursor": _encode(changes.cursor),
            "taken": [
                {
                    "id": taken.lead_id,
                    "company": taken.company_name,
                    "owner": taken.owner_name,
                    "status": _taken_text(taken),
                }
                for taken in changes.taken
            ],
            "entered": changes.entered,
        }
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
    for lead in rows:
        lead.can_release = access.can_release(request.user, lead, lead.live_ownership)
    return render(
        request,
        "leads/mine.html",
        {
            "leads": _lead_rows(request, rows),
            "filters": filters,
            "can_bulk_release": any(lead.can_release for lead in rows),
            "export_query": _export_query(request, "mine"),
        },
    )


@login_required
def helping(request):
    """The customers whose owners invited the user to help (协作客户)."""
    now = timezone.now()
    leads = selectors.list_leads_visible_to(user=request.user, scope="helping", now=now)
    rows = selectors.attach_live_ownership(
        list(leads.prefetch_related("contacts")), now=now, viewer=request.user
    )
    return render(
        request,
        "leads/helping.html",
        {"leads": _lead_rows(request, rows), "export_query": _export_query(request, "helping")},
    )


@login_required
def team(request):
    return render_team(request, params=request.GET)


def render_team(request, *, params, bulk_form=None, status: int = 200):
    """The team list with its filters (`params`), and for a manager or admin the bulk move
    form under it (批量转移): the rows ticked, or all N matching the filters. A bulk move
    refused for its input comes back here with its form (`bulk_form`, status 400)."""
    try:
        queryset = bulk_selectors.filter_team_leads(user=request.user, params=params)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except InvalidFilter:
        queryset = Lead.objects.none()
    filters = LeadFilter(params, queryset=queryset)
    filters.is_valid()
    rows, next_query = _page(request, queryset)
    members = selectors.list_reassign_candidates(user=request.user)
    context = {
        "filters": filters,
        "leads": _lead_rows(request, rows),
        "next_query": next_query,
        "members": members,
        "owner_filter": params.get("owner", ""),
        "export_query": _export_query(request, "team"),
    }
    if access.can_bulk_reassign(request.user):
        limit = settings.BULK_REASSIGN_MAX_LEADS
        teams = bulk_selectors.list_pool_targets(user=request.user)
        context.update(
            bulk_form=bulk_form or BulkMoveForm(candidates=members, teams=teams),
            pool_teams=teams,
            matching=bulk_selectors.count_up_to(queryset, limit + 1) if rows else 0,
            matching_limit=limit,
            filter_values=[
                (FILTER_PREFIX + name, params.get(name))
                for name in bulk_selectors.TEAM_FILTERS
                if params.get(name)
            ],
        )
    return render(request, "leads/team.html", context, status=status)
