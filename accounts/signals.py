"""Sign-ins, failed sign-ins, sign-outs and lockouts into the audit record. Django's auth
signals are the one place the sign-in page, the admin and the token endpoint all pass
through (the token endpoint calls `authenticate` with its request); changes to users, teams,
policies and rules are recorded by their services, not here."""

from axes.models import AccessAttemptExpiration
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from . import audit, lockout

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in, dispatch_uid="accounts.audit.sign_in")
def on_sign_in(sender, request, user, **kwargs):
    if request is None:
        return
    session = getattr(request, "session", None)
    if session is not None:
        # The session's absolute age counts from here (accounts.middleware).
        session[SIGNED_IN_AT] = int(timezone.now().timestamp())
    audit.record_event(kind=audit.Kind.SIGN_IN, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.audit.sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    username = credentials.get("username") if isinstance(credentials, dict) else ""
    audit.record_event(
        kind=audit.Kind.SIGN_IN_FAILED,
        request=request,
        username=username if isinstance(username, str) else "",
        details={"locked_out": bool(getattr(request, "axes_locked_out", False))},
    )


@receiver(user_logged_out, dispatch_uid="accounts.audit.sign_out")
def on_sign_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    audit.record_event(kind=audit.Kind.SIGN_OUT, actor=user, request=request)


@receiver(user_locked_out, dispatch_uid="accounts.audit.lockout")
def on_lockout(sender, request, username, ip_address, **kwargs):
    # axes signals again for each attempt refused while locked out; only the failure that
    # reached the limit carries a failure count.
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    now = timezone.now()
    username = username if isinstance(username, str) else ""
    audit.record_event(
        kind=audit.Kind.LOCKOUT,
        request=request,
        username=username,
        details={"failures": request.axes_failures_since_start},
    )
    # This lockout's cool-off (grown by the one just recorded) is when its attempts expire.
    span = lockout.cool_off_for(username=username, ip_address=ip_address, now=now)
    AccessAttemptExpiration.objects.filter(
        access_attempt__username=username, access_attempt__ip_address=ip_address
    ).update(expires_at=now + span)
