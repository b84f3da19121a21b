"""A Redis cache that keeps the site up while Redis is down.

The cache is shared with the task broker. When Redis is unreachable the portal must still
take registrations (their e-mails wait in the outbox), so a cache failure is a miss: reads
return the default, writes are dropped, counters start again. Rate limits built on the cache
are therefore open during an outage. Do not use the cache for locks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
T = TypeVar("T")
# After a failure, skip Redis for a few seconds instead of paying the connect timeout on
# every cache call of every request.
BACKOFF_SECONDS = 5.0


class _SharedClients(RedisCacheClient):
    """One ``redis.Redis`` for reads and one for writes, where Django makes a new one for every
    cache call: making one (~50 µs, it copies its table of reply parsers) costs more than a GET
    (~20 µs). A ``redis.Redis`` may be shared: each command takes a connection from its pool.
    (With several servers, reads then stay on the first replica picked; we configure one.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClients

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return call()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            self._down_until = time.monotonic() + BACKOFF_SECONDS
            logger.warning("cache unavailable (%s); treating it as empty", exc)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), True)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), delta)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), [])

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._guard(lambda: super(ResilientRedisCache, self).clear(), None)

    def run_script(self, script: str, key: str, args: list[Any]) -> Any:
        """Run a Lua ``script`` on ``key`` (``KEYS[1]``, made like the cache's other keys) in one
        round trip; None while Redis is down."""

        def call() -> Any:
            client = self._cache.get_client(key, write=True)  # type: ignore[attr-defined]
            return client.register_script(script)(keys=[self.make_and_validate_key(key)], args=args)

        return self._guard(call, None)
