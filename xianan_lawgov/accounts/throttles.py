"""API rate limits (DRF throttles): per token, per address for requests without one, and
bad tokens per address (checked by the authentication itself: a bad token never reaches
the view's throttles).

Rates are ``LAWGOV_SECURITY`` settings, read when a throttle is made (so a test or an
operator changing them is heard at once). Counts live in Django's cache: with several
server processes, configure a shared cache (see docs/security.md).

A throttle counts requests per sixtieth of its period (``BUCKETS``) and refuses one when the
buckets of the last period hold the rate: DRF's own throttle, but keeping sixty counts where
DRF keeps the time of every request and reads and writes the whole list back on each one
(3,600 times at the token's default rate, several milliseconds a request once the list is
full). The period slides by a sixtieth at a time instead of by the moment.
"""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from xianan_lawgov.audit.log import client_address

from .models import ApiToken, security_setting

#: Into how many parts a throttle's period is cut; the period slides by one part at a time.
BUCKETS = 60


class SettingRateThrottle(SimpleRateThrottle):
    setting = ""
    # Not DRF's key: a list of moments kept by an earlier release is never read as counts.
    cache_format = "throttle_counts_%(scope)s_%(ident)s"

    def get_rate(self):
        return security_setting(self.setting)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.read_counts()
        if sum(self.counts.values()) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def read_counts(self) -> None:
        """This key's requests in the last period, per bucket (the bucket: the moment's
        index in sixtieths of the period)."""
        self.now = self.timer()
        self.bucket = int(self.now * BUCKETS // self.duration)
        self.counts = {
            bucket: count
            for bucket, count in self.cache.get(self.key, {}).items()
            if bucket > self.bucket - BUCKETS
        }

    def throttle_success(self):
        self.counts[self.bucket] = self.counts.get(self.bucket, 0) + 1
        self.cache.set(self.key, self.counts, self.duration)
        return True

    def wait(self):
        """Seconds until the oldest bucket of the period leaves it."""
        if not self.counts:
            return None
        return max((min(self.counts) + BUCKETS) * self.duration / BUCKETS - self.now, 0)


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
        self.read_counts()

    def get_cache_key(self, request, view):
        return self.key

    @property
    def blocked(self) -> bool:
        return sum(self.counts.values()) >= self.num_requests

    def count_failure(self) -> None:
        self.throttle_success()  # counts this failure in the address's bucket
