"""API throttles (see REST_FRAMEWORK in settings). Kept apart from magok/api.py: DRF imports
its throttle classes while ``rest_framework.views`` itself is being imported.

DRF's throttles keep each caller's request times as a pickled list: a ``get`` and a ``set``,
two Redis round trips on every API request. ``OneRoundTrip`` runs the same algorithm (a sliding
window of the last ``duration`` seconds; refused when it already holds ``num_requests``; the
``Retry-After`` of DRF's ``wait``) as a Lua script on a Redis list, in one round trip that also
makes it atomic: two workers can no longer both read the same history and each let one more
request in. Its cost does not grow with the requests in the window either: DRF's reads and
writes the whole list each time (in one process, 0.7 ms a request with 1,000 requests in the
window and 1.6 ms with 30,000, as under the benchmark's raised limits; this one 0.16–0.19 ms).
Without a Redis cache (local settings) DRF's own code runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from magok.cache import ResilientRedisCache

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

# KEYS[1]: the caller's list of request times, newest first. ARGV: now, duration, num_requests.
# Returns {allowed (0/1), requests in the window, the oldest of them}; numbers travel as strings
# (Redis would truncate a Lua number to an integer).
SLIDING_WINDOW = """
local now, duration, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
while true do
    local oldest = redis.call('LINDEX', KEYS[1], -1)
    if not oldest or tonumber(oldest) > now - duration then break end
    redis.call('RPOP', KEYS[1])
end
local count = redis.call('LLEN', KEYS[1])
if count >= limit then
    return {0, count, redis.call('LINDEX', KEYS[1], -1) or ARGV[1]}
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(duration))
return {1, count + 1, redis.call('LINDEX', KEYS[1], -1)}
"""


class OneRoundTrip(SimpleRateThrottle):
    # Not DRF's key: a list where DRF keeps a pickled value (a worker of the previous release
    # reading it would fail).
    cache_format = "throttle-window_%(scope)s_%(ident)s"
    num_requests: int  # set by SimpleRateThrottle.__init__ from the rate (not in the stubs)
    duration: int
    _count = 0
    _oldest = 0.0

    def allow_request(self, request: Request, view: APIView) -> bool:
        cache = caches["default"]
        if not isinstance(cache, ResilientRedisCache):
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        answer = cache.run_script(SLIDING_WINDOW, self.key, [repr(self.now), self.duration, self.num_requests])
        if answer is None:  # Redis is down: rate limits are open (magok/cache.py)
            return True
        allowed, count, oldest = answer
        self._count, self._oldest = int(count), float(oldest)
        return bool(allowed)

    def wait(self) -> float | None:
        if not isinstance(caches["default"], ResilientRedisCache):
            return super().wait()
        # DRF's wait, from the window the script saw.
        remaining = self.duration - (self.now - self._oldest) if self._count else self.duration
        available = self.num_requests - self._count + 1
        if available <= 0:
            return None
        return remaining / float(available)


class AnonymousRateThrottle(OneRoundTrip, AnonRateThrottle):
    """DRF's per-address limit for anonymous requests, in one round trip."""


class SignedInRateThrottle(OneRoundTrip, UserRateThrottle):
    """DRF's per-user limit, for signed-in callers only. DRF's own falls back to the client
    address for anonymous requests, which ``AnonymousRateThrottle`` already counts: every
    anonymous request paid both, four cache round trips where one does the job."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
