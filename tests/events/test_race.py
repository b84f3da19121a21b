"""Seats under real concurrency: threads on PostgreSQL, each with its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from audit.models import AuditEntry
from events import services
from events.models import Audience, Event, Registration
from events.services import AttendeeData, RegistrationError, registration_cancel, registration_create
from notifications.models import OutboundEmail
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, UserFactory

from .helpers import run_in_threads

# Real threads need real commits. `make test` runs such tests after the others, because the
# flush that ends them also empties what data migrations created (see tests/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("events-race")]


@pytest.fixture(autouse=True)
def _patient_lock(settings):
    # Fifty threads queue on one event lock on a small shared machine: on a slow run the last
    # ones could wait longer than the production bound and be told "busy, try again". These
    # tests are about the seat counts; test_lock_timeout.py tests the bound, and the rush test
    # below puts the production bound back on purpose.
    settings.EVENT_LOCK_TIMEOUT_MS = 120_000


def _register_jobs(event: Event, n: int) -> list[Callable[[], object]]:
    users = [UserFactory(email=f"racer{i}@example.kr", name=f"참가자{i}") for i in range(n)]
    return [
        (
            lambda user=user: registration_create(
                event=event,
                by=user,
                attendees=[AttendeeData(name=user.name, email=user.email)],
                consent=True,
                language="ko",
            )
        )
        for user in users
    ]


def test_fifty_concurrent_registrations_for_ten_seats():
    event = EventFactory(capacity=10, audience=Audience.PUBLIC)
    errors = run_in_threads(_register_jobs(event, 50))
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == 10
    assert statuses.count(Registration.Status.WAITLISTED) == 40


def test_a_rush_on_one_event_is_answered_within_the_production_lock_bound(settings):
    """Thirty registrants at once (the HTTP rush has at most one per web worker in the database
    at a time): under the lock there is only the seat decision and a few INSERTs, so even the
    last in the queue gets the lock well within EVENT_LOCK_TIMEOUT_MS, and nobody is told "busy"."""
    from magok import settings as configured

    settings.EVENT_LOCK_TIMEOUT_MS = configured.EVENT_LOCK_TIMEOUT_MS
    assert settings.EVENT_LOCK_TIMEOUT_MS == 3000  # the default, as in production
    event = EventFactory(capacity=10, audience=Audience.PUBLIC)
    errors = run_in_threads(_register_jobs(event, 30))
    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert (statuses.count(Registration.Status.CONFIRMED), statuses.count(Registration.Status.WAITLISTED)) == (10, 20)


def test_the_same_person_registering_ten_times_at_once_gets_one_registration():
    """Double clicks and retries at once: the first to get the lock registers, the others are
    told it is a duplicate. One registration, one audit entry and one e-mail remain."""
    event = EventFactory(capacity=5, audience=Audience.PUBLIC)
    user = UserFactory(email="twice@example.kr", name="참가자")

    def job() -> object:
        return registration_create(
            event=event,
            by=user,
            attendees=[AttendeeData(name=user.name, email=user.email)],
            consent=True,
            language="ko",
        )

    errors = run_in_threads([job] * 10)
    assert [(type(e), e.code) for e in errors] == [(RegistrationError, "duplicate")] * 9  # type: ignore[attr-defined]
    [registration] = Registration.objects.filter(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert AuditEntry.objects.filter(object_id=str(registration.pk)).count() == 1
    assert OutboundEmail.objects.filter(to=user.email).count() == 1


def test_control_without_the_lock_the_event_is_overbooked(monkeypatch):
    """Shows that the race test can fail: without select_for_update every thread counts the
    same free seats (the barrier makes them all read before anyone writes)."""
    n = 30
    read_barrier = threading.Barrier(n, timeout=30)

    def unlocked_event(event_id: int) -> Event:
        event = Event.objects.get(pk=event_id)
        read_barrier.wait()
        return event

    monkeypatch.setattr(services, "_locked_event", unlocked_event)
    event = EventFactory(capacity=10, audience=Audience.PUBLIC)
    errors = run_in_threads(_register_jobs(event, n))
    assert errors == []
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    assert confirmed > 10


def test_concurrent_cancellations_promote_exactly_one_each():
    event = EventFactory(capacity=10, audience=Audience.PUBLIC)
    staff = StaffFactory()
    confirmed = [RegistrationFactory(event=event) for _ in range(10)]
    waitlisted = [RegistrationFactory(event=event, status=Registration.Status.WAITLISTED) for _ in range(15)]
    errors = run_in_threads([(lambda r=r: registration_cancel(registration=r, by=staff)) for r in confirmed])
    assert errors == []
    statuses = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    assert [statuses[r.pk] for r in confirmed] == [Registration.Status.CANCELLED] * 10
    # The first ten on the waitlist are promoted, in order; the rest still wait.
    assert [statuses[r.pk] for r in waitlisted] == [Registration.Status.CONFIRMED] * 10 + [
        Registration.Status.WAITLISTED
    ] * 5


def test_control_without_the_lock_cancellations_promote_the_same_registration(monkeypatch):
    """Without the lock, concurrent cancellations each see one free seat and all pick the same
    first waitlisted registration: seats stay empty while people wait."""
    n = 10
    barrier = threading.Barrier(n, timeout=30)

    def unlocked_event(event_id: int) -> Event:
        event = Event.objects.get(pk=event_id)
        barrier.wait()
        return event

    monkeypatch.setattr(services, "_locked_event", unlocked_event)
    event = EventFactory(capacity=n, audience=Audience.PUBLIC)
    staff = StaffFactory()
    confirmed = [RegistrationFactory(event=event) for _ in range(n)]
    for _ in range(n):
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    errors = run_in_threads([(lambda r=r: registration_cancel(registration=r, by=staff)) for r in confirmed])
    assert errors == []
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() < n
