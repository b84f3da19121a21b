"""Double booking under real concurrency: threads on PostgreSQL, each with its own connection."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError

from meetings import services
from meetings.models import Meeting, MeetingGrid, MeetingSeat
from meetings.services import MeetingError, meeting_place
from tests.events.helpers import run_in_threads

from .factories import ParticipantFactory, make_grid

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("meetings-race")]
THREADS = 12


@pytest.fixture(autouse=True)
def _patient_lock(settings):
    # The threads queue on one grid lock on a small shared machine; these tests are about the
    # bookings, not about the bounded wait.
    settings.EVENT_LOCK_TIMEOUT_MS = 120_000


def _jobs_for_one_table(grid, slot, table, pairs):
    return [
        (lambda a=a, b=b: meeting_place(grid=grid, slot=slot, table=table, participants=[a, b], by=None))
        for a, b in pairs
    ]


def test_concurrent_accepts_for_one_table_and_slot_place_exactly_one():
    grid, slots, tables = make_grid(slots=1, tables=1)
    pairs = [(ParticipantFactory(grid=grid), ParticipantFactory(grid=grid)) for _ in range(THREADS)]
    errors = run_in_threads(_jobs_for_one_table(grid, slots[0], tables[0], pairs))
    assert Meeting.objects.filter(grid=grid).count() == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, MeetingError) and e.code == "slot_taken" for e in errors), errors


def test_concurrent_accepts_for_one_participant_in_one_slot_place_exactly_one():
    """One person, many tables, one slot: the seat check under the lock lets one through."""
    grid, slots, tables = make_grid(slots=1, tables=THREADS)
    busy = ParticipantFactory(grid=grid)
    others = [ParticipantFactory(grid=grid) for _ in range(THREADS)]
    jobs = [
        (lambda t=t, o=o: meeting_place(grid=grid, slot=slots[0], table=t, participants=[busy, o], by=None))
        for t, o in zip(tables, others, strict=True)
    ]
    errors = run_in_threads(jobs)
    assert MeetingSeat.objects.filter(participant=busy, is_live=True).count() == 1
    assert all(isinstance(e, MeetingError) and e.code == "participant_busy" for e in errors), errors
    assert len(errors) == THREADS - 1


def _unlocked(n: int):
    """_locked_grid without the lock; the barrier makes every thread check before anyone writes."""
    read_barrier = threading.Barrier(n, timeout=30)

    def unlocked_grid(grid_id: int) -> MeetingGrid:
        grid = MeetingGrid.objects.get(pk=grid_id)
        read_barrier.wait()
        return grid

    return unlocked_grid


def test_control_without_the_lock_every_check_passes_and_only_the_database_stops_the_double_booking(monkeypatch):
    """Shows that the race test can fail: without the lock all threads find the table free.
    The one thing still standing is the database constraint (meeting_one_live_per_table_slot),
    which turns all but one of them into IntegrityErrors instead of clean refusals."""
    grid, slots, tables = make_grid(slots=1, tables=1)
    pairs = [(ParticipantFactory(grid=grid), ParticipantFactory(grid=grid)) for _ in range(THREADS)]
    monkeypatch.setattr(services, "_locked_grid", _unlocked(THREADS))
    errors = run_in_threads(_jobs_for_one_table(grid, slots[0], tables[0], pairs))
    assert Meeting.objects.filter(grid=grid).count() == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, IntegrityError) for e in errors), errors


def test_control_without_the_lock_a_participant_would_sit_at_two_tables_but_for_the_seat_constraint(monkeypatch):
    grid, slots, tables = make_grid(slots=1, tables=THREADS)
    busy = ParticipantFactory(grid=grid)
    others = [ParticipantFactory(grid=grid) for _ in range(THREADS)]
    monkeypatch.setattr(services, "_locked_grid", _unlocked(THREADS))
    jobs = [
        (lambda t=t, o=o: meeting_place(grid=grid, slot=slots[0], table=t, participants=[busy, o], by=None))
        for t, o in zip(tables, others, strict=True)
    ]
    errors = run_in_threads(jobs)
    assert MeetingSeat.objects.filter(participant=busy, is_live=True).count() == 1
    assert any(isinstance(e, IntegrityError) and "seat_one_live_per_participant_slot" in str(e) for e in errors), errors
