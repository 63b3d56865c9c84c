"""Reads of bulk moves (批量转移): which customers a manager may move (what the team list
shows, with its filters), the jobs a user sees, their reports, and the jobs that lost their
worker."""

from collections.abc import Mapping
from datetime import datetime

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from accounts.models import Team, User
from crm.errors import NotFound
from crm.sql import as_row_id
from leads.filters import LeadFilter
from leads.models import Lead

from .. import access
from ..exceptions import InvalidFilter
from ..models import BulkReassignment, BulkReassignmentItem
from .leads import list_leads_visible_to, live_ownerships

# The team list's filters: the lead filters plus the owner.
TEAM_FILTERS = (*LeadFilter.base_filters, "owner")


def filter_team_leads(
    *, user: User, params: Mapping, now: datetime | None = None
) -> QuerySet[Lead]:
    """The team list (`scope=team`: customers owned by the user's teams' reps, every owned
    customer for an admin) narrowed by its filters: search, province, city, industry,
    status and owner. The team page and a bulk move's `filter` read it here, so "all N
    matching" is what the page shows. Raises PermissionDenied (reps), InvalidFilter."""
    now = now or timezone.now()
    leads = list_leads_visible_to(user=user, scope="team", now=now)
    filters = LeadFilter(params, queryset=leads)
    if not filters.is_valid():
        raise InvalidFilter(errors=filters.errors.get_json_data())
    queryset = filters.qs
    owner = str(params.get("owner") or "")
    owner_id = as_row_id(owner) if owner.isdigit() else None
    if owner_id is not None:
        owned = live_ownerships(now=now).filter(owner_id=owner_id).values("lead_id")
        queryset = queryset.filter(pk__in=owned)
    return queryset


def list_movable_leads(*, user: User, now: datetime | None = None) -> QuerySet[Lead]:
    """The customers `user` may move in bulk: those their teams' reps own (every owned one
    for an admin) and those in the pools they see (every one for an admin); never another
    team's customer they only help on."""
    now = now or timezone.now()
    if user.is_admin:
        return Lead.objects.filter(merged_into__isnull=True)
    periods = live_ownerships(now=now).filter(lead=OuterRef("pk"))
    team = Exists(periods.filter(owner__team_id__in=access.managed_team_ids(user)))
    in_pool = ~Exists(periods) & access.pool_scope_q(user)
    return Lead.objects.filter(merged_into__isnull=True).filter(team | in_pool)


def live_owner_id(now: datetime) -> Subquery:
    """The lead's live owner's id (NULL: in a pool), for annotating a lead queryset."""
    return Subquery(live_ownerships(now=now).filter(lead=OuterRef("pk")).values("owner_id")[:1])


def list_pool_targets(*, user: User) -> QuerySet[Team]:
    """The teams whose pools `user` may move customers into (besides the public pool)."""
    teams = Team.objects.order_by("name")
    return teams if user.is_admin else teams.filter(pk__in=access.managed_team_ids(user))


def count_up_to(queryset: QuerySet, limit: int) -> int:
    """How many rows, counting no further than `limit` (a million-row team stays cheap)."""
    return queryset.order_by()[:limit].count()


# --- the jobs -----------------------------------------------------------------------------
def list_bulk_reassignments_visible_to(*, user: User) -> QuerySet[BulkReassignment]:
    """Newest first: the user's own bulk moves; every one for an admin."""
    access.ensure_can_bulk_reassign(user)
    return (
        BulkReassignment.objects.filter(access.bulk_reassignments_q(user))
        .select_related("actor", "target_team")
        .order_by("-id")
    )


def get_bulk_reassignment_for(*, user: User, job_id) -> BulkReassignment:
    """One bulk move the user sees (403 for a rep, 404 for one they do not see)."""
    access.ensure_can_bulk_reassign(user)
    job_id = as_row_id(job_id)
    job = (
        None
        if job_id is None
        else BulkReassignment.objects.select_related("actor", "target_team")
        .filter(pk=job_id)
        .first()
    )
    if job is None or not access.can_see_bulk_reassignment(user, job):
        raise NotFound()
    return job


def get_target_reps(job: BulkReassignment) -> list[User]:
    """The job's target reps, in its rotation's order."""
    reps = User.objects.in_bulk(job.target_reps)
    return [reps[rep_id] for rep_id in job.target_reps if rep_id in reps]


def list_bulk_items(
    *,
    job: BulkReassignment,
    after: int | None = None,
    outcome: str | None = None,
    limit: int | None = None,
) -> QuerySet[BulkReassignmentItem]:
    """A job's report in order, with each lead's name and the owners before and after;
    `after`: from the position after this one (keyset paging)."""
    # The customer's name by its id (an item may name an id that is no customer at all),
    # never for one reported as not found: the manager may not see it.
    company = Case(
        When(
            ~Q(code=NotFound.code),
            then=Subquery(Lead.objects.filter(pk=OuterRef("lead_id")).values("company_name")[:1]),
        ),
        default=None,
    )
    items = (
        BulkReassignmentItem.objects.filter(job=job)
        .select_related("owner_before", "owner_after")
        .only(
            "position",
            "lead_id",
            "outcome",
            "code",
            "detail",
            "event_id",
            "processed_at",
            "owner_before__id",
            "owner_before__display_name",
            "owner_after__id",
            "owner_after__display_name",
        )
        .annotate(company_name=company)
        .order_by("position")
    )
    if after is not None:
        items = items.filter(position__gt=after)
    if outcome:
        items = items.filter(outcome=outcome)
    return items[:limit] if limit else items


def list_stalled_bulk_reassignments(*, stalled_before: datetime) -> list[int]:
    """Jobs queued or running with no progress since `stalled_before`: their worker died or
    their message was lost (the file-system broker delivers at most once)."""
    return list(
        BulkReassignment.objects.filter(
            state__in=[BulkReassignment.State.QUEUED, BulkReassignment.State.RUNNING],
            heartbeat_at__lt=stalled_before,
        )
        .order_by("heartbeat_at")
        .values_list("pk", flat=True)[:100]
    )
