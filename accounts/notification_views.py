"""Pages for the in-app inbox: the list, mark as read, e-mail preferences per kind."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services
from .delivery import describe
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
    items = list(selectors.list_notifications(user=request.user)[:100])
    for item in items:
        item.text = describe(item)
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
    services.mark_notifications_read(user=request.user, notification_ids=ids)
    # Back to the page the bell was clicked on, never to another site.
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications")
    return redirect(next_url)


@login_required
@require_POST
def preferences(request):
    form = EmailPreferencesForm(request.POST)
    if form.is_valid():
        wanted = set(form.cleaned_data["email_kinds"])
        services.set_email_muted_kinds(
            user=request.user, kinds=[k for k in Notification.Kind.values if k not in wanted]
        )
        messages.success(request, _("E-mail preferences saved."))
    return redirect("notifications")
