"""The staff's match confirmation board per camp: shortlisted applications by company and
position with consent and interviews so far; confirming places each one or says why not,
without losing the others."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.todos import todos_for_user
from hiring import services
from hiring.models import JobApplication
from tests.factories import UserFactory

from .factories import camp_world, matched, seeker

pytestmark = pytest.mark.django_db
Status = JobApplication.Status


def _shortlisted(world, position, n: int = 1) -> list[JobApplication]:
    member = world.members[world.positions.index(position)]
    applications = []
    for _ in range(n):
        person = seeker(world.camp)
        application = services.application_apply(seeker=person, position=position, by=person.user)
        applications.append(services.application_transition(application=application, to=Status.SHORTLISTED, by=member))
    return applications


def _board(world) -> str:
    return reverse("admin:hiring_camp_matches", args=[world.camp.pk])


def test_board_groups_by_position_with_consent_and_interviews(client):
    world = camp_world(companies=2, slots=4)
    first = _shortlisted(world, world.positions[0])[0]
    # The seeker of ``first`` already has an interview with the other company.
    matched(world, first.seeker, world.positions[1])
    _shortlisted(world, world.positions[1], 2)
    client.force_login(world.staff)

    response = client.get(_board(world))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(world.positions[0].title) < page.index(world.positions[1].title)
    row = page.split(f'id="application-{first.pk}"')[1].split("</tr>")[0]
    assert first.seeker.display_name in row and "동의" in row
    assert '<td class="interviews">1</td>' in row
    assert [a.pk for a in response.context["applications"]][0] == first.pk
    assert len(response.context["applications"]) == 3


def test_board_queries_do_not_grow_with_applications(client, django_assert_num_queries):
    world = camp_world(companies=2, slots=8)
    _shortlisted(world, world.positions[0])
    client.force_login(world.staff)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_board(world)).status_code == 200
    _shortlisted(world, world.positions[0], 3)
    _shortlisted(world, world.positions[1], 3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(_board(world))
    assert len(response.context["applications"]) == 7


def test_confirm_two_one_placed_one_refused_with_its_reason(client):
    world = camp_world(companies=1, slots=1)  # one interview slot at the company's table
    placed, refused = _shortlisted(world, world.positions[0], 2)
    client.force_login(world.staff)

    response = client.post(_board(world), {"application": [placed.pk, refused.pk]})

    assert response.status_code == 302 and response.url == _board(world)
    placed.refresh_from_db()
    refused.refresh_from_db()
    assert placed.status == Status.MATCHED and placed.meeting is not None
    assert refused.status == Status.SHORTLISTED and refused.meeting is None
    notes = [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]
    assert len(notes) == 2
    success, error = notes
    assert success[0] == "success" and placed.seeker.display_name in success[1]
    assert placed.meeting.table.name in success[1]
    assert error[0] == "error" and refused.seeker.display_name in error[1]
    assert "비어 있는 시간대가 남아 있지 않습니다" in error[1]
    # What was placed stays placed; the board now lists only the refused one.
    assert [a.pk for a in client.get(_board(world)).context["applications"]] == [refused.pk]


def test_a_seeker_who_withdrew_meanwhile_is_reported_and_the_other_placed(client):
    world = camp_world(companies=1, slots=3)
    kept, gone = _shortlisted(world, world.positions[0], 2)
    client.force_login(world.staff)
    client.get(_board(world))
    services.seeker_consent_withdraw(seeker=gone.seeker, by=gone.seeker.user)  # while the board is open

    response = client.post(_board(world), {"application": [kept.pk, gone.pk]})

    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.status == Status.MATCHED and kept.meeting is not None
    assert gone.status == Status.WITHDRAWN and gone.meeting is None
    errors = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1 and "지원 취소함" in errors[0]
    assert gone.seeker.display_name not in errors[0]  # no longer visible to anyone but the seeker


def test_without_the_hiring_permission_staff_get_403(client):
    world = camp_world(companies=1)
    application = _shortlisted(world, world.positions[0])[0]
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_camp"))
    client.force_login(viewer)
    assert client.get(_board(world)).status_code == 403
    assert client.post(_board(world), {"application": [application.pk]}).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    client.force_login(world.members[0])  # not staff: the admin's login page
    assert client.get(_board(world)).status_code == 302


def test_linked_from_the_camp_admin_and_the_staff_todo(client):
    world = camp_world(companies=1)
    _shortlisted(world, world.positions[0])
    client.force_login(world.staff)
    change = client.get(reverse("admin:hiring_camp_change", args=[world.camp.pk])).content.decode()
    assert _board(world) in change
    listing = client.get(reverse("admin:hiring_camp_changelist")).content.decode()
    assert _board(world) in listing
    todo = {item.key: item for item in todos_for_user(world.staff)}["hiring_matches"]
    assert todo.count == 1 and todo.url == _board(world)
