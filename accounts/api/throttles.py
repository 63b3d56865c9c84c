"""Throttling another system's calls, per API key."""

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiKey

logger = logging.getLogger(__name__)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """At most `INTAKE_THROTTLE_RATE` requests per API key ("60/minute"; None: no limit),
    counted in the shared `throttle` cache (Redis in production, so every web process counts
    together). A request past the rate gets 429 `throttled` with Retry-After."""

    scope = "intake"

    def __init__(self):
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        return settings.INTAKE_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        key = request.auth
        if not isinstance(key, ApiKey):
            return None
        # The hash's start as well as the id: a key recreated under a reused id (a restored
        # or test database) does not inherit another key's count.
        return f"throttle:{self.scope}:{key.pk}:{key.key_hash[:16]}"

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure; the door stays open
            logger.warning("throttle cache unavailable; request let through", exc_info=True)
            return True


class UserScopeRateThrottle(SimpleRateThrottle):
    """Per-user throttle for the views that set `throttle_scope` (a REST_FRAMEWORK default
    throttle class, so setting the scope on a view is all it takes). Rates per scope are in
    `API_THROTTLE_RATES` ("claims", "duplicate_checks", "transfer_requests", "imports",
    "exports"; None: no limit), counted in the shared `throttle` cache like the intake
    throttle. A view without a scope, or a scope without a rate, is not throttled; neither
    is a request without a signed-in user (authentication refuses it anyway). Past the rate:
    429 `throttled` with Retry-After."""

    def __init__(self):
        # The scope is the view's; it is known only in allow_request.
        self.cache = caches["throttle"]

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache failure; the door stays open
            logger.warning("throttle cache unavailable; request let through", exc_info=True)
            return True

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        if not user or not user.is_authenticated:
            return None
        # The account's creation time as well as its id: a user recreated under a reused id
        # (a restored or test database) does not inherit another user's count.
        joined = int(user.date_joined.timestamp() * 1_000_000) if user.date_joined else 0
        return f"throttle:{self.scope}:{user.pk}:{joined}"
