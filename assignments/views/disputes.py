"""The pages of disputes (撞单申诉): a rep files one from the notice of a customer they can no
longer open (or from their own record of it); the manager reads both reps side by side on
the arbitration page and rules; both reps follow the outcome. Every action calls its
service; a refusal becomes a readable message on the page it came from."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound, PermissionDenied
from leads.models import Lead

from .. import access, selectors, services
from ..forms import DisputeForm, RulingForm
from ..models import Dispute
from .duplicate_rows import REASON_LABELS
from .paging import keyset_page

TABS = [Dispute.Status.OPEN, Dispute.Status.RULED, Dispute.Status.WITHDRAWN, Dispute.Status.STALE]


def _lead_to_dispute(request, lead_id: int) -> Lead:
    lead = Lead.objects.filter(pk=lead_id, merged_into__isnull=True).first()
    if lead is None or not selectors.may_file_dispute(user=request.user, lead=lead):
        raise Http404
    return lead


@login_required
def file(request, lead_id: int):
    lead = _lead_to_dispute(request, lead_id)
    records = selectors.list_claimant_records(user=request.user, lead=lead)
    initial = {"record": request.GET.get("record")} if request.GET.get("record") else {}
    form = DisputeForm(request.POST or None, records=records, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.file_dispute(
                lead_id=lead.pk,
                actor=request.user,
                statement=form.cleaned_data["statement"],
                record_id=form.cleaned_data["record"],
            )
        except NotFound as exc:
            raise Http404 from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Dispute filed: the owner's manager will rule."))
            return redirect("leads:dispute", dispute.pk)
    notice = selectors.get_owner_notice(user=request.user, lead_id=lead.pk)
    return render(
        request,
        "leads/dispute_new.html",
        {"lead": lead, "form": form, "notice": notice, "records": records},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def listing(request):
    status = request.GET.get("status", Dispute.Status.OPEN)
    if status not in Dispute.Status.values:
        status = Dispute.Status.OPEN
    rows, next_query = keyset_page(
        request, selectors.list_disputes_visible_to(user=request.user, status=status)
    )
    return render(
        request,
        "leads/disputes.html",
        {
            "rows": rows,
            "next_query": next_query,
            "status": status,
            "tabs": [(value, Dispute.Status(value).label) for value in TABS],
        },
    )


def _rulings(dispute: Dispute) -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in Dispute.Ruling.choices
        if value != Dispute.Ruling.MERGE or dispute.record_id
    ]


@login_required
def detail(request, dispute_id: int, form: RulingForm | None = None, status: int = 200):
    try:
        dispute = selectors.get_dispute_for(user=request.user, dispute_id=dispute_id)
    except NotFound as exc:
        raise Http404 from exc
    evidence = match = None
    if access.can_see_dispute_evidence(request.user, dispute):
        evidence = selectors.get_dispute_evidence(user=request.user, dispute=dispute)
        if evidence.match_level:
            match = {
                "level": _("the same customer")
                if evidence.match_level == "strong"
                else _("possibly the same customer"),
                "reasons": [str(REASON_LABELS.get(r, r)) for r in evidence.match_reasons],
            }
    may_rule = dispute.is_open and access.can_rule_dispute(request.user, dispute)
    if may_rule and form is None:
        form = RulingForm(rulings=_rulings(dispute))
    return render(
        request,
        "leads/dispute.html",
        {
            "dispute": dispute,
            "evidence": evidence,
            "match": match,
            "form": form if may_rule else None,
            "may_withdraw": dispute.is_open and dispute.claimant_id == request.user.pk,
            "ruled_by_history": dispute.status == Dispute.Status.RULED,
        },
        status=status,
    )


@login_required
@require_POST
def rule(request, dispute_id: int):
    try:
        dispute = selectors.get_dispute_for(user=request.user, dispute_id=dispute_id)
    except NotFound as exc:
        raise Http404 from exc
    form = RulingForm(request.POST, rulings=_rulings(dispute))
    if not form.is_valid():
        return detail(request, dispute_id, form=form, status=400)
    data = form.cleaned_data
    share = data["claimant_share"]
    shares = []
    if share is not None:
        shares = [(dispute.claimant_id, share), (dispute.owner_id, Decimal(100) - share)]
        shares = [(rep, part) for rep, part in shares if part > 0]
    try:
        services.rule_dispute(
            dispute_id=dispute_id,
            actor=request.user,
            ruling=data["ruling"],
            reason=data["reason"],
            shares=shares,
            override_limit=data["override_limit"],
        )
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("leads:dispute", dispute_id)
    messages.success(request, _("Ruled. Both reps are notified."))
    return redirect("leads:dispute", dispute_id)


@login_required
@require_POST
def withdraw(request, dispute_id: int):
    try:
        services.withdraw_dispute(dispute_id=dispute_id, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("leads:dispute", dispute_id)
    messages.success(request, _("Dispute withdrawn."))
    return redirect("leads:disputes")
