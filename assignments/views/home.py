from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..selectors.agenda import get_agenda


@login_required
def home(request):
    """What a rep sees first: their claims against the limit, and the teams they manage."""
    return render(
        request,
        "accounts/home.html",
        {
            "managed_teams": request.user.managed_teams.all(),
            "summary": selectors.get_claim_summary(user=request.user),
            "agenda": get_agenda(user=request.user),
        },
    )
