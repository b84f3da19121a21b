"""The engine's services: slots, placing, moving, cancelling, publishing, reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import Meeting, MeetingSeat, Unavailability
from meetings.services import (
    MeetingError,
    grid_slots_generate,
    meeting_cancel,
    meeting_move,
    meeting_place,
    reminders_queue_due,
    schedule_publish,
)
from notifications.models import OutboundEmail
from tests.factories import EventFactory, StaffFactory

from .factories import GridFactory, ParticipantFactory, make_grid

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def test_slots_follow_the_definition_and_skip_breaks():
    start = datetime(2027, 7, 10, 11, 0, tzinfo=SEOUL)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=5))
    grid = GridFactory(event=event, first_start=start, last_start=start.replace(hour=14), breaks=["12:00-13:00"])
    slots = grid_slots_generate(grid=grid, by=None)
    times = [s.starts_at.astimezone(SEOUL).strftime("%H:%M") for s in slots]
    assert times == ["11:00", "11:20", "11:40", "13:00", "13:20", "13:40", "14:00"]
    # Idempotent: the same slot rows again.
    assert [s.pk for s in grid_slots_generate(grid=grid, by=None)] == [s.pk for s in slots]


def test_a_break_that_cannot_be_read_is_refused():
    grid = GridFactory.build(breaks=["12시-13시"])
    with pytest.raises(ValidationError) as error:
        grid.clean()
    assert "breaks" in error.value.message_dict


def test_a_slot_with_a_live_meeting_is_not_removed():
    grid, slots, tables = make_grid(slots=3, tables=1)
    a, b = ParticipantFactory(grid=grid), ParticipantFactory(grid=grid)
    meeting_place(grid=grid, slot=slots[2], table=tables[0], participants=[a, b], by=None)
    grid.last_start = slots[1].starts_at
    grid.save()
    with pytest.raises(MeetingError) as error:
        grid_slots_generate(grid=grid, by=None)
    assert error.value.code == "slot_in_use"
    assert grid.slots.count() == 3


def test_place_refuses_a_taken_table_a_busy_participant_and_the_maximum():
    grid, slots, tables = make_grid(slots=3, tables=2, max_meetings_per_participant=2)
    a, b, c, d = (ParticipantFactory(grid=grid) for _ in range(4))
    staff = StaffFactory()
    meeting = meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=staff)
    assert meeting.created_by == staff
    assert sorted(meeting.seats.values_list("participant_id", flat=True)) == sorted([a.pk, b.pk])

    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[c, d], by=staff)
    assert error.value.code == "slot_taken"
    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=slots[0], table=tables[1], participants=[a, c], by=staff)
    assert error.value.code == "participant_busy"
    assert a.display_name in error.value.message

    meeting_place(grid=grid, slot=slots[1], table=tables[0], participants=[a, c], by=staff)
    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=slots[2], table=tables[0], participants=[a, d], by=staff)
    assert error.value.code == "meeting_limit"
    assert Meeting.objects.filter(grid=grid).count() == 2


def test_place_refuses_unavailable_slots_and_other_grids():
    grid, slots, tables = make_grid(slots=2, tables=2)
    other_grid, other_slots, _tables = make_grid(slots=1, tables=1)
    a, b = ParticipantFactory(grid=grid), ParticipantFactory(grid=grid)
    Unavailability.objects.create(participant=b, slot=slots[0])
    Unavailability.objects.create(table=tables[1], slot=slots[1])
    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=None)
    assert error.value.code == "unavailable"
    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=slots[1], table=tables[1], participants=[a, b], by=None)
    assert error.value.code == "unavailable"
    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=other_slots[0], table=tables[0], participants=[a, b], by=None)
    assert error.value.code == "wrong_grid"
    with pytest.raises(MeetingError) as error:
        meeting_place(grid=grid, slot=slots[1], table=tables[0], participants=[a, a], by=None)
    assert error.value.code == "no_sides"
    assert not Meeting.objects.exists()


def test_the_database_refuses_double_booking_without_the_service():
    grid, slots, tables = make_grid(slots=1, tables=2)
    a, b, c = (ParticipantFactory(grid=grid) for _ in range(3))
    first = meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(grid=grid, slot=slots[0], table=tables[0])
    second = Meeting.objects.create(grid=grid, slot=slots[0], table=tables[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=second, participant=a, slot=slots[0])
    # A cancelled meeting frees its table and its sides.
    meeting_cancel(meeting=first, by=None)
    MeetingSeat.objects.create(meeting=second, participant=a, slot=slots[0])
    Meeting.objects.create(grid=grid, slot=slots[0], table=tables[0])
    assert c.pk


def test_move_and_cancel_tell_both_sides_once_published():
    grid, slots, tables = make_grid(slots=3, tables=1)
    a, b, c = (ParticipantFactory(grid=grid) for _ in range(3))
    meeting = meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=None)
    other = meeting_place(grid=grid, slot=slots[1], table=tables[0], participants=[a, c], by=None)
    assert not OutboundEmail.objects.exists()  # nobody is told before publishing

    assert schedule_publish(grid=grid, by=None) == 3
    assert schedule_publish(grid=grid, by=None) == 0  # unchanged schedules are not sent again

    with pytest.raises(MeetingError) as error:
        meeting_move(meeting=meeting, slot=slots[1], by=None)
    assert error.value.code in {"slot_taken", "participant_busy"}
    meeting_move(meeting=meeting, slot=slots[2], by=None)
    moved = OutboundEmail.objects.filter(subject__contains="변경")
    assert sorted(moved.values_list("to", flat=True)) == sorted([a.email, b.email])
    assert "meetings.ics" in str(moved.first().attachments)
    assert MeetingSeat.objects.filter(meeting=meeting, slot=slots[2]).count() == 2

    meeting_cancel(meeting=other, by=None)
    cancelled = OutboundEmail.objects.filter(subject__contains="취소")
    assert sorted(cancelled.values_list("to", flat=True)) == sorted([a.email, c.email])
    # The changed schedules are sent again on the next publish, the unchanged are not.
    assert schedule_publish(grid=grid, by=None) == 2


def test_the_day_before_reminder_is_queued_once():
    grid, slots, tables = make_grid(slots=2, tables=1)
    a, b, lonely = (ParticipantFactory(grid=grid) for _ in range(3))
    meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=None)
    now = grid.first_start - timedelta(hours=30)
    assert reminders_queue_due(now=now) == 0  # not published
    grid.published_at = timezone.now()
    grid.save()
    assert reminders_queue_due(now=now) == 0  # too early
    now = grid.first_start - timedelta(hours=20)
    assert reminders_queue_due(now=now) == 2
    assert reminders_queue_due(now=now) == 0
    assert not OutboundEmail.objects.filter(to=lonely.email).exists()
