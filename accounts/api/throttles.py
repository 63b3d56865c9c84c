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
