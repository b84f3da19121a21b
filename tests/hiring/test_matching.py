"""Pre-matching: apply within the limit, shortlist, confirm; each match gets an interview slot at
the company's table that overlaps nothing of the seeker or the table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiring import scheduling, selectors, services
from hiring.models import JobApplication
from meetings.models import Meeting, MeetingKind, MeetingSeat, Participant, Table
from meetings.services import meeting_place

from .factories import camp_world, matched, seeker

pytestmark = pytest.mark.django_db
Status = JobApplication.Status


def test_limit_per_camp_and_no_duplicates():
    world = camp_world(companies=3, applications_per_seeker=2)
    person = seeker(world.camp)
    services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    with pytest.raises(services.HiringError) as duplicate:
        services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    assert duplicate.value.code == "already_applied"
    services.application_apply(seeker=person, position=world.positions[1], by=person.user)
    with pytest.raises(services.HiringError) as limit:
        services.application_apply(seeker=person, position=world.positions[2], by=person.user)
    assert limit.value.code == "application_limit"
    assert "2" in limit.value.message


def test_only_the_company_shortlists_and_only_staff_confirm():
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    with pytest.raises(services.HiringError):
        services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[1])
    services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[0])
    with pytest.raises(services.HiringError):
        services.application_transition(application=application, to=Status.MATCHED, by=world.members[0])
    with pytest.raises(services.HiringError) as error:
        services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[0])
    assert error.value.code == "illegal_transition"


def test_confirmed_matches_get_slots_without_overlap():
    world = camp_world(companies=2, slots=4)
    people = [seeker(world.camp) for _ in range(3)]
    applications = []
    for person in people:
        for position in world.positions:
            applications.append(matched(world, person, position))
    meetings = [a.meeting for a in applications]
    assert all(m is not None and m.kind == MeetingKind.INTERVIEW for m in meetings)
    tables = {p.company_id: p.table_id for p in world.camp.companies.all()}
    for application in applications:
        assert application.meeting.table_id == tables[application.position.company_id]
    # No table holds two interviews in one slot, no seeker sits in two at once.
    assert len({(m.table_id, m.slot_id) for m in meetings}) == len(meetings)
    seats = MeetingSeat.objects.filter(is_live=True)
    assert seats.count() == 2 * len(meetings)
    assert len(set(seats.values_list("participant_id", "slot_id"))) == seats.count()
    for person in people:
        person.refresh_from_db()
        slots = [m.slot_id for m in meetings if m.seats.filter(participant=person.participant).exists()]
        assert len(slots) == len(set(slots)) == 2


def test_interview_avoids_the_seekers_other_meetings():
    """A slot where the seeker already has a coaching session is skipped for the interview."""
    world = camp_world(companies=1, slots=3)
    person = seeker(world.camp)
    participant = scheduling.seeker_participant(person)
    coach = Participant.objects.create(grid=world.grid, display_name="코치", role=Participant.Role.COACH)
    coaching_table = Table.objects.create(grid=world.grid, name="코칭 1", order=9)
    first = world.grid.slots.order_by("starts_at").first()
    meeting_place(
        grid=world.grid, slot=first, table=coaching_table, participants=[participant, coach], kind="coaching", by=None
    )
    application = matched(world, person, world.positions[0])
    assert application.meeting.slot_id != first.pk


def test_no_free_slot_is_said_and_nothing_changes():
    world = camp_world(companies=1, slots=1)
    matched(world, seeker(world.camp), world.positions[0])
    other = seeker(world.camp)
    application = services.application_apply(seeker=other, position=world.positions[0], by=other.user)
    services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[0])
    with pytest.raises(services.HiringError) as error:
        services.application_transition(application=application, to=Status.MATCHED, by=world.staff)
    assert error.value.code == "no_free_slot"
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED and application.meeting is None


def test_withdrawing_a_match_frees_its_slot():
    world = camp_world(companies=1, slots=1)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    services.application_transition(application=application, to=Status.WITHDRAWN, by=person.user)
    assert not Meeting.objects.exclude(state=Meeting.State.CANCELLED).exists()
    other = seeker(world.camp)
    assert matched(world, other, world.positions[0]).meeting is not None


def test_walk_in_takes_a_free_slot_at_the_table(client):
    world = camp_world(companies=1, slots=3)
    matched(world, seeker(world.camp), world.positions[0])
    walk_in = seeker(world.camp)
    client.force_login(world.staff)
    participation = world.camp.companies.get()
    response = client.post(
        reverse("hiring:walk_in", kwargs={"pk": participation.pk}),
        {"email": walk_in.user.email, "position": world.positions[0].pk},
    )
    assert response.status_code == 302
    application = JobApplication.objects.get(seeker=walk_in)
    assert application.is_walk_in and application.status == Status.MATCHED
    assert application.meeting.table_id == participation.table_id
    # A company member may not add walk-ins.
    client.force_login(world.members[0])
    assert client.post(reverse("hiring:walk_in", kwargs={"pk": participation.pk}), {}).status_code == 404


def test_coaching_is_booked_once_on_the_same_grid(client):
    from hiring.models import CoachingTable

    world = camp_world(companies=1, slots=3)
    coach = Participant.objects.create(grid=world.grid, display_name="취업 코치", role=Participant.Role.COACH)
    table = Table.objects.create(grid=world.grid, name="취업 코칭 1", order=20)
    CoachingTable.objects.create(camp=world.camp, table=table, coach=coach)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    free = scheduling.coaching_free(camp=world.camp, seeker=person)
    assert application.meeting.slot_id not in {f.slot.pk for f in free}
    client.force_login(person.user)
    url = reverse("hiring:coaching", kwargs={"pk": world.camp.pk})
    client.post(url, {"slot": free[0].slot.pk, "table": table.pk})
    assert Meeting.objects.filter(kind=MeetingKind.COACHING).exclude(state="cancelled").count() == 1
    response = client.post(url, {"slot": free[1].slot.pk, "table": table.pk}, follow=True)
    assert Meeting.objects.filter(kind=MeetingKind.COACHING).exclude(state="cancelled").count() == 1
    assert "이미" in response.content.decode()
    schedule = client.get(reverse("hiring:seeker_schedule", kwargs={"pk": world.camp.pk})).content.decode()
    assert "취업 코칭 1" in schedule and world.positions[0].title in schedule


def test_results_and_yearly_hires_count_each_seeker_once():
    from programs.models import Outcome
    from tests.programs.factories import CallFactory

    world = camp_world(companies=2, slots=4)
    company = world.companies[0]
    services.position_decide(
        position=services.position_save(
            camp=world.camp,
            company_id=company.pk,
            values={"title": "품질관리", "field": "바이오", "hires_planned": 1, "place_of_work": "마곡"},
            by=world.members[0],
        ),
        approve=True,
        by=world.staff,
    )
    second_position = world.camp.positions.get(title="품질관리")
    world.positions.append(second_position)
    world.members.append(world.members[0])
    person = seeker(world.camp)
    for position in (world.positions[0], second_position):
        application = matched(world, person, position)
        services.application_result_record(application=application, result="hired", by=world.members[0])
    other = seeker(world.camp)
    application = matched(world, other, world.positions[1])
    services.application_result_record(application=application, result="not_selected", by=world.members[1])
    year = world.camp.event.starts_at.year
    Outcome.objects.create(company=company, program=CallFactory().program, year=year, hires=2)

    rows = selectors.company_yearly_hires(company_id=company.pk)
    assert rows == [
        {
            "company_id": company.pk,
            "company": company.name_ko,
            "year": year,
            "camp_hires": 1,
            "program_hires": 2,
            "total": 3,
        }
    ]
    assert selectors.company_yearly_hires(company_id=world.companies[1].pk) == []
    per_camp = list(selectors.camp_hires())
    assert [(r["position__company_id"], r["hires"]) for r in per_camp] == [(company.pk, 1)]


def test_result_needs_a_match_and_the_company():
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    with pytest.raises(services.HiringError) as error:
        services.application_result_record(application=application, result="hired", by=world.members[0])
    assert error.value.code == "not_interviewed"
    services.application_transition(application=application, to=Status.SHORTLISTED, by=world.members[0])
    application = services.application_transition(application=application, to=Status.MATCHED, by=world.staff)
    with pytest.raises(services.HiringError):
        services.application_result_record(application=application, result="hired", by=world.members[1])


def test_an_application_with_a_result_cannot_be_withdrawn():
    world = camp_world()
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    services.application_result_record(application=application, result="hired", by=world.members[0])
    with pytest.raises(services.HiringError) as error:
        services.application_transition(application=application, to=Status.WITHDRAWN, by=person.user)
    assert error.value.code == "illegal_transition"
    application.refresh_from_db()
    assert application.status == Status.MATCHED and application.meeting.is_live
