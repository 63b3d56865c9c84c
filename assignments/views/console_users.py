"""The admin console's user pages (系统设置 · 用户): the list with what routing sees of each
user (claims held against their capacity, away now, active), creating a user, and one user's
page (role, team, capacity, away periods, deactivate / reactivate). They live here rather
than in accounts because they show ownership facts; every change calls accounts.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.console_forms import AwayForm, UserCreateForm, UserForm
from accounts.decorators import admin_required
from accounts.models import AwayPeriod, User
from crm.errors import DomainError, NotFound

from ..selectors.console import list_user_rows

USER_FIELDS = ["display_name", "email", "role", "team", "capacity"]


@admin_required
def users(request):
    everyone = list(account_selectors.list_users(actor=request.user))
    # Active users first; deactivated ones stay listed (they can be reactivated).
    everyone.sort(key=lambda u: (not u.is_active, u.username))
    rows = list_user_rows(users=everyone, now=timezone.now())
    return render(request, "console/users.html", {"rows": rows, "tab": "users"})


@admin_required
def user_new(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:  # the password, checked again by the service
            form.add_error("password", exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s can now sign in.") % {"name": user})
            return redirect("console-user", user_id=user.pk)
    status = 400 if form.is_bound else 200
    return render(request, "console/user_new.html", {"form": form, "tab": "users"}, status=status)


@admin_required
def user_edit(request, user_id: int):
    user = get_object_or_404(User.objects.select_related("team"), pk=user_id)
    initial = {field: getattr(user, field) for field in USER_FIELDS}
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.update_user(actor=request.user, user_id=user.pk, **form.cleaned_data)
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("console-user", user_id=user.pk)
    status = 400 if form.is_bound else 200
    return _user_page(request, user, form=form, away_form=AwayForm(), status=status)


def _user_page(request, user: User, *, form, away_form, status: int = 200):
    now = timezone.now()
    row = list_user_rows(users=[user], now=now)[0]
    context = {
        "tab": "users",
        "person": user,
        "row": row,
        "form": form,
        "away_form": away_form,
        "away_periods": account_selectors.list_away_periods(user_id=user.pk, now=now),
        "now": now,
        "is_self": user.pk == request.user.pk,
    }
    return render(request, "console/user_edit.html", context, status=status)


@require_POST
@admin_required
def user_set_active(request, user_id: int):
    user = get_object_or_404(User, pk=user_id)
    active = request.POST.get("active") == "1"
    if not active and request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the deactivation."))
        return redirect("console-user", user_id=user.pk)
    try:
        account_services.update_user(actor=request.user, user_id=user.pk, is_active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": user})
        else:
            messages.success(
                request,
                _("%(name)s is deactivated: signed out everywhere, no new customers.")
                % {"name": user},
            )
    return redirect("console-user", user_id=user.pk)


@require_POST
@admin_required
def away_add(request, user_id: int):
    user = get_object_or_404(User.objects.select_related("team"), pk=user_id)
    away_form = AwayForm(request.POST)
    if away_form.is_valid():
        data = away_form.cleaned_data
        try:
            account_services.add_away_period(
                actor=request.user,
                user_id=user.pk,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except DomainError as exc:
            away_form.add_error(None, exc.message)
        else:
            messages.success(request, _("Away period added."))
            return redirect("console-user", user_id=user.pk)
    initial = {field: getattr(user, field) for field in USER_FIELDS}
    return _user_page(
        request, user, form=UserForm(initial=initial), away_form=away_form, status=400
    )


@require_POST
@admin_required
def away_end(request, period_id: int):
    period = get_object_or_404(AwayPeriod, pk=period_id)
    try:
        account_services.end_away_period(actor=request.user, period_id=period.pk)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The away period is over: they get new customers again."))
    return redirect("console-user", user_id=period.user_id)


@require_POST
@admin_required
def away_delete(request, period_id: int):
    period = get_object_or_404(AwayPeriod, pk=period_id)
    try:
        account_services.delete_away_period(actor=request.user, period_id=period.pk)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("Away period deleted."))
    return redirect("console-user", user_id=period.user_id)
