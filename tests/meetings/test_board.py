"""Staff on the day: the grid's board (slots × tables), moving a meeting to a free pair, marking
it done or no-show; permissions."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import selectors
from meetings.models import Meeting, MeetingSeat, Unavailability
from meetings.services import meeting_place
from notifications.models import OutboundEmail
from tests.factories import StaffFactory, staff_with_permissions

from .factories import ParticipantFactory, make_grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    """3 slots × 3 tables. The meeting to move (a, b) is at (s0, t0); a is busy in s1; t0 is taken
    in s2; t2 is unavailable in s0. Free for it: (s0, t1), (s2, t1), (s2, t2)."""
    grid, slots, tables = make_grid(slots=3, tables=3)
    a, b, c, d, e = (ParticipantFactory(grid=grid) for _ in range(5))
    meeting = meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[a, b], by=None)
    meeting_place(grid=grid, slot=slots[1], table=tables[1], participants=[a, c], by=None)
    meeting_place(grid=grid, slot=slots[2], table=tables[0], participants=[d, e], by=None)
    Unavailability.objects.create(table=tables[2], slot=slots[0])
    return grid, slots, tables, meeting, (a, b)


def _move_url(meeting: Meeting) -> str:
    return reverse("admin:meetings_meeting_move", args=[meeting.pk])


def _board_url(grid) -> str:
    return reverse("admin:meetings_meetinggrid_board", args=[grid.pk])


def test_board_queries_do_not_grow_with_the_meetings(client, django_assert_num_queries):
    client.force_login(StaffFactory())
    grid, slots, tables = make_grid(slots=3, tables=3)
    people = [ParticipantFactory(grid=grid) for _ in range(12)]
    meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=people[:2], by=None)
    with CaptureQueriesContext(connection) as one:
        response = client.get(_board_url(grid))
    assert response.status_code == 200
    for i, (slot, table) in enumerate([(slots[0], tables[1]), (slots[1], tables[0]), (slots[2], tables[2])]):
        meeting_place(grid=grid, slot=slot, table=table, participants=people[2 + 2 * i : 4 + 2 * i], by=None)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(_board_url(grid))
    page = response.content.decode()
    assert page.count('class="meeting state-scheduled"') == 4
    assert str(people[5]) in page and page.count(">옮기기<") == 4


def test_the_move_form_offers_only_pairs_where_the_table_and_both_sides_are_free(client, day):
    grid, slots, tables, meeting, _sides = day
    expected = [(slots[0], tables[1]), (slots[2], tables[1]), (slots[2], tables[2])]
    assert selectors.meeting_move_options(meeting=Meeting.objects.select_related("table").get(pk=meeting.pk)) == (
        expected
    )
    client.force_login(StaffFactory())
    page = client.get(_move_url(meeting)).content.decode()
    offered = [tuple(map(int, pair.split(":"))) for pair in re.findall(r"<option value=\"(\d+:\d+)\"", page)]
    assert offered == [(slot.pk, table.pk) for slot, table in expected]


def test_moving_tells_both_sides_and_lands_on_the_board(client, day):
    grid, slots, tables, meeting, (a, b) = day
    grid.published_at = timezone.now()
    grid.save()
    client.force_login(StaffFactory())
    response = client.post(_move_url(meeting), {"target": f"{slots[2].pk}:{tables[2].pk}"})
    assert response.status_code == 302
    assert response["Location"] == f"{_board_url(grid)}#meeting-{meeting.pk}"
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (slots[2], tables[2])
    assert set(MeetingSeat.objects.filter(meeting=meeting).values_list("slot_id", flat=True)) == {slots[2].pk}
    moved = OutboundEmail.objects.filter(subject__contains="미팅 시간 변경")
    assert sorted(moved.values_list("to", flat=True)) == sorted([a.email, b.email])


def test_a_pair_taken_meanwhile_is_refused_with_a_message_and_nothing_changes(client, day):
    grid, slots, tables, meeting, _sides = day
    grid.published_at = timezone.now()
    grid.save()
    client.force_login(StaffFactory())
    # (s2, t0) holds the d–e meeting: someone took it after the page was drawn.
    response = client.post(_move_url(meeting), {"target": f"{slots[2].pk}:{tables[0].pk}"})
    assert response.status_code == 302 and response["Location"] == _move_url(meeting)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("그 시간에 이미 미팅이 있습니다" in text for text in texts), texts
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (slots[0], tables[0])
    assert not OutboundEmail.objects.exists()


def test_marking_done_and_no_show_from_the_board(client, day):
    grid, _slots, _tables, meeting, _sides = day
    client.force_login(StaffFactory())
    mark = reverse("admin:meetings_meeting_mark", args=[meeting.pk])
    assert client.post(mark, {"state": "done"})["Location"] == f"{_board_url(grid)}#meeting-{meeting.pk}"
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.DONE
    client.post(mark, {"state": "no_show"})
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.NO_SHOW
    client.post(mark, {"state": "cancelled"})  # cancelling is not a mark
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.NO_SHOW
    assert client.get(mark).status_code == 405


def test_staff_without_the_permission_get_403(client, day):
    grid, slots, tables, meeting, _sides = day
    mark = reverse("admin:meetings_meeting_mark", args=[meeting.pk])
    client.force_login(staff_with_permissions("meetings", "view_meetinggrid"))
    assert client.get(_board_url(grid)).status_code == 403

    viewer = staff_with_permissions("meetings", "view_meeting")
    client.force_login(viewer)
    board = client.get(_board_url(grid))
    assert board.status_code == 200 and ">옮기기<" not in board.content.decode()
    assert client.get(_move_url(meeting)).status_code == 403
    assert client.post(_move_url(meeting), {"target": f"{slots[2].pk}:{tables[2].pk}"}).status_code == 403
    assert client.post(mark, {"state": "done"}).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.state) == (slots[0], Meeting.State.SCHEDULED)

    client.force_login(staff_with_permissions("meetings", "view_meeting", "change_meeting"))
    assert client.get(_move_url(meeting)).status_code == 200
