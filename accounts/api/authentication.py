from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.selectors import get_token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>` check, with the token and its user read in one
    hand-written statement (accounts.selectors.get_token). Same answers as DRF's."""

    def authenticate_credentials(self, key):
        token = get_token(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
