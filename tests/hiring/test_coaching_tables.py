"""Coaching tables are set up by coach and topic (service and Camp admin), never by raw ids of a
grid table and a participant; seekers can book the new table at once."""

from __future__ import annotations

from datetime import datetime

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from hiring import scheduling, services
from hiring.models import CoachingTable
from meetings.models import Meeting, MeetingGrid, MeetingKind, Participant
from tests.factories import UserFactory

from .factories import camp_world, seeker

pytestmark = pytest.mark.django_db


def test_the_service_makes_table_coach_and_row_and_numbers_them():
    world = camp_world(companies=1)

    first = scheduling.coaching_table_add(
        camp=world.camp, coach_name=" 김코치 ", coach_email="coach@example.kr", topic="모의 면접", by=world.staff
    )
    second = scheduling.coaching_table_add(camp=world.camp, coach_name="이코치", by=world.staff)

    assert first.table.name == "코칭 테이블 1 · 모의 면접" and second.table.name == "코칭 테이블 2"
    assert first.table.grid_id == world.grid.pk and first.table.company_id is None
    assert second.table.order > first.table.order
    coach = first.coach
    assert (coach.display_name, coach.email, coach.role, coach.is_visible) == (
        "김코치",
        "coach@example.kr",
        Participant.Role.COACH,
        False,
    )
    assert coach.grid_id == world.grid.pk
    assert first.topic == "모의 면접" and first.created_by == world.staff
    assert list(world.camp.coaching_tables.order_by("pk")) == [first, second]


def test_seekers_can_book_the_new_table():
    world = camp_world(companies=1, slots=3)
    coaching = scheduling.coaching_table_add(camp=world.camp, coach_name="김코치", topic="자기소개서", by=world.staff)
    person = seeker(world.camp)

    free = scheduling.coaching_free(camp=world.camp, seeker=person)

    assert {f.coaching.pk for f in free} == {coaching.pk}
    assert len(free) == 3
    meeting = scheduling.coaching_book(
        seeker=person, table_id=coaching.table_id, slot_id=free[0].slot.pk, by=person.user
    )
    assert meeting.kind == MeetingKind.COACHING and meeting.table_id == coaching.table_id
    assert set(meeting.seats.values_list("participant_id", flat=True)) == {coaching.coach_id, person.participant_id}
    assert len(scheduling.coaching_free(camp=world.camp, seeker=person)) == 2  # the coach is busy there now


def test_the_service_refuses_without_permission_name_or_grid():
    world = camp_world(companies=1)
    with pytest.raises(services.HiringError) as forbidden:
        scheduling.coaching_table_add(camp=world.camp, coach_name="김코치", by=world.members[0])
    assert forbidden.value.code == "forbidden"
    with pytest.raises(services.HiringError) as nameless:
        scheduling.coaching_table_add(camp=world.camp, coach_name="  ", by=world.staff)
    assert nameless.value.code == "invalid_answer"
    with pytest.raises(services.HiringError):
        scheduling.coaching_table_add(camp=world.camp, coach_name="김코치", coach_email="not-an-address", by=None)
    MeetingGrid.objects.filter(pk=world.grid.pk).delete()
    with pytest.raises(services.HiringError) as no_grid:
        scheduling.coaching_table_add(camp=world.camp, coach_name="김코치", by=world.staff)
    assert no_grid.value.code == "no_free_slot"
    assert not CoachingTable.objects.exists()


def _change_form_data(response) -> dict:
    """The camp's change form as the browser would post it back unchanged."""
    data: dict = {}

    def put(form) -> None:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or field.disabled:
                continue
            key = form.add_prefix(name)
            if isinstance(field, forms.SplitDateTimeField) and isinstance(value, datetime):
                local = timezone.localtime(value)
                data[f"{key}_0"], data[f"{key}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
            else:
                data[key] = value.pk if hasattr(value, "pk") else value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{formset.prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for form in formset.forms:
            put(form)
    return data


def test_the_camp_admin_adds_a_coaching_table_by_name_email_and_topic(client):
    world = camp_world(companies=1, slots=2)
    scheduling.coaching_table_add(camp=world.camp, coach_name="기존 코치", topic="이력서", by=world.staff)
    client.force_login(world.staff)
    url = reverse("admin:hiring_camp_change", args=[world.camp.pk])
    page = client.get(url)
    inline_fields = page.context["inline_admin_formsets"][1].formset.empty_form.fields
    assert set(inline_fields) >= {"coach_name", "coach_email", "topic"}
    assert not {"table", "coach"} & set(inline_fields)  # no raw ids to fill in

    data = _change_form_data(page)
    index = data["coaching_tables-TOTAL_FORMS"]
    data["coaching_tables-TOTAL_FORMS"] = index + 1
    data.update(
        {
            f"coaching_tables-{index}-camp": world.camp.pk,
            f"coaching_tables-{index}-coach_name": "박코치",
            f"coaching_tables-{index}-coach_email": "park@example.kr",
            f"coaching_tables-{index}-topic": "모의 면접",
        }
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    added = CoachingTable.objects.select_related("table", "coach").get(coach__display_name="박코치")
    assert added.camp_id == world.camp.pk and added.table.name == "코칭 테이블 2 · 모의 면접"
    assert added.coach.email == "park@example.kr" and added.created_by == world.staff
    assert CoachingTable.objects.count() == 2  # the existing one untouched, not duplicated
    person = seeker(world.camp)
    assert added.pk in {f.coaching.pk for f in scheduling.coaching_free(camp=world.camp, seeker=person)}


def test_the_admin_refuses_a_coaching_table_on_a_camp_without_grid(client):
    world = camp_world(companies=1)
    Meeting.objects.all().delete()
    MeetingGrid.objects.filter(pk=world.grid.pk).delete()
    client.force_login(world.staff)
    url = reverse("admin:hiring_camp_change", args=[world.camp.pk])
    data = _change_form_data(client.get(url))
    data["coaching_tables-TOTAL_FORMS"] = 1
    data.update({"coaching_tables-0-camp": world.camp.pk, "coaching_tables-0-coach_name": "박코치"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "미팅 그리드가 없습니다" in response.content.decode()
    assert not CoachingTable.objects.exists()


def test_staff_without_camp_permission_cannot_add_through_the_admin(client):
    world = camp_world(companies=1)
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_camp", "view_coachingtable"]))
    client.force_login(viewer)
    url = reverse("admin:hiring_camp_change", args=[world.camp.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
