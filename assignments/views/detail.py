"""One customer's page: what it shows, which actions it offers (asked of the access rules),
and the answer every action on it gives (back to the page with a message, or to My leads when
the customer is no longer visible)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crm.errors import DomainError, NotFound
from leads.forms import ContactForm, DealForm, FollowUpForm
from leads.models import Deal, Lead
from leads.selectors import list_deal_stages, list_lost_reasons

from .. import access, selectors
from ..forms import (
    CreditCorrectionForm,
    InviteForm,
    MergeForm,
    ReassignForm,
    ReleaseForm,
    SharesForm,
    StatusForm,
    TransferRequestForm,
)
from ..models import Collaborator, CreditAgreement
from ..selectors import credits
from ..selectors.collaborators import (
    get_agreements,
    list_collaborators,
    list_invite_candidates,
    list_share_people,
)
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
        if survivor_id is not None:
            return _to_survivor(request, survivor_id)
        # No dead end for a customer the user knew of: who has it now, and asking for it.
        notice = selectors.get_owner_notice(user=request.user, lead_id=lead_id)
        if notice is None:
            raise Http404 from exc
        return render(
            request,
            "leads/not_yours.html",
            {"notice": notice, "transfer_form": TransferRequestForm()},
            status=403,
        )
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


def _timeline(lead: Lead) -> list[tuple[str, object, object]]:
    """Follow-ups, ownership changes, status changes, collaborators, credit splits and
    inquiries other systems handed in, in the order they happened."""
    items = [("followup", f.occurred_at, f) for f in lead.followups.select_related("author")]
    items += [("inquiry", i.received_at, i) for i in lead.inquiries.all()]
    items += [("event", e.at, e) for e in selectors.list_history(lead_id=lead.pk)]
    items += [
        ("status", c.at, c)
        for c in lead.status_changes.select_related("actor", "lost_reason", "deal")
    ]
    for c in Collaborator.objects.filter(lead=lead).select_related(
        "user", "invited_by", "removed_by"
    ):
        items.append(("invited", c.added_at, c))
        if c.removed_at:
            items.append(("left", c.removed_at, c))
    for a in CreditAgreement.objects.filter(lead=lead).select_related("proposed_by", "decided_by"):
        items.append(("proposed", a.proposed_at, a))
        if a.decided_at and a.status != CreditAgreement.Status.PROPOSED:
            items.append(("decided", a.decided_at, a))
    items.sort(key=lambda item: item[1])
    return items


def _deals(user, lead: Lead) -> list[Deal]:
    deals = list(lead.deals.select_related("stage").prefetch_related("credits__rep"))
    for deal in deals:
        deal.entries = list(deal.credits.all())
        standing = [c for c in deal.entries if c.share > 0]
        settling = bool(standing) and all(c.rep_id is None for c in credits.in_force(deal.pk))
        deal.can_correct = deal.status == Deal.Status.WON and access.can_correct_credit(
            user, lead, settling=settling
        )
        deal.unsettled = settling
    return deals


def render_detail(request, lead: Lead, *, status: int = 200, **forms):
    """The page, with any bound forms (`followup_form`, ...) that failed validation."""
    user = request.user
    period = lead.live_ownership
    can_merge = access.can_merge(user, lead, period)
    statuses = access.status_choices(user, lead, period)
    collaborators = list(list_collaborators(period=period))
    helping_ids = {c.user_id for c in collaborators}
    context = {
        "lead": lead,
        "period": period,
        "won": lead.status == Lead.Status.WON,
        "contacts": lead.contacts.all(),
        "masked": not access.can_see_contact_details(user, lead, period),
        "timeline": _timeline(lead),
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
        "can_log_followup": access.can_log_followup(user, lead, period),
        "is_collaborator": access.collaborates(user, period),
        "statuses": statuses,
        "status_form": forms.get("status_form")
        or StatusForm(statuses=statuses, reasons=list_lost_reasons()),
        "deals": _deals(user, lead),
        "can_work_deals": access.can_work_deals(user, lead, period),
        "deal_form": forms.get("deal_form")
        or DealForm(stages=list_deal_stages(), initial={"currency": settings.DEFAULT_CURRENCY}),
        "credit_form": forms.get("credit_form")
        or CreditCorrectionForm(candidates=selectors.list_reassign_candidates(user=user)),
        "collaborators": collaborators,
        "can_manage_collaborators": access.can_manage_collaborators(user, lead, period),
        "invite_form": forms.get("invite_form")
        or InviteForm(
            candidates=list_invite_candidates().exclude(
                pk__in=[*helping_ids, period.owner_id if period else 0]
            )
        ),
        "agreements": get_agreements(period=period),
        "can_propose_shares": period is not None and period.owner_id == user.pk,
        "shares_form": forms.get("shares_form")
        or SharesForm(people=list_share_people(period=period)),
        "can_decide_shares": access.can_decide_credit_shares(user, period),
        "collisions": selectors.list_lead_collisions(lead_id=lead.pk)
        if access.can_see_lead_collisions(user, lead, period)
        else None,
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
