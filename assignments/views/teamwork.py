"""Collaborators (协作人) and the credit split agreed before a win, on a customer's page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound

from .. import services
from ..forms import DecisionForm, InviteForm, SharesForm
from ..selectors.collaborators import list_invite_candidates, list_share_people
from .detail import after_action, lead_or_404, render_detail


def _run(request, lead_id: int, run, success: str):
    try:
        run()
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return after_action(request, lead_id, error=exc)
    return after_action(request, lead_id, success=success)


@login_required
@require_POST
def invite(request, lead_id: int):
    form = InviteForm(request.POST, candidates=list_invite_candidates())
    if not form.is_valid():
        return render_detail(request, lead_or_404(request, lead_id), status=400, invite_form=form)
    return _run(
        request,
        lead_id,
        lambda: services.invite_collaborator(
            lead_id=lead_id, actor=request.user, user_id=form.cleaned_data["user"].pk
        ),
        _("Colleague invited to help."),
    )


@login_required
@require_POST
def remove(request, lead_id: int, user_id: int):
    return _run(
        request,
        lead_id,
        lambda: services.remove_collaborator(lead_id=lead_id, actor=request.user, user_id=user_id),
        _("No longer helping on this customer."),
    )


@login_required
@require_POST
def propose_shares(request, lead_id: int):
    lead = lead_or_404(request, lead_id)
    form = SharesForm(request.POST, people=list_share_people(period=lead.live_ownership))
    if not form.is_valid():
        return render_detail(request, lead, status=400, shares_form=form)
    return _run(
        request,
        lead_id,
        lambda: services.propose_credit_shares(
            lead_id=lead_id,
            actor=request.user,
            shares=form.shares(),
            note=form.cleaned_data["note"],
        ),
        _("Credit split proposed; your manager will decide."),
    )


@login_required
@require_POST
def decide_shares(request, lead_id: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    return _run(
        request,
        lead_id,
        lambda: services.decide_credit_shares(
            lead_id=lead_id,
            actor=request.user,
            approve=decision == "approve",
            note=form.cleaned_data.get("note", ""),
        ),
        _("Credit split approved.") if decision == "approve" else _("Credit split rejected."),
    )
