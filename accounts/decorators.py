"""Page guards shared by the admin console's pages (in accounts and assignments)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .access import can_administer


def admin_required(view):
    """Sign-in first (a redirect to the login page); then admins only (403 for others)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not can_administer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(guarded)
