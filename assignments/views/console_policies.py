"""The admin console's pool policies page (系统设置 · 公海规则): the global policy and every
team's overrides, durations as days and hours. Saving calls `services.update_policy`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import admin_required
from crm.errors import DomainError

from .. import services
from ..console_forms import PolicyForm
from ..selectors.console import list_policy_scopes


def _scope_key(scope) -> str:
    return "global" if scope.team is None else f"team-{scope.team.pk}"


def _form(scope, data=None) -> PolicyForm:
    inherited = scope.inherited if scope.team is not None else None
    return PolicyForm(data, policy=scope.policy, inherited=inherited, prefix=_scope_key(scope))


@admin_required
def policies(request):
    scopes = list_policy_scopes()
    forms = {_scope_key(scope): _form(scope) for scope in scopes}
    status = 200
    if request.method == "POST":
        key = request.POST.get("scope", "")
        scope = next((s for s in scopes if _scope_key(s) == key), None)
        if scope is not None:
            form = forms[key] = _form(scope, request.POST)
            if form.is_valid():
                try:
                    services.update_policy(
                        actor=request.user, team=scope.team, changes=form.changes()
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    if scope.team is None:
                        messages.success(request, _("The global policy is saved."))
                    else:
                        messages.success(
                            request,
                            _("The policy of %(team)s is saved.") % {"team": scope.team.name},
                        )
                    return redirect(f"{request.path}#policy-{key}")
            status = 400
        else:
            messages.error(request, _("That team no longer exists."))
            status = 400
    rows = [{"scope": s, "key": _scope_key(s), "form": forms[_scope_key(s)]} for s in scopes]
    return render(
        request, "console/policies.html", {"rows": rows, "tab": "policies"}, status=status
    )
