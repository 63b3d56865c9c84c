"""Who is calling the API: a user (`Authorization: Token <key>`, or a signed-in session) or
another system (an API key: `Authorization: Api-Key <key>` or `X-Api-Key: <key>`).

The two never mix. An API key opens only the intake endpoint (views that list
`ApiKeyAuthentication`), and there a user's token or session is refused with a clear code;
everywhere else a request carrying an API key is refused the same way."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.selectors import get_api_key, get_token
from accounts.services import mark_api_key_used, token_expired

API_KEY_KEYWORD = "api-key"
API_KEY_HEADER = "HTTP_X_API_KEY"
USER_KEYWORDS = (b"token", b"bearer")


def presented_api_key(request) -> str | None:
    """The API key a request carries (the `Authorization` header first), or None."""
    auth = authentication.get_authorization_header(request).split()
    if auth and auth[0].lower() == API_KEY_KEYWORD.encode():
        if len(auth) != 2:
            return ""
        try:
            return auth[1].decode()
        except UnicodeError:
            return ""
    key = request.META.get(API_KEY_HEADER)
    return None if key is None else key.strip()


class ApiKeyNotAccepted(exceptions.PermissionDenied):
    default_detail = _("API keys are accepted only by the intake endpoint (/api/v1/intake/).")
    default_code = "api_key_not_accepted"


class ApiKeyRequired(exceptions.PermissionDenied):
    default_detail = _(
        "This endpoint is for other systems: send an API key (Authorization: Api-Key <key>), "
        "not a user's token or session."
    )
    default_code = "api_key_required"


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>` check, with the token and its user read in one
    hand-written statement (accounts.selectors.get_token). Same answers as DRF's. A request
    carrying an API key is refused here: keys are for the intake endpoint only."""

    def authenticate(self, request):
        if presented_api_key(request) is not None:
            raise ApiKeyNotAccepted()
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = get_token(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This token has expired: ask for a new one at /api/v1/auth/token/."),
                code="token_expired",
            )
        return (token.user, token)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Another system's API key. Authenticates no user: `request.user` stays anonymous and
    `request.auth` is the `ApiKey`. An unknown or revoked key is refused (401); a user's
    token or session sent instead of a key is refused (403, `api_key_required`)."""

    def authenticate(self, request):
        key = presented_api_key(request)
        if key is None:
            if _carries_user_credentials(request):
                raise ApiKeyRequired()
            return None
        api_key = get_api_key(key=key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Unknown API key."), code="unknown_api_key")
        if not api_key.is_live:
            raise exceptions.AuthenticationFailed(
                _("This API key was revoked: ask an admin for a new one."), code="api_key_revoked"
            )
        mark_api_key_used(api_key=api_key)
        return (AnonymousUser(), api_key)

    def authenticate_header(self, request) -> str:
        return "Api-Key"


def _carries_user_credentials(request) -> bool:
    auth = authentication.get_authorization_header(request).split()
    if auth and auth[0].lower() in USER_KEYWORDS:
        return True
    # A signed-in browser (Django's session middleware has read the cookie lazily).
    user = getattr(request._request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
