"""Redis gone or hung: the site keeps answering within a few seconds.

Two faults, each on a private server of the test's own (the shared Redis is never touched):
*stopped* (connections refused) and *hung* (connections accepted and never answered, as a
Redis process stopped with SIGSTOP looks). Cache and broker point at the same server, as in
production. Without socket timeouts on the broker, a hung Redis blocks every request that
queues an e-mail, and ``/healthz``, until the server closes the connection.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.urls import reverse

from events.models import Registration
from magok.celery import app
from notifications import services
from notifications.models import OutboundEmail
from tests.factories import EventFactory, MembershipFactory

from .processes import HungRedis, PrivateRedis, use_broker

# Well above a single socket timeout, well below "the site hangs".
FEW_SECONDS = 6.0


@pytest.fixture(params=["stopped", "hung"])
def broken_redis(request: pytest.FixtureRequest, settings) -> Iterator[str]:
    """Cache and broker of this process on a Redis that is down; yields the fault's name."""
    server: HungRedis | PrivateRedis
    if request.param == "hung":
        server = HungRedis()
        server.start()
    else:
        server = PrivateRedis()
        server.start()
        server.stop()  # the port is now refused
    assert settings.CACHES["default"]["BACKEND"] == "magok.cache.ResilientRedisCache"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    original = app.conf.broker_url
    use_broker(server.url)
    try:
        yield request.param
    finally:
        use_broker(original)
        if isinstance(server, HungRedis):
            server.stop()


def _register(client, event) -> tuple[object, float]:
    started = time.monotonic()
    response = client.post(
        reverse("events:register", kwargs={"pk": event.pk}),
        {"include_self": "on", "consent": "on", "colleagues-TOTAL_FORMS": "0", "colleagues-INITIAL_FORMS": "0"},
    )
    return response, time.monotonic() - started


def test_registration_is_saved_and_answered_within_seconds_while_redis_is_broken(
    transactional_db: None, broken_redis: str, client
) -> None:
    # transactional_db: the e-mail's send prompt runs on commit, inside the request, as in
    # production.
    event = EventFactory()
    member = MembershipFactory(user__email="fault@example.kr").user
    client.force_login(member)

    response, elapsed = _register(client, event)

    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("events:registered", kwargs={"pk": event.pk})
    assert elapsed < FEW_SECONDS, f"registering took {elapsed:.1f}s with Redis {broken_redis}"
    assert Registration.objects.get(event=event, email="fault@example.kr").status == Registration.Status.CONFIRMED
    email = OutboundEmail.objects.get(to="fault@example.kr")
    assert email.status == OutboundEmail.Status.QUEUED  # the sweeper sends it once Redis is back

    # The failure (a timeout, for the hung server) started the back-off: the next e-mail
    # does not wait for the broker again.
    started = time.monotonic()
    assert services.email_prompt(email_id=email.pk) is False
    assert time.monotonic() - started < 0.5


def test_pages_answer_and_healthz_names_cache_and_broker_while_redis_is_broken(
    db: None, broken_redis: str, client
) -> None:
    event = EventFactory()

    started = time.monotonic()
    health = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "cache": "error", "broker": "error"}
    assert elapsed < FEW_SECONDS, f"/healthz took {elapsed:.1f}s with Redis {broken_redis}"

    started = time.monotonic()
    for url in (reverse("home"), reverse("events:list"), reverse("events:detail", kwargs={"pk": event.pk})):
        assert client.get(url).status_code == 200, url
    elapsed = time.monotonic() - started
    assert elapsed < FEW_SECONDS, f"three pages took {elapsed:.1f}s with Redis {broken_redis}"
