"""Sessions kept in the cache and the database (magok/sessions.py): no session query on a signed-in
request, a logout that holds, and correct sessions while Redis is down."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from magok import sessions
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

REDIS_DOWN = {
    "default": {
        "BACKEND": "magok.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def _session_queries(captured) -> int:
    return sum("django_session" in query["sql"] for query in captured.captured_queries)


def test_the_session_engine_is_the_cached_one_with_redis():
    assert settings.SESSION_ENGINE == "magok.sessions"


def test_a_signed_in_request_reads_its_session_from_the_cache(client, django_assert_max_num_queries):
    client.force_login(MembershipFactory().user)
    with django_assert_max_num_queries(20) as captured:
        assert client.get(reverse("events:my")).status_code == 200
    assert _session_queries(captured) == 0
    cache.clear()  # an evicted copy: read from the database, then kept again
    with django_assert_max_num_queries(20) as captured:
        assert client.get(reverse("events:my")).status_code == 200
    assert _session_queries(captured) == 1
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("events:my"))
    assert _session_queries(captured) == 0


def test_the_cached_copy_is_kept_at_most_a_minute():
    store = sessions.SessionStore()
    store["probe"] = 1
    store.set_expiry(14 * 24 * 3600)
    store.save()
    client = cache._cache.get_client(store.cache_key, write=False)  # type: ignore[attr-defined]
    ttl = client.ttl(cache.make_and_validate_key(store.cache_key))
    assert 0 < ttl <= sessions.CACHE_SECONDS


def test_after_logout_the_old_cookie_is_signed_out(client):
    user = MembershipFactory().user
    client.force_login(user)
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("events:my")).status_code == 200
    client.post(reverse("accounts:logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = old
    response = client.get(reverse("events:my"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Session.objects.filter(session_key=old).exists()


def test_with_redis_down_sessions_live_in_the_database(client):
    user = MembershipFactory().user
    with override_settings(CACHES=REDIS_DOWN):
        client.force_login(user)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert Session.objects.filter(session_key=key).exists()
        response = client.get(reverse("events:my"))
        assert response.status_code == 200 and user.name in response.content.decode()
        client.post(reverse("accounts:logout"))
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        assert client.get(reverse("events:my")).status_code == 302
        assert not Session.objects.filter(session_key=key).exists()
