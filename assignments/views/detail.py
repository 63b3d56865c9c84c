"""One customer's page: what it shows, which actions it offers (asked of the access rules),
and the answer every action on it gives (back to the page with a message, or to My leads when
the customer is no longer visible)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crm.errors import DomainError, NotFound
from leads.forms import ContactForm, FollowUpForm
from leads.models import Lead

from .. import access, selectors
from ..forms import MergeForm, ReassignForm, ReleaseForm
from .duplicate_rows import merge_candidates


def lead_or_404(request, lead_id: int) -> Lead:
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
    return render_detail(request, lead)


def _survivor_id(lead_id: int) -> int | None:
    """The lead a merged lead now lives on: merging re-points earlier merges to the survivor,
    so `merged_into` is always the live record."""
    return Lead.objects.filter(pk=lead_id).values_list("merged_into_id", flat=True).first()


def _to_survivor(request, survivor_id: int | None):
    if survivor_id is None:
        raise Http404
    lead_or_404(request, survivor_id)
    messages.info(request, _("That record was merged into this customer."))
    return redirect("leads:detail", lead_id=survivor_id)


def render_detail(request, lead: Lead, *, status: int = 200, **forms):
    """The page, with any bound forms (`followup_form`, ...) that failed validation."""
    user = request.user
    period = lead.live_ownership
    can_merge = access.can_merge(user, lead, period)
    timeline = [("followup", f.occurred_at, f) for f in lead.followups.select_related("author")]
    timeline += [("event", e.at, e) for e in selectors.list_history(lead_id=lead.pk)]
    timeline.sort(key=lambda item: item[1])
    context = {
        "lead": lead,
        "period": period,
        "won": lead.status == Lead.Status.WON,
        "contacts": lead.contacts.all(),
        "masked": not access.can_see_contact_details(user, lead, period),
        "timeline": timeline,
        "can_claim": access.can_claim(user, lead, period),
        "can_work": access.can_work(user, lead, period),
        "can_release": access.can_release(user, lead, period),
        "can_reassign": access.can_reassign(user, lead, period),
        "can_edit": access.can_edit(user, lead, period),
        "can_merge": can_merge,
        "followup_form": forms.get("followup_form") or FollowUpForm(),
        "release_form": forms.get("release_form") or ReleaseForm(),
        "reassign_form": forms.get("reassign_form")
        or ReassignForm(candidates=selectors.list_reassign_candidates(user=user)),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "contact_duplicates": forms.get("contact_duplicates"),
        "possible_duplicates": merge_candidates(user, lead) if can_merge else [],
        "merge_form": forms.get("merge_form") or MergeForm(),
    }
    return render(request, "leads/detail.html", context, status=status)


def after_action(request, lead_id: int, error: DomainError | None = None, success: str = ""):
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
