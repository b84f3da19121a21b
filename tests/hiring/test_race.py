"""The camp's limit and the interview slots under real concurrency: threads on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from hiring import services
from hiring.models import JobApplication, Seeker
from meetings.models import Meeting
from tests.events.helpers import run_in_threads

from .factories import camp_world, seeker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("hiring-race")]
Status = JobApplication.Status


def _apply_jobs(person: Seeker, positions: list) -> list:
    return [
        (lambda position=position: services.application_apply(seeker=person, position=position, by=person.user))
        for position in positions
    ]


def test_concurrent_applications_stop_at_the_camps_limit():
    world = camp_world(companies=6, applications_per_seeker=3)
    person = seeker(world.camp)
    errors = run_in_threads(_apply_jobs(person, world.positions))
    assert JobApplication.objects.filter(seeker=person).count() == 3
    assert sorted(getattr(e, "code", repr(e)) for e in errors) == ["application_limit"] * 3


def test_control_without_the_lock_the_limit_is_passed(monkeypatch):
    """Without the seeker row lock every thread counts the same applications (the barrier makes
    them all read before anyone writes), so the limit is passed."""
    world = camp_world(companies=6, applications_per_seeker=3)
    person = seeker(world.camp)
    barrier = threading.Barrier(6, timeout=30)

    def unlocked_seeker(seeker_id: int) -> Seeker:
        row = Seeker.objects.select_related("camp", "camp__event").get(pk=seeker_id)
        barrier.wait()
        return row

    monkeypatch.setattr(services, "_locked_seeker", unlocked_seeker)
    run_in_threads(_apply_jobs(person, world.positions))
    assert JobApplication.objects.filter(seeker=person).count() > 3


def test_concurrent_matches_at_one_table_take_different_slots():
    """Both confirmations read the same first free slot; the engine's lock lets one have it and
    the other moves on to the next slot instead of failing or double-booking."""
    world = camp_world(companies=1, slots=2)
    applications = []
    for _ in range(2):
        person = seeker(world.camp)
        application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
        services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[0])
        applications.append(application)
    errors = run_in_threads(
        [
            (lambda a=a: services.application_transition(application=a, to=Status.MATCHED, by=world.staff))
            for a in applications
        ]
    )
    assert errors == []
    live = Meeting.objects.exclude(state=Meeting.State.CANCELLED)
    assert live.count() == 2
    assert len(set(live.values_list("slot_id", flat=True))) == 2


def test_concurrent_matches_for_one_free_slot_place_exactly_one():
    world = camp_world(companies=1, slots=1)
    applications = []
    for _ in range(3):
        person = seeker(world.camp)
        application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
        services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[0])
        applications.append(application)
    errors = run_in_threads(
        [
            (lambda a=a: services.application_transition(application=a, to=Status.MATCHED, by=world.staff))
            for a in applications
        ]
    )
    assert sorted(getattr(e, "code", repr(e)) for e in errors) == ["no_free_slot"] * 2
    assert Meeting.objects.exclude(state=Meeting.State.CANCELLED).count() == 1
    assert JobApplication.objects.filter(status=Status.MATCHED).count() == 1
