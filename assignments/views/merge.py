"""Merging two records of one customer, from a lead's possible duplicates: first a page that
says what the merge would do (which record survives, what moves, what stays, who owns the
result), read from the database; the merge happens only when the manager confirms it there."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.errors import DomainError, NotFound, PermissionDenied

from .. import services
from ..forms import MergeForm
from ..selectors.merge_preview import get_merge_preview
from .detail import after_action, lead_or_404, render_detail


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, lead_id: int):
    """GET (the duplicate row's buttons) or an unconfirmed POST: the confirmation page. A POST
    with `confirm`: the merge."""
    form = MergeForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render_detail(request, lead_or_404(request, lead_id), status=400, merge_form=form)
    survivor_id, merged_id = form.sides(lead_id)
    try:
        if request.method == "POST" and form.cleaned_data["confirm"]:
            survivor = services.merge_leads(
                survivor_id=survivor_id,
                merged_id=merged_id,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
            return after_action(
                request,
                survivor.pk,
                success=_("Merged: contacts, follow-ups and history are now on this customer."),
            )
        preview = get_merge_preview(user=request.user, survivor_id=survivor_id, merged_id=merged_id)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return after_action(request, lead_id, error=exc)
    keep = form.cleaned_data["keep"]
    return render(
        request,
        "leads/merge_confirm.html",
        {
            "preview": preview,
            "lead_id": lead_id,
            "other": form.cleaned_data["other"],
            "keep": keep,
            "swap": MergeForm.KEEP_THIS if keep == MergeForm.KEEP_OTHER else MergeForm.KEEP_OTHER,
            "reason": form.cleaned_data["reason"],
        },
    )
