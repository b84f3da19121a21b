"""Business consultations: who takes part, profiles, requests, suggestions, outcomes, MOU counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from meetings import selectors
from meetings.consultations import (
    ProfileData,
    consultation_outcome_record,
    consultation_schedule_plan,
    meeting_request_create,
    meeting_request_decide,
    participant_profile_save,
    profile_initial,
)
from meetings.models import ConsultationOutcome, Meeting, MeetingRequest
from meetings.services import MeetingError
from programs.models import Outcome
from tests.factories import CompanyFactory, MembershipFactory, RegistrationFactory, SectorFactory, UserFactory
from tests.programs.factories import ProgramFactory

from .factories import ParticipantFactory, make_grid

pytestmark = pytest.mark.django_db


def _profile(**fields) -> ProfileData:
    base = {
        "display_name": "홍길동",
        "organization": "",
        "role": "company",
        "is_visible": True,
        "offers_keywords": "",
        "seeks_keywords": "",
    }
    return ProfileData(**{**base, **fields})


def _registrant(grid, *, company=None, **user_fields):
    user = UserFactory(**user_fields)
    if company is not None:
        MembershipFactory(user=user, company=company)
    RegistrationFactory(event=grid.event, user=user, email=user.email, company=company)
    return user


def test_only_confirmed_registrants_make_a_profile_prefilled_from_their_company():
    grid, _slots, _tables = make_grid()
    robots = SectorFactory(slug="robotics", name_ko="로봇")
    company = CompanyFactory(name_ko="로보티즈", keywords="로봇 액추에이터, 다이나믹셀")
    company.sectors.add(robots)
    member = _registrant(grid, company=company)
    initial = profile_initial(grid=grid, user=member)
    assert initial.offers_keywords == "로봇 액추에이터, 다이나믹셀" and list(initial.offers_sectors) == [robots]
    assert initial.organization == "로보티즈"

    participant = participant_profile_save(grid=grid, user=member, data=initial)
    assert participant.company == company and participant.registration.event == grid.event

    outsider = UserFactory()
    with pytest.raises(MeetingError) as error:
        participant_profile_save(grid=grid, user=outsider, data=_profile())
    assert error.value.code == "not_participant"

    waitlisted = UserFactory()
    RegistrationFactory(
        event=grid.event, user=waitlisted, email=waitlisted.email, status=Registration.Status.WAITLISTED
    )
    with pytest.raises(MeetingError):
        participant_profile_save(grid=grid, user=waitlisted, data=_profile())


def test_a_public_path_registrant_takes_part_by_their_address():
    grid, _slots, _tables = make_grid()
    researcher = UserFactory(email="kim@ewha.example.kr")
    RegistrationFactory(event=grid.event, user=None, email="kim@ewha.example.kr")
    participant = participant_profile_save(
        grid=grid,
        user=researcher,
        data=_profile(role="hospital", organization="이화의료원", offers_keywords="임상시험"),
    )
    assert participant.company is None and participant.organization == "이화의료원"


def test_requests_refuse_self_duplicates_either_way_and_hidden_participants():
    grid, _slots, _tables = make_grid()
    a_user, b_user = UserFactory(), UserFactory()
    a = ParticipantFactory(grid=grid, user=a_user)
    b = ParticipantFactory(grid=grid, user=b_user)
    hidden = ParticipantFactory(grid=grid, is_visible=False)

    with pytest.raises(MeetingError) as error:
        meeting_request_create(sender=a, recipient=a, message="", by=a_user)
    assert error.value.code == "self_request"
    meeting_request_create(sender=a, recipient=b, message="공동연구를 논의하고 싶습니다.", by=a_user)
    with pytest.raises(MeetingError) as error:
        meeting_request_create(sender=a, recipient=b, message="", by=a_user)
    assert error.value.code == "request_duplicate" and "이미 미팅을 신청했습니다" in error.value.message
    with pytest.raises(MeetingError) as error:
        meeting_request_create(sender=b, recipient=a, message="", by=b_user)
    assert error.value.code == "request_duplicate" and "수락해 주세요" in error.value.message
    with pytest.raises(MeetingError) as error:
        meeting_request_create(sender=a, recipient=hidden, message="", by=a_user)
    assert error.value.code == "not_visible"
    with pytest.raises(MeetingError) as error:
        meeting_request_create(sender=a, recipient=b, message="", by=b_user)
    assert error.value.code == "forbidden"
    assert MeetingRequest.objects.count() == 1


def test_requests_close_at_the_deadline():
    grid, _slots, _tables = make_grid(request_deadline=timezone.now() - timedelta(minutes=1))
    a_user = UserFactory()
    a, b = ParticipantFactory(grid=grid, user=a_user), ParticipantFactory(grid=grid)
    with pytest.raises(MeetingError) as error:
        meeting_request_create(sender=a, recipient=b, message="", by=a_user)
    assert error.value.code == "requests_closed"


def test_accepting_places_the_meeting_at_once_and_the_plan_keeps_it():
    grid, slots, tables = make_grid(slots=1, tables=1)
    users = [UserFactory() for _ in range(4)]
    a, b, c, d = (ParticipantFactory(grid=grid, user=u) for u in users)
    first = meeting_request_create(sender=a, recipient=b, message="", by=users[0])
    second = meeting_request_create(sender=c, recipient=d, message="", by=users[2])
    with pytest.raises(MeetingError) as error:
        meeting_request_decide(request=first, accept=True, by=users[0])  # only the recipient answers
    assert error.value.code == "forbidden"
    _request, meeting = meeting_request_decide(request=first, accept=True, by=users[1])
    assert meeting is not None and meeting.demand_key == f"request:{first.pk}"
    assert (meeting.slot, meeting.table) == (slots[0], tables[0])
    # The only table is taken: accepted, but waiting for the batch plan.
    _request, none = meeting_request_decide(request=second, accept=True, by=users[3])
    assert none is None
    report = consultation_schedule_plan(grid=grid, by=None)
    assert report.kept == [f"request:{first.pk}"] and report.unplaced[0][1] == "no_table"
    with pytest.raises(MeetingError) as error:
        meeting_request_decide(request=first, accept=False, by=users[1])
    assert error.value.code == "already_decided"


def test_suggestions_say_why():
    grid, _slots, _tables = make_grid()
    bio = SectorFactory(slug="bio", name_ko="바이오")
    me = ParticipantFactory(grid=grid, seeks_keywords="로봇 액추에이터, 임상시험", offers_keywords="재활 로봇")
    robot_maker = ParticipantFactory(grid=grid, display_name="로보티즈", offers_keywords="로봇, 다이나믹셀")
    hospital = ParticipantFactory(grid=grid, display_name="이화의료원", seeks_keywords="재활 로봇")
    hospital.offers_sectors.add(bio)
    me.seeks_sectors.add(bio)
    ParticipantFactory(grid=grid, display_name="무관", offers_keywords="회계")
    ParticipantFactory(grid=grid, display_name="숨김", offers_keywords="로봇", is_visible=False)
    suggestions = {s.participant.display_name: s.reasons for s in selectors.consultation_suggestions(viewer=me)}
    assert suggestions == {
        "로보티즈": ("로봇 액추에이터 ↔ 로봇",),
        "이화의료원": ("재활 로봇 ↔ 재활 로봇", "바이오 ↔ 바이오"),
    }
    # Asked once: no longer suggested.
    MeetingRequest.objects.create(grid=grid, sender=me, recipient=robot_maker)
    assert [s.participant for s in selectors.consultation_suggestions(viewer=me)] == [hospital]


def test_browse_uses_the_directory_search_for_companies():
    grid, _slots, _tables = make_grid()
    company = CompanyFactory(name_ko="웰스바이오", name_en="Wells Bio", keywords="체외진단")
    viewer = ParticipantFactory(grid=grid)
    wells = ParticipantFactory(grid=grid, company=company, display_name="김대표")
    ewha = ParticipantFactory(grid=grid, display_name="박교수", organization="이화의료원")
    assert selectors.participants_browse(grid=grid, viewer=viewer, query="wells") == [wells]
    assert selectors.participants_browse(grid=grid, viewer=viewer, query="체외진단") == [wells]
    assert selectors.participants_browse(grid=grid, viewer=viewer, query="이화") == [ewha]
    assert set(selectors.participants_browse(grid=grid, viewer=viewer)) == {wells, ewha}


def _accepted(grid, a, b):
    return MeetingRequest.objects.create(grid=grid, sender=a, recipient=b, state=MeetingRequest.State.ACCEPTED)


def test_outcomes_after_the_event_and_mous_counted_once_next_to_programme_outcomes():
    start = timezone.now() - timedelta(days=2)
    grid, _slots, _tables = make_grid(event__starts_at=start, event__ends_at=start + timedelta(hours=3))
    pharmsville = CompanyFactory(name_ko="팜스빌")
    a_user, b_user = UserFactory(), UserFactory()
    a = ParticipantFactory(grid=grid, user=a_user, company=pharmsville)
    b = ParticipantFactory(grid=grid, user=b_user, organization="이화의료원")
    request = _accepted(grid, a, b)
    with pytest.raises(MeetingError) as error:
        consultation_outcome_record(
            request=request, participant=a, result="mou_signed", occurred_on=None, note="", by=a_user
        )
    assert error.value.code == "mou_date_required"
    signed = date(2019, 9, 2)
    consultation_outcome_record(
        request=request, participant=a, result="mou_signed", occurred_on=signed, note="", by=a_user
    )
    consultation_outcome_record(
        request=request, participant=b, result="mou_signed", occurred_on=signed, note="", by=b_user
    )
    # Both sides recorded it: one MOU for the one company among them.
    assert selectors.consultation_mou_counts() == {(pharmsville.pk, 2019): 1}
    Outcome.objects.create(company=pharmsville, program=ProgramFactory(), year=2019, mous_signed=2, hires=3)
    [row] = selectors.company_outcomes_by_year(year=2019)
    assert (row["programmes"]["mous_signed"], row["consultation_mous"], row["mous_total"]) == (2, 1, 3)
    assert row["programmes"]["hires"] == 3
    conversion = selectors.consultation_conversion(grid=grid)
    assert conversion["mous_signed"] == 1 and conversion["accepted"] == 1 and conversion["mou_rate"] == 100


def test_outcomes_wait_for_the_event():
    grid, _slots, _tables = make_grid()  # the event is two weeks ahead
    user = UserFactory()
    a = ParticipantFactory(grid=grid, user=user)
    request = _accepted(grid, a, ParticipantFactory(grid=grid))
    with pytest.raises(MeetingError) as error:
        consultation_outcome_record(
            request=request, participant=a, result="follow_up", occurred_on=None, note="", by=user
        )
    assert error.value.code == "outcome_too_early"
    assert not ConsultationOutcome.objects.exists()


def test_others_requests_and_schedules_answer_404(client):
    grid, _slots, _tables = make_grid()
    owner, stranger = UserFactory(), UserFactory()
    a = ParticipantFactory(grid=grid, user=owner)
    request = MeetingRequest.objects.create(grid=grid, sender=a, recipient=ParticipantFactory(grid=grid))
    client.force_login(stranger)
    for url in (
        reverse("meetings:schedule", kwargs={"grid_id": grid.pk}),
        reverse("meetings:schedule_ics", kwargs={"grid_id": grid.pk}),
        reverse("meetings:requests", kwargs={"grid_id": grid.pk}),
        f"/api/v1/meetings/requests/{request.pk}/",
        f"/api/v1/meetings/grids/{grid.pk}/schedule/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("meetings:request_accept", kwargs={"pk": request.pk})).status_code == 404
    listed = client.get("/api/v1/meetings/requests/").json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []
    assert MeetingRequest.objects.get(pk=request.pk).state == MeetingRequest.State.PENDING
    client.force_login(owner)
    assert client.get(f"/api/v1/meetings/requests/{request.pk}/").status_code == 200


def test_the_schedule_page_and_ics_show_the_meetings(client, django_assert_max_num_queries):
    grid, slots, tables = make_grid(slots=2, tables=1)
    owner = UserFactory()
    a = ParticipantFactory(grid=grid, user=owner)
    b = ParticipantFactory(grid=grid, display_name="박교수", organization="이화의료원")
    Meeting.objects.all().delete()
    from meetings.services import meeting_place

    meeting_place(grid=grid, slot=slots[1], table=tables[0], participants=[a, b], by=None)
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:schedule", kwargs={"grid_id": grid.pk}))
    assert "박교수 (이화의료원)" in page.content.decode() and tables[0].name in page.content.decode()
    ics = client.get(reverse("meetings:schedule_ics", kwargs={"grid_id": grid.pk})).content.decode()
    assert "BEGIN:VEVENT" in ics and "박교수" in ics and "TZID=Asia/Seoul" in ics
