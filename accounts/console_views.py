"""The admin console (系统设置): teams and API keys. Admins only; every view checks on the
server and every change calls accounts.services. Users and pool policies are in assignments
(their pages show ownership facts: claims held, claim limits)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound

from . import selectors, services
from .console_forms import ApiKeyForm, TeamForm
from .decorators import admin_required
from .models import AuditEvent, User


@login_required
def settings_home(request):
    """/settings/: the console starts at its users tab."""
    return redirect("console-users")


@admin_required
def teams(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return redirect("console-teams")
    rows = selectors.list_teams(actor=request.user).annotate(
        active_members=Count("members", filter=Q(members__is_active=True))
    )
    status = 400 if form.is_bound else 200
    return render(
        request,
        "console/teams.html",
        {"rows": rows, "form": form, "tab": "teams"},
        status=status,
    )


@admin_required
def team_edit(request, team_id: int):
    try:
        team = selectors.get_team_for(actor=request.user, team_id=team_id)
    except NotFound as exc:
        raise Http404 from exc
    form = TeamForm(request.POST or None, initial={"name": team.name, "manager": team.manager})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(actor=request.user, team_id=team.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("console-teams")
    members = team.members.order_by("-is_active", "display_name")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "console/team_edit.html",
        {"team": team, "form": form, "members": members, "tab": "teams"},
        status=status,
    )


@admin_required
def api_keys(request):
    """The list, and creating a key: the answer to the creation is the only page that ever
    shows the key itself (it is not stored, so it cannot be shown again)."""
    form = ApiKeyForm(request.POST or None)
    created = raw_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, raw_key = services.create_api_key(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                form = ApiKeyForm()
        else:
            status = 400
    context = {
        "keys": selectors.list_api_keys(actor=request.user),
        "form": form,
        "created": created,
        "raw_key": raw_key,
        "tab": "api-keys",
    }
    response = render(request, "console/api_keys.html", context, status=status)
    if raw_key:
        # Not kept by the browser's cache or a proxy: this page is the key's only copy.
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@admin_required
def api_key_revoke(request, key_id: int):
    try:
        key = services.revoke_api_key(actor=request.user, key_id=key_id)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(
        request, _("The key %(prefix)s… is revoked: it no longer works.") % {"prefix": key.prefix}
    )
    return redirect("console-api-keys")


AUDIT_PAGE_SIZE = 50


@admin_required
def audit(request):
    """/settings/audit/: the audit record, newest first, 50 a page, by kind and by user."""
    kind = request.GET.get("kind") or ""
    if kind not in AuditEvent.Kind.values:
        kind = ""
    user_param = request.GET.get("user") or ""
    user_id = int(user_param) if user_param.isdigit() and len(user_param) < 19 else None
    events = selectors.list_audit_events(actor=request.user, kind=kind or None, user_id=user_id)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "kinds": AuditEvent.Kind.choices,
        "kind": kind,
        "users": User.objects.order_by("username").only("id", "username", "display_name"),
        "user_id": user_id,
        "query": query.urlencode(),
        "tab": "audit",
    }
    return render(request, "console/audit.html", context)
