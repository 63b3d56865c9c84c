"""Sign-in lockout (django-axes) with a growing cool-off.

Keyed by (username, IP): `LOGIN_FAILURE_LIMIT` wrong passwords for one username from one
address lock that pair out. The first lockout lasts `LOGIN_COOLOFF`; each earlier lockout of
the same pair within `LOGIN_LOCKOUT_MEMORY` doubles it, up to `LOGIN_COOLOFF_MAX`. The count
of earlier lockouts comes from the audit record (accounts.AuditEvent), which every process
shares through the database."""

from datetime import datetime, timedelta

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent

# 2**12 times the base is past any sensible cap; stops the arithmetic from growing.
_MAX_DOUBLINGS = 12


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out (username, IP) before any password is checked. A call without a
    request (a script, the test client's login) has no address to key on and is not
    checked; every door of the product (sign-in page, admin, token endpoint) passes its
    request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` reverse proxies
    the address the outermost of them saw (the one a client cannot forge)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def _username(request) -> str:
    try:
        name = get_client_username(request)
    except Exception:  # noqa: BLE001 - an unreadable body: no username to key on
        name = None
    return name if isinstance(name, str) else ""


def earlier_lockouts(*, username: str, ip_address: str | None, now: datetime) -> int:
    events = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.LOCKOUT,
        username=username[:150],
        at__gte=now - settings.LOGIN_LOCKOUT_MEMORY,
    )
    if ip_address:
        events = events.filter(ip_address=ip_address)
    else:
        events = events.filter(ip_address__isnull=True)
    return events.count()


def cool_off_for(*, username: str, ip_address: str | None, now: datetime) -> timedelta:
    n = earlier_lockouts(username=username, ip_address=ip_address, now=now)
    doublings = min(max(n - 1, 0), _MAX_DOUBLINGS)
    return min(settings.LOGIN_COOLOFF * (2**doublings), settings.LOGIN_COOLOFF_MAX)


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: how long this request's (username, IP) stays locked out."""
    if request is None:
        return settings.LOGIN_COOLOFF
    return cool_off_for(
        username=_username(request),
        ip_address=getattr(request, "axes_ip_address", None),
        now=timezone.now(),
    )


def locked_until(request, credentials: dict | None = None) -> datetime:
    """When the lockout of this request's (username, IP) ends: the last counted failure plus
    the cool-off (failures while locked out are not counted, so this does not move)."""
    username = (credentials or {}).get("username") or _username(request)
    ip_address = getattr(request, "axes_ip_address", None)
    now = timezone.now()
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    span = cool_off_for(username=username, ip_address=ip_address, now=now)
    return (last or now) + span


def retry_after_seconds(until: datetime) -> int:
    return max(1, int((until - timezone.now()).total_seconds() + 0.999))


def locked_out_message(until) -> str:
    local = timezone.localtime(until)
    return _(
        "Too many wrong passwords for this username from your address. "
        "Try again after %(time)s (%(minutes)d minutes)."
    ) % {
        "time": local.strftime("%Y-%m-%d %H:%M"),
        "minutes": max(1, round((until - timezone.now()).total_seconds() / 60)),
    }
