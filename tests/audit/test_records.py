"""Every service that changes state for staff or the system leaves one audit entry saying who,
what, and the values before and after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Membership
from audit.models import AuditAction, AuditEntry
from audit.services import audit_entries_for
from companies.services import profile_change_approve, profile_change_reject
from events import services as events
from events.models import Audience, Event, Registration
from programs.models import Application
from programs.services import application_transition, outcome_record, review_assign, review_submit
from tests.companies.factories import ProfileChangeRequestFactory
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.programs.factories import ApplicationFactory, CallFactory, ProgramFactory, ReviewCriterionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory(email="events@sba.example.kr")


def only_entry(obj, action) -> AuditEntry:
    entries = [entry for entry in audit_entries_for(obj=obj) if entry.action == action]
    assert len(entries) == 1, entries
    return entries[0]


def test_event_update_records_changed_values(staff):
    event = EventFactory(capacity=10, venue_ko="마곡 R&D센터")
    events.event_update(event=event, by=staff, capacity=20, venue_ko="FITI시험연구원")
    entry = only_entry(event, AuditAction.EVENT_UPDATE)
    assert entry.actor == staff and entry.actor_repr == "events@sba.example.kr"
    assert entry.before == {"capacity": 10, "venue_ko": "마곡 R&D센터"}
    assert entry.after == {"capacity": 20, "venue_ko": "FITI시험연구원"}
    assert entry.object_repr == str(event)


def test_event_update_without_a_change_records_nothing(staff):
    event = EventFactory(capacity=10)
    events.event_update(event=event, by=staff, capacity=10)
    assert not audit_entries_for(obj=event).exists()


def test_event_cancel_records_status_message_and_count(staff):
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event)
    events.event_cancel(event=event, by=staff, message="강사 사정으로 취소합니다.")
    entry = only_entry(event, AuditAction.EVENT_CANCEL)
    assert entry.before == {"status": Event.Status.PUBLISHED}
    assert entry.after == {"status": "cancelled", "registrations_cancelled": 2, "message": "강사 사정으로 취소합니다."}


def test_event_duplicate_records_on_both_events(staff):
    event = EventFactory()
    copy = events.event_duplicate(event=event, by=staff)
    assert only_entry(event, AuditAction.EVENT_DUPLICATE).after == {"copy": copy.pk}
    assert only_entry(copy, AuditAction.EVENT_DUPLICATE).before == {"source": event.pk}


def test_event_message_records_subject_body_and_recipients(staff):
    event = EventFactory()
    RegistrationFactory.create_batch(3, event=event)
    events.event_message_send(event=event, by=staff, subject="주차 안내", body="지하 2층을 이용하세요.")
    entry = only_entry(event, AuditAction.EVENT_MESSAGE)
    assert entry.after == {"subject": "주차 안내", "body": "지하 2층을 이용하세요.", "recipients": 3}


def test_registration_create_records_each_attendee():
    member = MembershipFactory(user__email="kim@robotis.example.kr").user
    event = EventFactory(capacity=1)
    created = events.registration_create(
        event=event,
        by=member,
        attendees=[
            events.AttendeeData(name="김", email="kim@robotis.example.kr"),
            events.AttendeeData(name="이", email="lee@robotis.example.kr"),
        ],
        consent=True,
        language="ko",
    )
    first, second = (only_entry(r, AuditAction.REGISTRATION_CREATE) for r in created)
    assert first.actor == member and first.after["status"] == "confirmed"
    assert second.after["status"] == "waitlisted" and second.after["email"] == "lee@robotis.example.kr"


def test_registration_cancel_and_the_promotion_it_causes_are_recorded(staff):
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    events.registration_cancel(registration=confirmed, by=staff)
    cancel = only_entry(confirmed, AuditAction.REGISTRATION_CANCEL)
    assert cancel.actor == staff
    assert cancel.before["status"] == "confirmed" and cancel.after["status"] == "cancelled"
    promotion = only_entry(waiting, AuditAction.REGISTRATION_PROMOTE)
    assert promotion.actor is None and promotion.actor_repr == ""  # the system promoted
    assert promotion.before == {"status": "waitlisted"} and promotion.after["status"] == "confirmed"


def test_releasing_expired_holds_records_each_registration_as_the_system():
    event = EventFactory(capacity=2, audience=Audience.PUBLIC)  # one seat held by `untouched`
    now = timezone.now()
    held = RegistrationFactory(
        event=event, status=Registration.Status.PENDING, hold_expires_at=now - timedelta(minutes=1)
    )
    old = RegistrationFactory(event=event, status=Registration.Status.PENDING, hold_expires_at=None)
    Registration.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=30))
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    untouched = RegistrationFactory(
        event=event, status=Registration.Status.PENDING, hold_expires_at=now + timedelta(minutes=9)
    )
    assert events.registration_holds_release(now=now) == 1
    release = only_entry(held, AuditAction.REGISTRATION_HOLD_RELEASE)
    assert release.actor is None and release.actor_repr == ""
    # The hold as it was (JSON keeps milliseconds).
    assert list(release.before) == ["hold_expires_at"]
    assert release.before["hold_expires_at"][:19] == (now - timedelta(minutes=1)).isoformat()[:19]
    assert release.after == {"hold_expires_at": None}
    expire = only_entry(old, AuditAction.REGISTRATION_EXPIRE)
    assert expire.actor is None and expire.before["status"] == "pending"
    assert expire.after["status"] == "cancelled" and expire.after["cancelled_at"] is not None
    # The seat freed goes to the waitlist, and that promotion is the system's too.
    assert only_entry(waiting, AuditAction.REGISTRATION_PROMOTE).actor is None
    assert not audit_entries_for(obj=untouched).exists()
    # A second run finds nothing due and records nothing more.
    assert events.registration_holds_release(now=now) == 0
    assert (
        AuditEntry.objects.filter(
            action__in=[AuditAction.REGISTRATION_HOLD_RELEASE, AuditAction.REGISTRATION_EXPIRE]
        ).count()
        == 2
    )


def test_a_visitor_confirming_by_the_link_is_recorded():
    event = EventFactory(capacity=5, audience=Audience.PUBLIC)
    anonymous = RegistrationFactory(
        event=event,
        status=Registration.Status.PENDING,
        email="guest@visitor.example.kr",
        hold_expires_at=timezone.now() + timedelta(minutes=10),
    )
    events.registration_confirm(token=signing.dumps(anonymous.pk, salt=events.CONFIRM_LINK_SALT))
    entry = only_entry(anonymous, AuditAction.REGISTRATION_CONFIRM)
    assert entry.actor is None and entry.actor_repr == ""  # no account: the visitor, as the system
    assert entry.before["status"] == "pending" and entry.before["confirmed_at"] is None
    assert entry.after["status"] == "confirmed" and entry.after["confirmed_at"] is not None
    assert entry.after["hold_expires_at"] is None and entry.after["user"] is None
    # The address belongs to an account: the click proved it is theirs, and the record says so.
    owner = UserFactory(email="owner@visitor.example.kr")
    owned = RegistrationFactory(event=event, status=Registration.Status.PENDING, email=owner.email)
    events.registration_confirm(token=signing.dumps(owned.pk, salt=events.CONFIRM_LINK_SALT))
    entry = only_entry(owned, AuditAction.REGISTRATION_CONFIRM)
    assert entry.actor == owner and entry.before["user"] is None and entry.after["user"] == owner.pk
    # A second click changes nothing and records nothing.
    events.registration_confirm(token=signing.dumps(owned.pk, salt=events.CONFIRM_LINK_SALT))
    assert audit_entries_for(obj=owned).filter(action=AuditAction.REGISTRATION_CONFIRM).count() == 1


def test_check_in_and_its_undo_are_recorded(staff):
    registration = RegistrationFactory()
    events.registration_check_in(by=staff, event=registration.event, registration=registration)
    events.registration_check_in(by=staff, event=registration.event, registration=registration)  # a second scan
    check_in = only_entry(registration, AuditAction.REGISTRATION_CHECK_IN)
    assert check_in.before == {"checked_in_at": None} and check_in.after["checked_in_at"]
    assert events.registration_check_in_undo(registration=registration, by=staff)
    undo = only_entry(registration, AuditAction.REGISTRATION_CHECK_IN_UNDO)
    assert undo.before["checked_in_at"] == check_in.after["checked_in_at"] and undo.after == {"checked_in_at": None}


def test_profile_change_approval_and_rejection_are_recorded_on_the_company(staff):
    company = CompanyFactory(name_en="Old Name", keywords="로봇")
    change = ProfileChangeRequestFactory(
        company=company,
        data={"name_en": "New Name"},
        before={"name_en": "Old Name"},
    )
    profile_change_approve(change=change, by=staff, note="확인했습니다")
    entry = only_entry(company, AuditAction.PROFILE_CHANGE_APPROVE)
    assert entry.before == {"name_en": "Old Name"} and entry.after == {"name_en": "New Name"}
    assert entry.reason == "확인했습니다"

    rejected = ProfileChangeRequestFactory(company=company, data={"keywords": "바이오"}, before={"keywords": "로봇"})
    profile_change_reject(change=rejected, by=staff, note="근거 자료가 필요합니다")
    entry = only_entry(company, AuditAction.PROFILE_CHANGE_REJECT)
    assert entry.after == entry.before == {"keywords": "로봇"}
    assert entry.reason == "근거 자료가 필요합니다"


def test_membership_decisions_are_recorded(staff):
    approved = MembershipFactory(status=Membership.Status.PENDING)
    rejected = MembershipFactory(status=Membership.Status.PENDING)
    accounts.membership_approve(membership=approved, by=staff)
    accounts.membership_reject(membership=rejected, by=staff)
    assert only_entry(approved, AuditAction.MEMBERSHIP_APPROVE).after == {"status": "approved", "role": "staff"}
    assert only_entry(rejected, AuditAction.MEMBERSHIP_REJECT).after == {"status": "rejected", "role": "staff"}


def test_membership_remove_is_recorded_after_the_row_is_gone(staff):
    member = MembershipFactory()
    pk, company_id = member.pk, member.company_id
    accounts.membership_remove(membership=member, by=staff)
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_REMOVE, object_id=str(pk))
    assert entry.before["company"] == company_id and entry.before["role"] == "staff"


def test_role_change_and_hand_over_are_recorded(staff):
    company = CompanyFactory()
    old = RepresentativeFactory(company=company)
    new = MembershipFactory(company=company)
    accounts.membership_role_change(membership=new, role=Membership.Role.REPRESENTATIVE, by=staff)
    assert only_entry(new, AuditAction.MEMBERSHIP_ROLE_CHANGE).before == {"role": "staff"}

    third = MembershipFactory(company=company)
    accounts.membership_hand_over(membership=third, by=staff)
    entry = only_entry(company, AuditAction.MEMBERSHIP_HAND_OVER)
    assert sorted(entry.before["representatives"]) == sorted([old.user_id, new.user_id])
    assert entry.after == {"representatives": [third.user_id]}
    roles = dict(Membership.objects.filter(company=company).values_list("pk", "role"))
    assert roles == {old.pk: "staff", new.pk: "staff", third.pk: "representative"}


def test_role_change_needs_sba_staff():
    representative = RepresentativeFactory()
    member = MembershipFactory(company=representative.company)
    with pytest.raises(accounts.MembershipError):
        accounts.membership_role_change(membership=member, role="representative", by=representative.user)
    assert not AuditEntry.objects.exists()


def test_application_transition_records_status_and_message(staff):
    application = ApplicationFactory(status=Application.Status.SUBMITTED)
    application_transition(
        application=application, to=Application.Status.INFO_REQUESTED, by=staff, message="사업자등록증"
    )
    entry = only_entry(application, AuditAction.APPLICATION_TRANSITION)
    assert entry.before == {"status": "submitted"} and entry.after == {"status": "info_requested"}
    assert entry.reason == "사업자등록증"


def test_review_assign_and_submit_are_recorded(staff):
    call = CallFactory()
    criterion = ReviewCriterionFactory(call=call, max_score=10)
    application = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    reviewer = UserFactory(is_staff=True)
    review = review_assign(application=application, reviewer=reviewer, by=staff)
    review_assign(application=application, reviewer=reviewer, by=staff)  # already assigned: nothing new
    assert only_entry(review, AuditAction.REVIEW_ASSIGN).after == {"reviewer": reviewer.pk}
    review_submit(review=review, by=reviewer, scores={criterion.pk: 7}, comment="좋음")
    entry = only_entry(review, AuditAction.REVIEW_SUBMIT)
    assert entry.actor == reviewer and entry.after["scores"] == {str(criterion.pk): 7}


def test_outcome_record_keeps_before_and_after(staff):
    company, program = CompanyFactory(), ProgramFactory()
    outcome = outcome_record(company_id=company.pk, program_id=program.pk, year=2027, values={"hires": 2}, by=staff)
    outcome_record(company_id=company.pk, program_id=program.pk, year=2027, values={"hires": 5}, by=staff)
    first, second = sorted(
        audit_entries_for(obj=outcome).filter(action=AuditAction.OUTCOME_RECORD), key=lambda entry: entry.pk
    )
    assert first.before == {} and first.after["hires"] == 2
    assert second.before["hires"] == 2 and second.after["hires"] == 5


def test_a_rolled_back_change_leaves_no_record(staff):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(Exception):  # noqa: B017 - the event's own validation refuses
        events.event_update(event=event, by=staff, ends_at=event.starts_at - timedelta(hours=1))
    assert not AuditEntry.objects.exists()
