from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Event, Registration
from events.services import RegistrationError, event_cancel, event_update, registration_cancel
from notifications.services import email_send
from tests.factories import EventFactory, StaffFactory
from tests.outbox import rendered_emails

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


def test_cancel_promotes_first_waitlisted_and_notifies(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    registration_cancel(registration=regs[1], by=representative)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["confirmed", "cancelled", "confirmed", "confirmed", "waitlisted"]
    promoted = rendered_emails().get(to=regs[3].email, subject__contains="참가 확정으로")
    assert {a["filename"] for a in promoted.attachments} == {"event.ics", "ticket.png"}
    assert rendered_emails().filter(to=regs[1].email, subject__contains="신청 취소").exists()


def test_cancel_waitlisted_promotes_nobody(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    registration_cancel(registration=regs[3], by=representative)
    assert Registration.objects.get(pk=regs[4].pk).status == Registration.Status.WAITLISTED


def test_cancel_is_idempotent(event, member):
    [registration] = register(event, member)
    registration_cancel(registration=registration, by=member)
    again = registration_cancel(registration=registration, by=member)
    assert again.status == Registration.Status.CANCELLED
    assert rendered_emails().filter(subject__contains="신청 취소").count() == 1


def test_cannot_cancel_after_start(member):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=2))
    [registration] = register(event, member)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    registration.refresh_from_db()
    with pytest.raises(RegistrationError) as error:
        registration_cancel(registration=registration, by=member)
    assert error.value.code == "started"


def test_colleague_cannot_cancel_another_colleagues_registration(event, representative, member, company):
    from tests.factories import MembershipFactory

    [own] = register(event, member)
    other = MembershipFactory(company=company).user
    with pytest.raises(RegistrationError):
        registration_cancel(registration=own, by=other)
    # The representative manages all of the company's registrations.
    registration_cancel(registration=own, by=representative)


def test_capacity_raise_promotes_in_order(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(6)))
    event_update(event=event, by=StaffFactory(), capacity=5)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["confirmed"] * 5 + ["waitlisted"]
    assert rendered_emails().filter(subject__contains="참가 확정으로").count() == 2


def test_time_or_venue_change_notifies_live_registrants(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(4)))
    registration_cancel(registration=regs[0], by=representative)
    event_update(
        event=event, by=StaffFactory(), venue_ko="롯데호텔 서울", starts_at=event.starts_at + timedelta(hours=1)
    )
    changed = rendered_emails().filter(subject__contains="변경")
    assert sorted(changed.values_list("to", flat=True)) == sorted(r.email for r in regs[1:])
    assert "롯데호텔" in changed.first().body_text


def test_title_change_sends_nothing(event, member):
    register(event, member)
    before = rendered_emails().count()
    event_update(event=event, by=StaffFactory(), title_ko="새 제목")
    assert rendered_emails().count() == before


def test_cancel_event_notifies_everyone_and_cancels_registrations(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    event_cancel(event=event, by=StaffFactory(), message="태풍으로 취소합니다.")
    assert Registration.objects.filter(event=event).exclude(status="cancelled").count() == 0
    emails = rendered_emails().filter(subject__contains="행사 취소")
    assert sorted(emails.values_list("to", flat=True)) == sorted(r.email for r in regs)
    email = emails.first()
    assert "태풍" in email.body_text
    mail.outbox.clear()
    assert email_send(email_id=email.pk)
    filename, content, _mimetype = mail.outbox[0].attachments[0]
    assert filename == "event.ics"
    assert "STATUS:CANCELLED" in (content.decode() if isinstance(content, bytes) else content)
    # Run twice: nothing is sent twice.
    event_cancel(event=event, by=StaffFactory(), message="")
    assert emails.count() == 5


def test_status_cancelled_through_update_cancels(event, member):
    register(event, member)
    event_update(event=event, by=StaffFactory(), status=Event.Status.CANCELLED)
    assert rendered_emails().filter(to=member.email, subject__contains="행사 취소").exists()


def test_staff_cancel_after_start_does_not_promote_the_waitlist(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    registration = Registration.objects.select_related("event").get(pk=regs[0].pk)
    registration_cancel(registration=registration, by=StaffFactory())
    assert Registration.objects.get(pk=regs[3].pk).status == Registration.Status.WAITLISTED
    assert not rendered_emails().filter(dedupe_key=f"events:registration:{regs[3].pk}:promoted").exists()


def test_cancel_on_unpublished_event_does_not_promote_the_waitlist(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    registration = Registration.objects.select_related("event").get(pk=regs[0].pk)
    registration_cancel(registration=registration, by=StaffFactory())
    assert Registration.objects.get(pk=regs[3].pk).status == Registration.Status.WAITLISTED


def test_confirmed_at_is_set_when_confirmed_and_when_promoted(event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    assert [r.confirmed_at is not None for r in regs] == [True, True, True, False, False]
    registration_cancel(registration=regs[0], by=representative)
    promoted = Registration.objects.get(pk=regs[3].pk)
    assert promoted.status == Registration.Status.CONFIRMED
    assert promoted.confirmed_at is not None and promoted.confirmed_at > regs[2].confirmed_at
    assert Registration.objects.get(pk=regs[4].pk).confirmed_at is None
