"""The navigation every page shows: links to what the user may open (asked of the access
rules; each page checks again on the server), the unread notification count, and for a
manager the transfer requests waiting for their decision."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import count_unread

from . import access
from .selectors import count_disputes_to_rule, count_requests_to_decide

# (url name, label, who is shown the link)
NAV_ITEMS = [
    ("home", _("Home"), None),
    ("leads:pool", _("Public pool"), None),
    ("leads:mine", _("My leads"), None),
    ("leads:team", _("Team leads"), access.can_see_team_lists),
    ("results", _("My results"), access.may_own),
    ("leads:transfer_inbox", _("Approvals"), access.can_see_transfer_inbox),
    ("dashboard", _("Dashboard"), access.can_see_dashboard),
    ("rules", _("Rules"), None),
    ("settings", _("Settings"), access.can_administer),
    ("admin:index", _("Administration"), access.can_administer),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {
            "url": reverse(name),
            "label": label,
            # The console's pages (console-users, console-teams, ...) light up "Settings".
            "active": current == name or (name == "settings" and current.startswith("console-")),
            "name": name,
        }
        for name, label, shown_to in NAV_ITEMS
        if shown_to is None or shown_to(user)
    ]
    for item in items:
        if item["name"] == "leads:transfer_inbox":
            # Transfer requests to decide and disputes to rule on.
            item["count"] = count_requests_to_decide(user=user) + count_disputes_to_rule(user=user)
    return {"nav_items": items, "unread_notifications": count_unread(user=user)}
