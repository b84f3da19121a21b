"""The API's rate limits (magok/throttles.py): DRF's sliding window, in one Redis round trip."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from magok.cache import ResilientRedisCache
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events/"


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"})
    return now


def _retry_after(response) -> int:
    assert response.status_code == 429
    return int(response["Retry-After"])


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_window_slides_as_drf_s_does(clock, signed_in):
    client = APIClient()
    limit = 2
    if signed_in:
        client.force_authenticate(MembershipFactory().user)
        limit = 3
    assert [client.get(EVENTS).status_code for _ in range(limit)] == [200] * limit
    assert _retry_after(client.get(EVENTS)) == 60
    clock[0] += 30
    assert _retry_after(client.get(EVENTS)) == 30  # refused requests do not count
    clock[0] += 30.5  # the first requests leave the window
    assert client.get(EVENTS).status_code == 200
    assert client.get(EVENTS, REMOTE_ADDR="10.1.2.3").status_code == 200  # another address or user


def test_one_round_trip_per_request_on_redis(clock, monkeypatch):
    cache = caches["default"]
    if not isinstance(cache, ResilientRedisCache):
        pytest.skip("DRF's own throttle runs without Redis")
    calls = []
    original = ResilientRedisCache.run_script
    monkeypatch.setattr(ResilientRedisCache, "run_script", lambda self, *a: calls.append(a) or original(self, *a))
    monkeypatch.setattr(ResilientRedisCache, "get", lambda self, *a, **k: pytest.fail("a second round trip"))
    monkeypatch.setattr(ResilientRedisCache, "set", lambda self, *a, **k: pytest.fail("a second round trip"))
    assert APIClient().get(EVENTS).status_code == 200
    assert len(calls) == 1


def test_rate_limits_are_open_while_redis_is_down(clock, monkeypatch):
    if not isinstance(caches["default"], ResilientRedisCache):
        pytest.skip("DRF's own throttle runs without Redis")
    monkeypatch.setattr(ResilientRedisCache, "run_script", lambda self, *a: None)
    assert [APIClient().get(EVENTS).status_code for _ in range(4)] == [200] * 4
