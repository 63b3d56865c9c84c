"""The rules in the open (透明): every signed-in user reads, in plain words, the pool policies
of their teams and the territory rules that can send customers to them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.rules_open import get_rules_in_open


@login_required
@require_GET
def rules(request):
    view = get_rules_in_open(user=request.user)
    return render(
        request,
        "leads/rules.html",
        {"policies": view.policies, "rules": view.rules, "reps": view.reps},
    )
