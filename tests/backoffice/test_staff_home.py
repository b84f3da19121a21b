"""The staff home (the admin index): what needs doing, with counts and one click to each list,
and this week's events with their counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from backoffice.todos import stuck_before, todos_for_user
from companies.models import ProfileChangeRequest
from events.models import Event, Registration
from notifications.models import OutboundEmail
from programs.models import Application
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
)
from tests.programs.factories import ApplicationFactory, CallFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def _todos(user):
    return {todo.key: todo for todo in todos_for_user(user)}


def test_join_requests_and_profile_changes_awaiting_approval_are_counted():
    staff = StaffFactory()
    MembershipFactory.create_batch(2, status=Membership.Status.PENDING)
    MembershipFactory(status=Membership.Status.APPROVED)
    company = CompanyFactory()
    ProfileChangeRequest.objects.create(company=company, data={"keywords": "로봇"})
    ProfileChangeRequest.objects.create(company=CompanyFactory(), data={}, status=ProfileChangeRequest.Status.APPROVED)

    todos = _todos(staff)

    assert todos["join_requests"].count == 2
    assert todos["join_requests"].url == reverse("admin:accounts_membership_changelist") + "?status__exact=pending"
    assert todos["profile_changes"].count == 1


def test_applications_to_review_and_my_reviews_come_first():
    staff = StaffFactory()
    ApplicationFactory(status=Application.Status.SUBMITTED)
    ApplicationFactory(status=Application.Status.RESUBMITTED)
    ApplicationFactory(status=Application.Status.DRAFT)
    ApplicationFactory(status=Application.Status.SELECTED)
    ReviewFactory(reviewer=staff)
    ReviewFactory(reviewer=staff, submitted_at=timezone.now())
    ReviewFactory()  # someone else's

    items = todos_for_user(staff)

    assert items[0].key == "my_reviews" and items[0].mine and items[0].count == 1
    assert {t.key: t for t in items}["applications_to_review"].count == 2


def test_failed_and_stuck_emails_are_counted():
    staff = StaffFactory()
    now = timezone.now()
    OutboundEmail.objects.create(to="a@example.kr", subject="s", body_text="b", status=OutboundEmail.Status.FAILED)
    stuck = OutboundEmail.objects.create(to="b@example.kr", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=stuck.pk).update(created_at=stuck_before(now) - timedelta(seconds=1))
    OutboundEmail.objects.create(to="c@example.kr", subject="s", body_text="b")  # just queued: not stuck
    OutboundEmail.objects.create(to="d@example.kr", subject="s", body_text="b", status=OutboundEmail.Status.SENT)

    todos = _todos(staff)

    assert todos["emails_failed"].count == 1 and todos["emails_failed"].alert
    assert todos["emails_stuck"].count == 1


def test_calls_closing_within_seven_days_are_counted():
    staff = StaffFactory()
    now = timezone.now()
    CallFactory(closes_at=now + timedelta(days=2))
    CallFactory(closes_at=now + timedelta(days=6, hours=23))
    CallFactory(closes_at=now + timedelta(days=8))
    CallFactory(closes_at=now - timedelta(hours=1))

    assert _todos(staff)["calls_closing"].count == 2


def test_each_todo_link_opens_its_filtered_list(client):
    staff = StaffFactory()
    client.force_login(staff)
    for todo in todos_for_user(staff):
        response = client.get(todo.url)
        assert response.status_code == 200, todo.key
        # A lookup the admin refuses redirects with ?e=1 instead of filtering.
        assert "e=1" not in response.get("Location", ""), todo.key


def test_staff_see_only_the_todos_they_may_act_on():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_membership"))

    assert set(_todos(user)) == {"join_requests"}


def test_events_today_and_this_week_with_their_counts(client):
    staff = StaffFactory()
    now = timezone.localtime()
    today = EventFactory(starts_at=now.replace(hour=23, minute=0), capacity=3)
    RegistrationFactory.create_batch(2, event=today, checked_in_at=now)
    RegistrationFactory(event=today)
    RegistrationFactory(event=today, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=today, status=Registration.Status.CANCELLED)
    later = EventFactory(starts_at=now + timedelta(days=5))
    EventFactory(starts_at=now + timedelta(days=8))  # next week
    EventFactory(starts_at=now + timedelta(days=1), status=Event.Status.DRAFT)
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    events = response.context["events_week"]
    assert [e.pk for e in events] == [today.pk, later.pk]
    first = events[0]
    assert (first.registered_count, first.confirmed_count, first.waitlisted_count, first.checked_in_count) == (
        4,
        3,
        1,
        2,
    )
    assert first.is_today and not events[1].is_today
    assert reverse("events:check_in", args=[today.pk]) in response.content.decode()


def test_staff_home_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    staff = StaffFactory()
    client.force_login(staff)
    for _ in range(5):
        event = EventFactory(starts_at=timezone.now() + timedelta(days=1))
        RegistrationFactory.create_batch(3, event=event)
        MembershipFactory(status=Membership.Status.PENDING)
        ApplicationFactory(status=Application.Status.SUBMITTED)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200


def test_hiring_positions_and_matches_awaiting_staff_are_counted(client):
    from hiring import services as hiring
    from hiring.models import JobApplication
    from tests.hiring.factories import camp_world, seeker

    world = camp_world(companies=2)  # both positions approved
    pending = hiring.position_save(
        camp=world.camp,
        company_id=world.companies[0].pk,
        values={"title": "품질 관리", "field": "바이오", "hires_planned": 1, "place_of_work": "마곡"},
        by=world.members[0],
    )
    seekers = [seeker(world.camp) for _ in range(2)]
    shortlisted, applied = (
        hiring.application_apply(seeker=row, position=world.positions[0], by=row.user) for row in seekers
    )
    hiring.application_transition(application=shortlisted, to=JobApplication.Status.SHORTLISTED, by=world.members[0])

    todos = _todos(world.staff)

    assert todos["hiring_positions"].count == 1
    assert todos["hiring_matches"].count == 1
    client.force_login(world.staff)
    positions = client.get(todos["hiring_positions"].url)
    assert [row.pk for row in positions.context["cl"].result_list] == [pending.pk]
    matches = client.get(todos["hiring_matches"].url)  # the camp's match confirmation board
    assert [row.pk for row in matches.context["applications"]] == [shortlisted.pk]
    assert applied.status == JobApplication.Status.APPLIED
    # Without the hiring permissions, neither shows.
    assert not {"hiring_positions", "hiring_matches"} & set(_todos(UserFactory(is_staff=True)))


def test_accepted_consultations_awaiting_the_batch_plan_are_counted(client):
    from meetings.models import MeetingRequest
    from meetings.services import meeting_place
    from tests.meetings.factories import ParticipantFactory, make_grid

    grid, slots, tables = make_grid(event=EventFactory(starts_at=timezone.now() + timedelta(days=3)))
    a, b, c, d = (ParticipantFactory(grid=grid) for _ in range(4))
    waiting = MeetingRequest.objects.create(grid=grid, sender=a, recipient=b, state=MeetingRequest.State.ACCEPTED)
    placed = MeetingRequest.objects.create(grid=grid, sender=c, recipient=d, state=MeetingRequest.State.ACCEPTED)
    meeting_place(grid=grid, slot=slots[0], table=tables[0], participants=[c, d], by=None, demand_key=placed.demand_key)
    MeetingRequest.objects.create(grid=grid, sender=a, recipient=c)  # pending: the recipient's turn
    past, _slots, _tables = make_grid(event=EventFactory(starts_at=timezone.now() - timedelta(days=3)))
    e, f = (ParticipantFactory(grid=past) for _ in range(2))
    MeetingRequest.objects.create(grid=past, sender=e, recipient=f, state=MeetingRequest.State.ACCEPTED)  # over
    staff = StaffFactory()

    todo = _todos(staff)["meeting_requests_to_place"]

    assert todo.count == 1
    client.force_login(staff)
    response = client.get(todo.url)
    assert [row.pk for row in response.context["cl"].result_list] == [waiting.pk]
    # Once its meeting is placed (the batch plan), it no longer waits.
    meeting_place(
        grid=grid, slot=slots[1], table=tables[0], participants=[a, b], by=None, demand_key=waiting.demand_key
    )
    assert _todos(staff)["meeting_requests_to_place"].count == 0
