"""Server-rendered pages. Thin: every write goes through the same services as the API, every
read through the same permission-scoped selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from assignments import services as ownership
from assignments.selectors import list_history, managed_team_ids
from crm.errors import DomainError, NotFound, PermissionDenied

from . import selectors, services
from .filters import LeadFilter
from .forms import FollowUpForm, LeadForm, ReassignForm, ReleaseForm

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


def _lead_or_404(request, lead_id):
    try:
        return selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def detail(request, lead_id: int):
    lead = _lead_or_404(request, lead_id)
    return render(request, "leads/detail.html", _detail_context(request, lead))


def _detail_context(request, lead, **forms):
    user = request.user
    period = lead.live_ownership
    can_manage = period is not None and selectors.can_manage_lead(user=user, owner=period.owner)
    timeline = [("followup", f.occurred_at, f) for f in lead.followups.select_related("author")]
    timeline += [("event", e.at, e) for e in list_history(lead_id=lead.pk)]
    timeline.sort(key=lambda item: item[1])
    context = {
        "lead": lead,
        "period": period,
        "contacts": lead.contacts.all(),
        "masked": not selectors.can_see_contact_details(user=user, lead=lead),
        "timeline": timeline,
        "can_manage": can_manage,
        "can_claim": period is None and (user.is_rep or user.is_manager),
        "can_reassign": user.is_admin or user.is_manager,
        "followup_form": forms.get("followup_form") or FollowUpForm(),
        "release_form": forms.get("release_form") or ReleaseForm(),
        "reassign_form": forms.get("reassign_form") or ReassignForm(candidates=_team_members(user)),
    }
    return context


def _after_action(request, lead_id, error: DomainError | None = None, success: str = ""):
    if error is not None:
        messages.error(request, error.message)
    elif success:
        messages.success(request, success)
    try:
        selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound:
        # After a release or a reassignment the lead may no longer be visible to this user.
        return redirect("leads:mine")
    return redirect("leads:detail", lead_id=lead_id)


@login_required
@require_POST
def claim(request, lead_id: int):
    """Claim from the pool. With htmx the pool row is swapped in place with the outcome."""
    error = None
    period = None
    try:
        period = ownership.claim_lead(lead_id=lead_id, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        error = exc
    if request.htmx:
        lead = _lead_or_404(request, lead_id) if error is None else None
        return render(
            request,
            "leads/_pool_row_result.html",
            {"lead_id": lead_id, "lead": lead, "period": period, "error": error},
        )
    if error is None:
        return _after_action(request, lead_id, success=_("You now own this customer."))
    return _after_action(request, lead_id, error=error)


def _lead_action(request, lead_id: int, *, form, form_name: str, run, success: str):
    """One shape for the detail page's forms: an invalid form re-renders the page (400); a
    refusal becomes a readable message; another rep's customer stays a 404."""
    if not form.is_valid():
        lead = _lead_or_404(request, lead_id)
        context = _detail_context(request, lead, **{form_name: form})
        return render(request, "leads/detail.html", context, status=400)
    try:
        run(form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _after_action(request, lead_id, error=exc)
    return _after_action(request, lead_id, success=success)


@login_required
@require_POST
def release(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=ReleaseForm(request.POST),
        form_name="release_form",
        run=lambda data: ownership.release_lead(
            lead_id=lead_id, actor=request.user, reason=data["reason"]
        ),
        success=_("The customer is back in the pool."),
    )


@login_required
@require_POST
def followup(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=FollowUpForm(request.POST),
        form_name="followup_form",
        run=lambda data: services.log_followup(lead_id=lead_id, actor=request.user, **data),
        success=_("Follow-up saved; protection extended."),
    )


@login_required
@require_POST
def reassign(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=ReassignForm(request.POST, candidates=_team_members(request.user)),
        form_name="reassign_form",
        run=lambda data: ownership.reassign_lead(
            lead_id=lead_id,
            actor=request.user,
            to_user_id=data["to"].pk,
            reason=data["reason"],
            override_limit=data["override_limit"],
        ),
        success=_("Customer reassigned."),
    )


@login_required
def create(request):
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.create_lead(actor=request.user, **form.service_arguments())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Customer created."))
            return redirect("leads:detail", lead_id=lead.pk)
    return render(request, "leads/new.html", {"form": form}, status=400 if form.errors else 200)
