"""My results (我的业绩): the won deals a rep is credited for and the amounts by month; and,
for managers and admins, the wins that credited nobody, to settle."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..forms import CreditCorrectionForm
from ..selectors import credits, list_reassign_candidates


@login_required
def mine(request):
    return render(
        request,
        "leads/results.html",
        {
            "months": credits.results_by_month(rep=request.user),
            "deals": credits.list_credited_deals(rep=request.user),
            "can_settle": request.user.is_manager or request.user.is_admin,
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
