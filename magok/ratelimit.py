"""Counting attempts per hour in the cache, for actions that send e-mail to a typed address.

The cache fails open (magok.cache): during a Redis outage these limits do not hold, which is
the price of keeping sign-up and registration working then."""

from __future__ import annotations

from django.core.cache import cache

WINDOW_SECONDS = 3600


def attempt_count(key: str, *, window_seconds: int = WINDOW_SECONDS) -> int:
    """Count one attempt under ``key`` (kept ``window_seconds`` from the first); the count so far."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired (or cleared) between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def attempts_within_limits(*limits: tuple[str, int]) -> bool:
    """Count one attempt against every (cache key, limit per hour); True while all are within
    their limit. Every key is counted even when an earlier one is over, so that a refused
    attempt still costs the others."""
    counts = [attempt_count(key) <= limit for key, limit in limits]
    return all(counts)
