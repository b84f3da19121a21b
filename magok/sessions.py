"""Sessions read from the cache and written to both the database and the cache (Django's
``cached_db``), with each cached copy kept at most ``CACHE_SECONDS``.

A signed-in request then reads its session from Redis, in place of a database query. The database
stays the record: while Redis is down (the cache fails open, magok/cache.py) every session is
read from and written to the database, as with the ``db`` backend.

Why the bound: a logout, or the new key of a login, while Redis is unreachable deletes the
database row but cannot delete the cached copy. If Redis kept its data, that copy would let the
old cookie in again for the rest of the session's age (two weeks). Kept at most a minute, such a
copy is gone at most a minute after the logout. (A deleted account's sessions need no such
care: a session whose user no longer exists does not authenticate.)
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import cached_db

CACHE_SECONDS = 60


class _BoundedCache:
    """The cache, with every timeout set through it cut to ``seconds``."""

    def __init__(self, cache: Any, seconds: int) -> None:
        self._cache = cache
        self._seconds = seconds

    def set(self, key: str, value: Any, timeout: int | None = None, version: int | None = None) -> None:
        self._cache.set(key, value, self._bounded(timeout), version)

    async def aset(self, key: str, value: Any, timeout: int | None = None, version: int | None = None) -> None:
        await self._cache.aset(key, value, self._bounded(timeout), version)

    def _bounded(self, timeout: int | None) -> int:
        return self._seconds if timeout is None else min(timeout, self._seconds)

    def __contains__(self, key: str) -> bool:
        return key in self._cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    _cache: Any

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = _BoundedCache(self._cache, CACHE_SECONDS)
