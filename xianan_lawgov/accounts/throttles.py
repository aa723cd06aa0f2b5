"""API rate limits (DRF throttles): per token, per address for requests without one, and
bad tokens per address (checked by the authentication itself: a bad token never reaches
the view's throttles).

Rates are ``LAWGOV_SECURITY`` settings, read when a throttle is made (so a test or an
operator changing them is heard at once). Counts live in Django's cache: with several
server processes, configure a shared cache (see docs/security.md).
"""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from xianan_lawgov.audit.log import client_address

from .models import ApiToken, security_setting


class SettingRateThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        return security_setting(self.setting)


class TokenRateThrottle(SettingRateThrottle):
    """Requests made with one API token."""

    scope = "token"
    setting = "API_RATE_PER_TOKEN"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressRateThrottle(SettingRateThrottle):
    """Requests without a token or a login, per client address."""

    scope = "address"
    setting = "API_RATE_PER_ADDRESS"

    def get_cache_key(self, request, view):
        if request.user is not None and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class BadTokenThrottle(SettingRateThrottle):
    """Bad tokens from one address: past the rate, every token from there is refused until
    the period has passed (guessing tokens gets nowhere fast)."""

    scope = "bad_token"
    setting = "BAD_TOKENS_PER_ADDRESS"

    def __init__(self, request) -> None:
        super().__init__()
        self.key = self.cache_format % {"scope": self.scope, "ident": client_address(request)}
        self.now = self.timer()
        self.history = [
            moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration
        ]

    def get_cache_key(self, request, view):
        return self.key

    @property
    def blocked(self) -> bool:
        return len(self.history) >= self.num_requests

    def count_failure(self) -> None:
        self.throttle_success()  # records this moment in the address's history
