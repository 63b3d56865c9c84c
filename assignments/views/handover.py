"""A rep leaves (离职交接): the manager of the rep's team or an admin sees what the rep holds
(customers, open requests and disputes, next steps), chooses where the customers go and
what becomes of the next steps, and confirms. The rep is deactivated at once; the customers
move in the background (the bulk move's progress page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crm.errors import DomainError, NotFound

from ..bulk_forms import HandOverForm
from ..selectors import bulk_reassignments as bulk_selectors
from ..selectors.people import list_reassign_candidates
from ..services.handover import describe_leaving_rep, hand_over_rep


@login_required
def hand_over(request, rep_id: int):
    try:
        leaving = describe_leaving_rep(actor=request.user, rep_id=rep_id)
    except NotFound as exc:
        raise Http404 from exc
    candidates = list_reassign_candidates(user=request.user).exclude(pk=rep_id)
    teams = bulk_selectors.list_pool_targets(user=request.user)
    form = HandOverForm(request.POST or None, candidates=candidates, teams=teams)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                done = hand_over_rep(
                    actor=request.user,
                    rep_id=rep_id,
                    target=form.target(),
                    reason=form.cleaned_data["reason"],
                    next_steps=form.cleaned_data["next_steps"],
                    override_limit=form.cleaned_data["override_limit"],
                )
            except NotFound as exc:
                raise Http404 from exc
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                words = {"name": done.rep.display_name, "count": done.customers}
                if done.job is None:
                    messages.success(
                        request, _("%(name)s is deactivated; they held no customers.") % words
                    )
                    return redirect("leads:team")
                messages.success(
                    request,
                    _("%(name)s is deactivated; their %(count)s customers are being handed over.")
                    % words,
                )
                return redirect("leads:bulk_move", job_id=done.job.pk)
    context = {
        "leaving": leaving,
        "form": form,
        "members": candidates,
        "pool_teams": teams,
    }
    return render(request, "leads/hand_over.html", context, status=status)
