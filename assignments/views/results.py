"""My results (我的业绩): the won deals a rep is credited for and the amounts by month; and,
for managers and admins, the wins that credited nobody, to settle."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.dateparse import parse_datetime

from .. import access
from ..forms import CreditCorrectionForm
from ..selectors import credits, list_reassign_candidates

PAGE_SIZE = 25


@login_required
def mine(request):
    before = parse_datetime(request.GET.get("before", "") or "")
    deals = credits.list_credited_deals(rep=request.user, limit=PAGE_SIZE, before=before)
    older = deals[-1].won_at.isoformat() if len(deals) == PAGE_SIZE else None
    return render(
        request,
        "leads/results.html",
        {
            "months": credits.results_by_month(rep=request.user),
            "deals": deals,
            "older": older,
            "paged": before is not None,
            "can_settle": access.can_see_team_lists(request.user),
        },
    )


@login_required
def unsettled(request):
    deals = list(credits.list_unsettled_deals(user=request.user)[:200])
    return render(
        request,
        "leads/unsettled.html",
        {
            "deals": deals,
            "credit_form": CreditCorrectionForm(
                candidates=list_reassign_candidates(user=request.user)
            ),
        },
    )
