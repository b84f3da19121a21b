"""The seeker's e-mails of the hiring camp, read from the outbox: one per decision, in the
seeker's language, nothing twice, one e-mail per interview change (the engine's own notice is
not sent as well), and nothing the seeker may not see."""

from __future__ import annotations

import base64

import pytest
from django.utils import timezone

from hiring import services
from hiring.models import JobApplication
from meetings.models import Meeting
from meetings.services import meeting_cancel, meeting_move
from notifications.models import OutboundEmail
from tests.outbox import rendered_emails
from tests.programs.factories import PDF_BYTES

from .factories import camp_world, matched, seeker

pytestmark = pytest.mark.django_db
Status = JobApplication.Status


def _to(person) -> list[OutboundEmail]:
    return list(rendered_emails().filter(to=person.user.email).order_by("created_at", "pk"))


def _kinds(person) -> list[str]:
    return [email.kind for email in _to(person)]


def _publish(world) -> None:
    world.grid.published_at = timezone.now()
    world.grid.save(update_fields=["published_at"])


def test_shortlist_and_decline_are_told_once_each():
    world = camp_world()
    person = seeker(world.camp)
    company = world.members[0]
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    assert _kinds(person) == []  # applying is the seeker's own act

    services.application_transition(application=application, to=Status.SHORTLISTED, by=company)
    services.application_transition(application=application, to=Status.APPLIED, by=company)
    services.application_transition(application=application, to=Status.SHORTLISTED, by=company)
    assert _kinds(person) == ["hiring.application_shortlisted"]  # shortlisted again: nothing new
    services.application_transition(application=application, to=Status.DECLINED, by=company)

    shortlisted, declined = _to(person)
    assert world.positions[0].title in shortlisted.subject and "면접 후보" in shortlisted.subject
    assert shortlisted.dedupe_key == f"hiring:application:{application.pk}:shortlisted"
    assert "서류 전형에서 함께하지 못하게" in declined.body_text
    assert "지원해 주셔서 감사합니다" in declined.body_text  # the polite wording
    assert declined.body_html and "SBA" in declined.body_html  # the portal's e-mail layout


def test_match_confirmation_gives_time_place_company_link_and_calendar():
    world = camp_world(companies=1)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    meeting = application.meeting

    assert _kinds(person) == ["hiring.application_shortlisted", "hiring.match_confirmed"]
    email = _to(person)[-1]
    assert email.language == "ko"
    text = email.body_text
    assert meeting.table.name in text and world.camp.event.venue in text
    assert world.companies[0].name_ko in text and world.positions[0].title in text
    assert f"/hiring/camps/{world.camp.pk}/me/schedule/" in text
    assert f"/hiring/camps/{world.camp.pk}/me/schedule/" in email.body_html
    [attachment] = email.attachments
    assert attachment["filename"].endswith(".ics") and attachment["content_type"] == "text/calendar"
    ics = base64.b64decode(attachment["content_b64"]).decode()
    assert f"UID:meeting-{meeting.pk}@" in ics
    # The CV is the company's to see, never mailed: not attached, not named.
    assert PDF_BYTES not in base64.b64decode(attachment["content_b64"])
    assert person.cv_original_name not in text


def test_the_seekers_language_is_used():
    world = camp_world(companies=1)
    person = seeker(world.camp)
    person.user.language = "en"
    person.user.save(update_fields=["language"])
    matched(world, person, world.positions[0])

    email = _to(person)[-1]
    assert email.language == "en"
    assert "Interview confirmed" in email.subject, email.subject
    assert "안녕하세요" not in email.body_text


def test_on_a_published_grid_a_match_is_one_email_not_two():
    world = camp_world(companies=1)
    _publish(world)
    person = seeker(world.camp)
    matched(world, person, world.positions[0])
    # The engine would have sent "meeting_placed" too: the hiring camp tells the seeker itself.
    assert _kinds(person) == ["hiring.application_shortlisted", "hiring.match_confirmed"]


@pytest.mark.parametrize("published", [False, True])
def test_company_calling_the_interview_off_is_one_email(published):
    world = camp_world(companies=1)
    if published:
        _publish(world)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    when = application.meeting.slot.starts_at
    before = OutboundEmail.objects.count()

    services.application_transition(application=application, to=Status.DECLINED, by=world.members[0])

    assert OutboundEmail.objects.count() == before + 1
    email = _to(person)[-1]
    assert email.kind == "hiring.application_declined"
    assert "면접이 취소되었습니다" in email.body_text
    assert timezone.localtime(when).strftime("%H:%M") in email.body_text
    assert not Meeting.objects.exclude(state=Meeting.State.CANCELLED).exists()  # the slot is free


@pytest.mark.parametrize("published", [False, True])
def test_staff_cancelling_the_interview_in_the_meetings_admin_tells_the_seeker_once(published):
    world = camp_world(companies=1)
    if published:
        _publish(world)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    before = OutboundEmail.objects.count()

    meeting_cancel(meeting=application.meeting, by=world.staff)  # what the meetings admin action does

    assert OutboundEmail.objects.count() == before + 1
    email = _to(person)[-1]
    assert email.kind == "hiring.interview_cancelled"
    assert world.companies[0].name_ko in email.subject
    assert application.meeting.table.name in email.body_text
    assert email.dedupe_key == f"hiring:application:{application.pk}:cancelled:{application.meeting.pk}"


@pytest.mark.parametrize("published", [False, True])
def test_a_moved_interview_is_one_email_with_before_and_after(published):
    world = camp_world(companies=1, slots=4)
    if published:
        _publish(world)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    meeting = application.meeting
    old_start = meeting.slot.starts_at
    new_slot = world.grid.slots.order_by("-starts_at").first()
    before = OutboundEmail.objects.count()

    meeting_move(meeting=meeting, slot=new_slot, by=world.staff)

    assert OutboundEmail.objects.count() == before + 1
    email = _to(person)[-1]
    assert email.kind == "hiring.interview_moved"
    text = email.body_text
    assert timezone.localtime(old_start).strftime("%H:%M") in text
    assert timezone.localtime(new_slot.starts_at).strftime("%H:%M") in text
    assert email.attachments and email.attachments[0]["filename"].endswith(".ics")
    # Moving it back is news again.
    meeting_move(meeting=meeting, slot=world.grid.slots.get(starts_at=old_start), by=world.staff)
    assert _kinds(person).count("hiring.interview_moved") == 2


def test_the_seekers_own_withdrawal_sends_nothing_even_when_published():
    world = camp_world(companies=1)
    _publish(world)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    before = OutboundEmail.objects.count()
    services.application_transition(application=application, to=Status.WITHDRAWN, by=person.user)
    assert OutboundEmail.objects.count() == before


def test_results_are_told_once_per_result():
    world = camp_world(companies=1)
    person = seeker(world.camp)
    application = matched(world, person, world.positions[0])
    company = world.members[0]

    services.application_result_record(application=application, result="next_round", by=company, note="내부 메모")
    services.application_result_record(application=application, result="next_round", by=company, note="고침")
    services.application_result_record(application=application, result="hired", by=company)

    results = [e for e in _to(person) if e.kind == "hiring.result_recorded"]
    assert len(results) == 2
    assert "다음 전형" in results[0].body_text and "내부 메모" not in results[0].body_text
    assert "축하합니다" in results[1].body_text and "채용" in results[1].body_text


def test_a_walk_in_is_told_its_slot():
    world = camp_world(companies=1, slots=3)
    person = seeker(world.camp)
    application = services.walk_in_add(seeker=person, position=world.positions[0], by=world.staff)

    [email] = _to(person)
    assert email.kind == "hiring.walk_in_added"
    assert application.meeting.table.name in email.body_text
    assert email.attachments[0]["filename"].endswith(".ics")
    application.refresh_from_db()
    assert application.company_notified_at is not None  # staff added it: no company digest
