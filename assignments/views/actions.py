"""The ownership actions on a customer's page: claim (also from a pool row, in place),
release, follow-up, reassign and transfer requests (merging: views/merge.py). Each calls its
service; a refusal becomes a readable message, another rep's customer stays a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound
from leads.forms import FollowUpForm
from leads.models import Lead

from .. import access, selectors, services
from ..forms import ReassignForm, ReleaseForm, TransferRequestForm
from .detail import after_action, lead_or_404, render_detail
from .duplicate_rows import attempted_from


@login_required
@require_POST
def claim(request, lead_id: int):
    """Claim from the pool. With htmx the pool row is swapped in place with the outcome."""
    error = None
    period = None
    try:
        period = services.claim_lead(lead_id=lead_id, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        error = exc
    if request.htmx:
        # The row that lost keeps the company's name, and offers to ask for the customer.
        lead = lead_or_404(request, lead_id) if error is None else None
        company = (
            lead.company_name
            if lead
            else selectors.get_pool_lead_name(user=request.user, lead_id=lead_id)
        )
        return render(
            request,
            "leads/_pool_row_result.html",
            {
                "lead_id": lead_id,
                "lead": lead,
                "company": company,
                "period": period,
                "error": error,
                "may_ask": error is not None
                and error.code == "already_owned"
                and access.may_own(request.user),
            },
        )
    if error is None:
        return after_action(request, lead_id, success=_("You now own this customer."))
    return after_action(request, lead_id, error=error)


def _lead_action(request, lead_id: int, *, form, form_name: str, run, success):
    """One shape for the page's forms: an invalid form re-renders the page (400); a refusal
    becomes a readable message; another rep's customer stays a 404. `success` is the message,
    or a function of what `run` returned that gives it."""
    if not form.is_valid():
        return render_detail(
            request, lead_or_404(request, lead_id), status=400, **{form_name: form}
        )
    try:
        result = run(form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return after_action(request, lead_id, error=exc)
    message = success(result) if callable(success) else success
    return after_action(request, lead_id, success=message)


@login_required
@require_POST
def release(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=ReleaseForm(request.POST),
        form_name="release_form",
        run=lambda data: services.release_lead(
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
        # A won customer is kept whatever its protection: nothing to extend.
        success=lambda followup: (
            _("Follow-up saved.")
            if followup.lead.status == Lead.Status.WON
            else _("Follow-up saved; protection extended.")
        ),
    )


@login_required
@require_POST
def reassign(request, lead_id: int):
    candidates = selectors.list_reassign_candidates(user=request.user)
    return _lead_action(
        request,
        lead_id,
        form=ReassignForm(request.POST, candidates=candidates),
        form_name="reassign_form",
        run=lambda data: services.reassign_lead(
            lead_id=lead_id,
            actor=request.user,
            to_user_id=data["to"].pk,
            reason=data["reason"],
            override_limit=data["override_limit"],
        ),
        success=_("Customer reassigned."),
    )


@login_required
@require_POST
def request_transfer(request, lead_id: int):
    form = TransferRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return after_action(request, lead_id)
    try:
        services.request_transfer(
            lead_id=lead_id,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            attempted=attempted_from(request.POST, prefix="attempted_"),
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return after_action(request, lead_id, error=exc)
    messages.success(request, _("Transfer requested; the owner's manager will decide."))
    return redirect("leads:my_requests")
