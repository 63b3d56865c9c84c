"""One lead's page: its context, the claim/release/follow-up/reassign actions on it, and the
`_lead_action`/`_after_action` shape those actions (and the other forms on the page) share.

Named `detail_page`, not `detail`, so the module never shadows the `detail` view that the
package re-exports (`views.detail` in `leads/urls.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from assignments import services as ownership
from assignments.selectors import list_history
from crm.errors import DomainError, NotFound

from .. import selectors, services
from ..forms import ContactForm, FollowUpForm, MergeForm, ReassignForm, ReleaseForm
from ..models import Lead
from .duplicate_rows import _merge_candidates
from .lists import _team_members


def _lead_or_404(request, lead_id):
    try:
        return selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def detail(request, lead_id: int):
    try:
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound as exc:
        # A merged record is hidden: its old links lead to the customer it became part of.
        survivor_id = _survivor_id(lead_id)
        if survivor_id is None:
            raise Http404 from exc
        return _to_survivor(request, survivor_id)
    if lead.merged_into_id is not None:
        return _to_survivor(request, _survivor_id(lead.pk))
    return render(request, "leads/detail.html", _detail_context(request, lead))


def _survivor_id(lead_id: int) -> int | None:
    """The lead a merged lead now lives on: merging re-points earlier merges to the survivor,
    so `merged_into` is always the live record."""
    return Lead.objects.filter(pk=lead_id).values_list("merged_into_id", flat=True).first()


def _to_survivor(request, survivor_id: int | None):
    if survivor_id is None:
        raise Http404
    _lead_or_404(request, survivor_id)
    messages.info(request, _("That record was merged into this customer."))
    return redirect("leads:detail", lead_id=survivor_id)


def _can_edit(user: User, lead) -> bool:
    """Mirrors the services' rule for edits: the owner, their manager or an admin; a pool lead
    by a manager or admin of that pool (visibility already checked the pool)."""
    period = lead.live_ownership
    if period is None:
        return user.is_manager or user.is_admin
    return selectors.can_manage_lead(user=user, owner=period.owner)


def _detail_context(request, lead, **forms):
    user = request.user
    period = lead.live_ownership
    can_manage = period is not None and selectors.can_manage_lead(user=user, owner=period.owner)
    can_merge = user.is_manager or user.is_admin
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
        "can_edit": _can_edit(user, lead),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "contact_duplicates": forms.get("contact_duplicates"),
        "can_merge": can_merge,
        "possible_duplicates": _merge_candidates(user, lead) if can_merge else [],
        "merge_form": forms.get("merge_form") or MergeForm(),
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
