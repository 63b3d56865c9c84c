"""Bulk moves (批量转移) in the pages: started from the team list's form, then followed on the
job's page — a progress bar that updates itself every second until the job is done, the
counts, the per-lead report (moved; skipped because it changed meanwhile; failed, with why)
and its CSV. Managers and admins; a rep gets 403, another manager's job is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.errors import DomainError, NotFound, PermissionDenied
from crm.sql import as_row_id

from .. import access
from ..bulk_codes import describe_outcome
from ..bulk_forms import BulkMoveForm
from ..bulk_report import report_csv
from ..models import BulkReassignmentItem
from ..selectors import bulk_reassignments as bulk_selectors
from ..selectors import list_reassign_candidates
from ..services.bulk_reassign import submit_bulk_reassignment
from .lists import render_team

REPORT_PAGE = 100


def _job_or_404(request, job_id: int):
    try:
        return bulk_selectors.get_bulk_reassignment_for(user=request.user, job_id=job_id)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def moves(request):
    """GET: the user's bulk moves, newest first. POST: start one from the team list."""
    if not access.can_bulk_reassign(request.user):
        raise DjangoPermissionDenied
    if request.method == "POST":
        return _start(request)
    jobs = bulk_selectors.list_bulk_reassignments_visible_to(user=request.user)[:50]
    return render(request, "leads/bulk_moves.html", {"jobs": jobs})


def _start(request):
    candidates = list_reassign_candidates(user=request.user)
    teams = bulk_selectors.list_pool_targets(user=request.user)
    form = BulkMoveForm(request.POST, candidates=candidates, teams=teams)
    filters = form.filters()
    if not form.is_valid():
        return render_team(request, params=filters, bulk_form=form, status=400)
    all_matching = form.cleaned_data["all_matching"]
    try:
        job = submit_bulk_reassignment(
            actor=request.user,
            target=form.target(),
            reason=form.cleaned_data["reason"],
            lead_ids=None if all_matching else form.lead_ids(),
            filters=filters if all_matching else None,
            override_limit=form.cleaned_data["override_limit"],
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render_team(request, params=filters, bulk_form=form, status=exc.status)
    messages.success(
        request,
        _("The bulk move has started: %(count)s customers. You can leave this page.")
        % {"count": job.total},
    )
    return redirect("leads:bulk_move", job_id=job.pk)


@login_required
def move(request, job_id: int):
    """The job's page; with `?part=live` (htmx, every second while the job runs) only its
    progress and the report below it."""
    job = _job_or_404(request, job_id)
    context = _report_context(request, job)
    if request.GET.get("part") == "live":
        response = render(request, "leads/_bulk_live.html", context)
        if job.is_finished:
            # Done while the page watched: reload it once (the messages, the whole page).
            response["HX-Refresh"] = "true"
        return response
    context["target_reps"] = bulk_selectors.get_target_reps(job)
    return render(request, "leads/bulk_move.html", context)


def _report_context(request, job) -> dict:
    """The job and one page of its report: `outcome` to narrow it, `after` (a position) to
    page on."""
    outcome = request.GET.get("outcome", "")
    if outcome not in BulkReassignmentItem.Outcome.values:
        outcome = ""
    after_text = request.GET.get("after", "")
    after = as_row_id(after_text) if after_text.lstrip("-").isdigit() else None
    items = list(
        bulk_selectors.list_bulk_items(
            job=job, after=after, outcome=outcome or None, limit=REPORT_PAGE + 1
        )
    )
    more = len(items) > REPORT_PAGE
    items = items[:REPORT_PAGE]
    for item in items:
        pending = item.outcome == BulkReassignmentItem.Outcome.PENDING
        item.why = "" if pending else describe_outcome(item.code)
    params = request.GET.copy()
    params.pop("part", None)
    next_query = None
    if more:
        following = params.copy()
        following["after"] = items[-1].position
        next_query = following.urlencode()
    live = params.copy()
    live["part"] = "live"
    return {
        "job": job,
        "items": items,
        "outcome": outcome,
        "next_query": next_query,
        "paged": after is not None,
        "live_query": live.urlencode(),
    }


@login_required
def move_report(request, job_id: int):
    """The whole report as CSV, in the reader's language."""
    job = _job_or_404(request, job_id)
    return report_csv(job, translated=True)
