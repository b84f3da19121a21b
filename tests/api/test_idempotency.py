"""`Idempotency-Key` on API writes: a retry gets the first answer and writes nothing twice."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Audience, Registration
from magok.idempotency import idempotency_keys_purge
from magok.models import IdempotentRequest
from tests.factories import EventFactory, MembershipFactory, RegistrationFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _register(client: APIClient, event, key: str | None, email: str = "guest@example.kr"):
    headers = {"Idempotency-Key": key} if key else {}
    body = {"consent": True, "attendees": [{"name": "손님", "email": email}]}
    return client.post(f"/api/v1/events/{event.pk}/registrations/", body, format="json", headers=headers)


@pytest.mark.django_db
def test_a_retry_with_the_same_key_replays_the_first_answer():
    member = MembershipFactory().user
    event = EventFactory(audience=Audience.TENANTS)
    client = _client(member)

    first = _register(client, event, "reg-7f3a")
    retry = _register(client, event, "reg-7f3a")

    assert first.status_code == 201
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_without_a_key_a_resend_is_a_new_request():
    member = MembershipFactory().user
    event = EventFactory(audience=Audience.TENANTS)
    client = _client(member)

    assert _register(client, event, None).status_code == 201
    second = _register(client, event, None)

    assert second.status_code == 409  # the duplicate rule answers, not a replay
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused():
    member = MembershipFactory().user
    event = EventFactory(audience=Audience.TENANTS)
    client = _client(member)

    assert _register(client, event, "reg-1", email="a@example.kr").status_code == 201
    other = _register(client, event, "reg-1", email="b@example.kr")

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user():
    event = EventFactory(audience=Audience.TENANTS)
    first, second = MembershipFactory().user, MembershipFactory().user

    assert _register(_client(first), event, "same-key", email="a@example.kr").status_code == 201
    other = _register(_client(second), event, "same-key", email="b@example.kr")

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert Registration.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_a_refused_request_stores_nothing_and_a_corrected_retry_runs():
    member = MembershipFactory().user
    event = EventFactory(audience=Audience.TENANTS)
    client = _client(member)

    refused = client.post(
        f"/api/v1/events/{event.pk}/registrations/",
        {"consent": False},
        format="json",
        headers={"Idempotency-Key": "k1"},
    )
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists()
    assert _register(client, event, "k1").status_code == 201


@pytest.mark.django_db
def test_a_malformed_key_is_refused():
    member = MembershipFactory().user
    event = EventFactory(audience=Audience.TENANTS)

    response = _register(_client(member), event, "has space")

    assert response.status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_cancel_with_a_key_is_replayed():
    member = MembershipFactory().user
    registration = RegistrationFactory(user=member, registered_by=member, company=member.memberships.get().company)
    client = _client(member)
    url = f"/api/v1/registrations/{registration.pk}/"

    assert client.delete(url, headers={"Idempotency-Key": "c1"}).status_code == 204
    retry = client.delete(url, headers={"Idempotency-Key": "c1"})

    assert retry.status_code == 204
    assert retry.headers["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_old_keys_are_purged(settings):
    member = MembershipFactory().user
    _register(_client(member), EventFactory(audience=Audience.TENANTS), "old")
    IdempotentRequest.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS + 1)
    )

    assert idempotency_keys_purge() == 1
    assert idempotency_keys_purge() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_register_once():
    """Eight copies of one request at once, as a client retrying through a flaky network would."""
    member = MembershipFactory().user
    event = EventFactory(audience=Audience.TENANTS, capacity=50)
    barrier = threading.Barrier(8)
    answers: list[tuple[int, dict, bool]] = []

    def retry() -> None:
        try:
            barrier.wait()
            response = _register(_client(member), event, "rush-1")
            answers.append((response.status_code, response.json(), "Idempotent-Replayed" in response.headers))
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(answers) == 8
    assert {status for status, _, _ in answers} == {201}
    assert len({json.dumps(body, sort_keys=True) for _, body, _ in answers}) == 1
    assert sum(replayed for _, _, replayed in answers) == 7
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_an_application_create_retried_with_its_key_makes_one_draft(client):
    from accounts.models import Membership
    from programs.models import Application
    from tests.programs.factories import CallFactory

    representative = MembershipFactory(role=Membership.Role.REPRESENTATIVE).user
    call = CallFactory()
    client.force_login(representative)
    body = {"call": call.pk, "contact_phone": "02-000-0000", "consent": True}
    headers = {"Idempotency-Key": "apply-1"}

    first = client.post("/api/v1/applications/", body, content_type="application/json", headers=headers)
    retry = client.post("/api/v1/applications/", body, content_type="application/json", headers=headers)

    assert first.status_code == 201, first.content
    assert retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert Application.objects.filter(call=call).count() == 1


@pytest.mark.django_db
def test_the_purge_task_runs_twice_safely(settings):
    from magok.tasks import purge_idempotency_keys

    member = MembershipFactory().user
    _register(_client(member), EventFactory(audience=Audience.TENANTS), "old")
    expired = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS + 1)
    IdempotentRequest.objects.update(created_at=expired)

    assert purge_idempotency_keys.apply().get() == 1
    assert purge_idempotency_keys.apply().get() == 0
