"""schedule_plan against the database: kept meetings, re-plan, reasons, idempotency."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import Meeting, MeetingSeat, Unavailability
from meetings.services import DemandSpec, meeting_place, schedule_plan
from tests.factories import StaffFactory

from .factories import ParticipantFactory, make_grid

pytestmark = pytest.mark.django_db


def test_plan_places_keeps_and_reports_and_is_idempotent(django_assert_max_num_queries):
    grid, slots, tables = make_grid(slots=2, tables=1, max_meetings_per_participant=2)
    a, b, c, d = (ParticipantFactory(grid=grid) for _ in range(4))
    staff = StaffFactory()
    Unavailability.objects.create(participant=d, slot=slots[0])
    Unavailability.objects.create(participant=d, slot=slots[1])
    demands = [
        DemandSpec(key="request:1", participant_ids=(a.pk, b.pk)),
        DemandSpec(key="request:2", participant_ids=(a.pk, c.pk)),
        DemandSpec(key="request:3", participant_ids=(b.pk, c.pk)),  # b is busy in one slot, c in the other
        DemandSpec(key="request:4", participant_ids=(a.pk, d.pk)),  # d is never available
    ]
    with django_assert_max_num_queries(15):
        report = schedule_plan(grid=grid, demands=demands, by=staff)
    assert len(report.placed) == 2 and report.kept == []
    assert dict((k, code) for k, code, _ in report.unplaced) == {"request:3": "busy", "request:4": "unavailable"}
    assert all(m.created_by == staff for m in report.placed)
    assert MeetingSeat.objects.filter(meeting__grid=grid, is_live=True).count() == 4

    again = schedule_plan(grid=grid, demands=demands, by=staff)
    assert again.placed == [] and again.kept == ["request:1", "request:2"]
    assert Meeting.objects.filter(grid=grid).count() == 2

    replanned = schedule_plan(grid=grid, demands=demands, replan=True, by=staff)
    assert replanned.released == 2 and len(replanned.placed) == 2
    assert Meeting.objects.filter(grid=grid).exclude(state=Meeting.State.CANCELLED).count() == 2


def test_meetings_placed_by_hand_block_the_plan():
    grid, slots, tables = make_grid(slots=1, tables=2)
    a, b, c, d = (ParticipantFactory(grid=grid) for _ in range(4))
    meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=None)
    report = schedule_plan(
        grid=grid,
        demands=[
            DemandSpec(key="request:1", participant_ids=(a.pk, c.pk)),
            DemandSpec(key="request:2", participant_ids=(c.pk, d.pk)),
        ],
        by=None,
    )
    assert [m.demand_key for m in report.placed] == ["request:2"]
    assert report.placed[0].table == tables[1]
    assert [(k, code) for k, code, _ in report.unplaced] == [("request:1", "busy")]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)).filter(lambda p: p[0] != p[1]), max_size=14),
    maximum=st.integers(1, 3),
)
def test_the_database_plan_keeps_every_constraint(pairs, maximum):
    grid, slots, tables = make_grid(slots=3, tables=2, max_meetings_per_participant=maximum)
    people = [ParticipantFactory(grid=grid) for _ in range(6)]
    demands = [DemandSpec(key=f"r{i}", participant_ids=(people[a].pk, people[b].pk)) for i, (a, b) in enumerate(pairs)]
    report = schedule_plan(grid=grid, demands=demands, by=None)
    assert len(report.placed) + len(report.unplaced) == len(demands)
    seats = MeetingSeat.objects.filter(meeting__grid=grid, is_live=True)
    assert len(set(seats.values_list("participant_id", "slot_id"))) == seats.count()
    per_person = {p.pk: seats.filter(participant=p).count() for p in people}
    assert max(per_person.values(), default=0) <= maximum
    assert len(report.placed) <= len(slots) * len(tables)
    assert schedule_plan(grid=grid, demands=demands, by=None).placed == []
