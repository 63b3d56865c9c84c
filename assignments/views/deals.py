"""The lifecycle and deal actions on a customer's page: move its status, add, edit, win and
lose deals, and correct or settle a won deal's credit. Each calls its service."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound
from leads.forms import DealForm
from leads.models import Deal
from leads.selectors import list_deal_stages, list_lost_reasons

from .. import selectors, services
from ..forms import CloseDealForm, CreditCorrectionForm, StatusForm
from .detail import after_action, lead_or_404, render_detail


def _deal_lead_id(deal_id: int) -> int:
    lead_id = Deal.objects.filter(pk=deal_id).values_list("lead_id", flat=True).first()
    if lead_id is None:
        raise Http404
    return lead_id


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
def change_status(request, lead_id: int):
    lead = lead_or_404(request, lead_id)
    form = StatusForm(
        request.POST,
        statuses=[s for s, _label in lead.Status.choices],
        reasons=list_lost_reasons(),
    )
    if not form.is_valid():
        return render_detail(request, lead, status=400, status_form=form)
    data = form.cleaned_data
    return _run(
        request,
        lead_id,
        lambda: services.change_status(
            lead_id=lead_id,
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            lost_reason_id=data["lost_reason"].pk if data["lost_reason"] else None,
        ),
        _("Status changed."),
    )


@login_required
@require_POST
def add_deal(request, lead_id: int):
    form = DealForm(request.POST, stages=list_deal_stages())
    if not form.is_valid():
        return render_detail(request, lead_or_404(request, lead_id), status=400, deal_form=form)
    return _run(
        request,
        lead_id,
        lambda: services.create_deal(
            lead_id=lead_id, actor=request.user, **form.service_arguments()
        ),
        _("Deal added."),
    )


@login_required
@require_POST
def edit_deal(request, deal_id: int):
    lead_id = _deal_lead_id(deal_id)
    form = DealForm(request.POST, stages=list_deal_stages())
    if not form.is_valid():
        return render_detail(request, lead_or_404(request, lead_id), status=400, deal_form=form)
    arguments = form.service_arguments()
    arguments["stage"] = arguments.pop("stage_id")
    return _run(
        request,
        lead_id,
        lambda: services.update_deal(deal_id=deal_id, actor=request.user, **arguments),
        _("Deal saved."),
    )


@login_required
@require_POST
def win_deal(request, deal_id: int):
    lead_id = _deal_lead_id(deal_id)
    form = CloseDealForm(request.POST)
    form.is_valid()
    return _run(
        request,
        lead_id,
        lambda: services.win_deal(
            deal_id=deal_id, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        _("Deal won. The credit follows the ownership record."),
    )


@login_required
@require_POST
def lose_deal(request, deal_id: int):
    lead_id = _deal_lead_id(deal_id)
    form = CloseDealForm(request.POST)
    form.is_valid()
    return _run(
        request,
        lead_id,
        lambda: services.lose_deal(
            deal_id=deal_id, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        _("Deal marked lost."),
    )


@login_required
@require_POST
def correct_credit(request, deal_id: int):
    lead_id = _deal_lead_id(deal_id)
    form = CreditCorrectionForm(
        request.POST, candidates=selectors.list_reassign_candidates(user=request.user)
    )
    if not form.is_valid():
        return render_detail(request, lead_or_404(request, lead_id), status=400, credit_form=form)
    return _run(
        request,
        lead_id,
        lambda: services.correct_credit(
            deal_id=deal_id,
            actor=request.user,
            shares=form.shares(),
            reason=form.cleaned_data["reason"],
        ),
        _("Credit recorded."),
    )
