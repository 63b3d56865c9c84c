from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, roles allowed). Pages still check permissions on the server; this only
# decides which links a role is shown.
NAV_ITEMS = [
    ("home", _("Home"), {"rep", "manager", "admin"}),
    ("leads:pool", _("Public pool"), {"rep", "manager", "admin"}),
    ("leads:mine", _("My leads"), {"rep", "manager", "admin"}),
    ("leads:team", _("Team leads"), {"manager", "admin"}),
    ("admin:index", _("Administration"), {"admin"}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    items = []
    current = request.resolver_match.view_name if request.resolver_match else ""
    for name, label, roles in NAV_ITEMS:
        if user.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not installed yet is simply not shown
            continue
        items.append({"url": url, "label": label, "active": current == name})
    from accounts.notifications import count_unread

    return {"nav_items": items, "unread_notifications": count_unread(user=user)}
