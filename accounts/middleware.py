import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation

from .signals import SIGNED_IN_AT

LAST_SEEN = "last_seen"
# The last-seen stamp is written at most this often (seconds): a session is not saved on
# every request just to say the user is still there.
LAST_SEEN_PRECISION = 60


class SessionTimeoutMiddleware:
    """A signed-in page session ends after `SESSION_IDLE_TIMEOUT` without a request and after
    `SESSION_MAX_AGE` since sign-in, whatever happens. The request that finds it over is
    answered as a signed-out one (the page sends the user to sign in; the API answers 403),
    and the session row is deleted. Token-authenticated API calls carry no session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        session = request.session
        now = int(time.time())
        signed_in = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        max_age = settings.SESSION_MAX_AGE.total_seconds()
        if (isinstance(last_seen, int) and now - last_seen > idle) or (
            isinstance(signed_in, int) and now - signed_in > max_age
        ):
            logout(request)
            return
        if not isinstance(signed_in, int):
            session[SIGNED_IN_AT] = now
        if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_PRECISION:
            session[LAST_SEEN] = now


class UserLanguageMiddleware:
    """Use the signed-in user's preferred language; otherwise LocaleMiddleware's choice
    (language cookie, then the browser's Accept-Language) stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
