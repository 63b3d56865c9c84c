"""Pages for the in-app inbox: the list, mark as read, e-mail preferences per kind."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import notifications
from .models import Notification


class EmailPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me an e-mail for"),
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@login_required
def inbox(request):
    items = list(notifications.list_notifications(user=request.user)[:100])
    for item in items:
        item.text = notifications.describe(item)
    form = EmailPreferencesForm(
        initial={
            "email_kinds": [
                k for k in Notification.Kind.values if k not in request.user.email_muted_kinds
            ]
        }
    )
    return render(request, "accounts/notifications.html", {"items": items, "form": form})


@login_required
@require_POST
def mark_read(request):
    raw = request.POST.getlist("id")
    ids = [int(value) for value in raw if value.isdigit()] if raw else None
    notifications.mark_read(user=request.user, notification_ids=ids)
    return redirect(request.POST.get("next") or "notifications")


@login_required
@require_POST
def preferences(request):
    form = EmailPreferencesForm(request.POST)
    if form.is_valid():
        wanted = set(form.cleaned_data["email_kinds"])
        notifications.set_email_muted_kinds(
            user=request.user, kinds=[k for k in Notification.Kind.values if k not in wanted]
        )
        messages.success(request, _("E-mail preferences saved."))
    return redirect("notifications")
