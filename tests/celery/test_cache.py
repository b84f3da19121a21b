from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches

from magok import cache as resilient

from .processes import PrivateRedis


@pytest.fixture
def redis_cache(settings) -> Iterator[tuple[PrivateRedis, str]]:
    server = PrivateRedis()
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "outage": {
            "BACKEND": "magok.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    try:
        yield server, "outage"
    finally:
        server.stop()


def test_cache_misses_instead_of_failing_while_redis_is_down(redis_cache, monkeypatch) -> None:
    server, alias = redis_cache
    cache = caches[alias]
    cache.set("seats", 3)
    assert cache.get("seats") == 3

    server.stop()
    started = time.monotonic()
    assert cache.get("seats", "miss") == "miss"
    cache.set("seats", 4)  # dropped, not raised
    assert cache.add("lock", 1) is True
    assert cache.incr("hits", 2) == 2
    assert cache.get_many(["seats"]) == {}
    assert time.monotonic() - started < 3

    server.start()
    monkeypatch.setattr(resilient, "BACKOFF_SECONDS", 0.0)
    cache._down_until = 0.0
    cache.set("seats", 5)
    assert cache.get("seats") == 5


def test_cache_calls_share_one_redis_client(redis_cache) -> None:
    """Django makes a ``redis.Redis`` per call, which costs more than the call: ours is made once."""
    _, alias = redis_cache
    cache = caches[alias]
    cache.set("seats", 1)
    cache.get("seats")
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
