"""A rep's bulk actions on the lists: "Claim selected" on the pool, "Release selected" on My
leads. Each lead is decided by the single action's service (see services.bulk_claims); the
answer lists every ticked row, claimed/released or refused and why, in words. With htmx the
summary goes above the list and each ticked row is swapped in place with its outcome;
without it, the same summary is a page of its own."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError

from .. import access, services
from ..exceptions import AlreadyOwned
from ..forms import BulkClaimForm, BulkReleaseForm
from ..selectors.lead_names import map_known_lead_names


@dataclass(frozen=True)
class ResultRow:
    lead_id: int
    # Empty for a lead the user may not know of (`not_found`): no name, nothing more.
    company: str
    done: bool
    code: str
    message: str
    protected_until: datetime | None = None
    # A claim refused because a colleague has it: the row offers to ask for it.
    may_ask: bool = False


def _rows(user, outcomes, *, not_found: str) -> list[ResultRow]:
    known = [o.lead_id for o in outcomes if o.done or o.error.code != "not_found"]
    names = map_known_lead_names(user=user, lead_ids=known)
    rows = []
    for outcome in outcomes:
        error = outcome.error
        if error is None:
            until = outcome.period.protected_until if outcome.period is not None else None
            code, message = "", ""
        else:
            until = None
            code = error.code
            message = not_found if code == "not_found" else error.message
        rows.append(
            ResultRow(
                lead_id=outcome.lead_id,
                company="" if code == "not_found" else names.get(outcome.lead_id, ""),
                done=error is None,
                code=code,
                message=message,
                protected_until=until,
                may_ask=isinstance(error, AlreadyOwned) and access.may_own(user),
            )
        )
    return rows


def _answer(request, *, action: str, rows=None, error: str = "", status: int = 200):
    context = {
        "action": action,
        "rows": rows or [],
        "done": sum(1 for row in rows or [] if row.done),
        "refused": sum(1 for row in rows or [] if not row.done),
        "error": error,
    }
    if request.htmx:
        return render(request, "leads/_bulk_result.html", context, status=status)
    return render(request, "leads/bulk_result.html", context, status=status)


def _refusal(form) -> str:
    return " ".join(message for errors in form.errors.values() for message in errors)


@login_required
@require_POST
def claim(request):
    form = BulkClaimForm(request.POST)
    if not form.is_valid():
        return _answer(request, action="claim", error=_refusal(form), status=400)
    try:
        outcomes = services.claim_leads(lead_ids=form.cleaned_data["lead_ids"], actor=request.user)
    except DomainError as exc:
        return _answer(request, action="claim", error=exc.message, status=exc.status)
    rows = _rows(
        request.user,
        outcomes,
        not_found=_("Not found: it is not in a pool you can claim from, or it no longer exists."),
    )
    return _answer(request, action="claim", rows=rows)


@login_required
@require_POST
def release(request):
    form = BulkReleaseForm(request.POST)
    if not form.is_valid():
        return _answer(request, action="release", error=_refusal(form), status=400)
    try:
        outcomes = services.release_leads(
            lead_ids=form.cleaned_data["lead_ids"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        return _answer(request, action="release", error=exc.message, status=exc.status)
    rows = _rows(
        request.user, outcomes, not_found=_("Not found among the customers you may release.")
    )
    return _answer(request, action="release", rows=rows)
