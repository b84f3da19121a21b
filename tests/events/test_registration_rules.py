from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Audience, Event, Registration
from events.services import AttendeeData, RegistrationError
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.outbox import rendered_emails

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


def test_member_registers_self_and_gets_confirmation_with_ics_and_qr(event, member):
    [registration] = register(event, member)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.company == member.company
    assert registration.user == member
    assert registration.consent_version and registration.consented_at
    email = rendered_emails().get(to=member.email)
    assert "참가 확정" in email.subject
    assert {a["filename"] for a in email.attachments} == {"event.ics", "ticket.png"}


def test_confirmation_email_in_english_for_english_user(event, company):
    user = MembershipFactory(company=company, user=UserFactory(language="en")).user
    register(event, user, language="en")
    email = rendered_emails().get(to=user.email)
    assert email.language == "en"
    assert "Registration confirmed" in email.subject


def test_full_event_waitlists_with_position(event, representative):
    registrations = register(event, representative, *(attendee(i) for i in range(5)))
    assert [r.status for r in registrations] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [r.waitlist_position for r in registrations[3:]] == [1, 2]
    waitlisted_mail = rendered_emails().get(to="a4@test.example.kr")
    assert "2" in waitlisted_mail.body_text


def test_consent_is_required(event, member):
    with pytest.raises(RegistrationError) as error:
        register(event, member, consent=False)
    assert error.value.code == "consent_required"
    assert not Registration.objects.exists()


def test_duplicate_registration_refused_with_clear_message(event, member):
    register(event, member)
    with pytest.raises(RegistrationError) as error:
        register(event, member)
    assert error.value.code == "duplicate"
    assert member.email in str(error.value.message)


def test_registration_after_cancel_is_allowed_again(event, member):
    from events.services import registration_cancel

    [registration] = register(event, member)
    registration_cancel(registration=registration, by=member)
    [again] = register(event, member)
    assert again.status == Registration.Status.CONFIRMED


def test_seat_cap_per_company_counts_live_registrations(company, representative, member):
    event = EventFactory(capacity=50, seat_cap_per_company=3)
    register(event, representative, attendee(1), attendee(2))
    with pytest.raises(RegistrationError) as error:
        register(event, member, attendee(3), attendee(4))
    assert error.value.code == "seat_cap"
    [third] = register(event, member, attendee(3))
    assert third.status == Registration.Status.CONFIRMED


def test_seat_cap_counts_waitlisted_too(company, representative):
    event = EventFactory(capacity=1, seat_cap_per_company=2)
    register(event, representative, attendee(1), attendee(2))
    with pytest.raises(RegistrationError):
        register(event, representative, attendee(3))


@pytest.mark.parametrize(
    ("opens", "closes", "allowed"),
    [
        (timedelta(days=1), timedelta(days=5), False),  # not yet open
        (timedelta(days=-5), timedelta(days=-1), False),  # closed
        (timedelta(days=-1), timedelta(days=1), True),
    ],
)
def test_registration_window(member, opens, closes, allowed):
    now = timezone.now()
    event = EventFactory(registration_opens_at=now + opens, registration_closes_at=now + closes)
    if allowed:
        assert register(event, member)
    else:
        with pytest.raises(RegistrationError) as error:
            register(event, member)
        assert error.value.code == "not_allowed"


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.CANCELLED, Event.Status.FINISHED])
def test_only_published_events_take_registrations(member, status):
    with pytest.raises(RegistrationError):
        register(EventFactory(status=status), member)


def test_started_event_refuses(member):
    event = EventFactory(
        starts_at=timezone.now() - timedelta(minutes=5), registration_closes_at=None, registration_opens_at=None
    )
    with pytest.raises(RegistrationError):
        register(event, member)


def test_tenants_audience_needs_an_approved_membership():
    event = EventFactory(audience=Audience.TENANTS)
    outsider = UserFactory()
    with pytest.raises(RegistrationError) as error:
        register(event, outsider)
    assert "입주기업" in str(error.value.message)
    pending = MembershipFactory(status="pending").user
    with pytest.raises(RegistrationError):
        register(event, pending)


def test_executives_audience_is_for_representatives_only(representative, member):
    event = EventFactory(audience=Audience.EXECUTIVES)
    with pytest.raises(RegistrationError) as error:
        register(event, member)
    assert "대표" in str(error.value.message)
    assert register(event, representative)
    with pytest.raises(RegistrationError):
        register(event, representative, attendee(9))


def test_invited_audience_is_for_invited_companies_only(company, member, other_member):
    event = EventFactory(audience=Audience.INVITED)
    event.invited_companies.add(company)
    assert register(event, member)
    with pytest.raises(RegistrationError) as error:
        register(event, other_member)
    assert "초청" in str(error.value.message)


def test_public_event_without_company_and_anonymous(public_event):
    job_seeker = UserFactory()
    [registration] = register(public_event, job_seeker)
    assert registration.company is None
    [anonymous] = register(public_event, None, attendee("anon", "visitor.example.kr"))
    assert anonymous.user is None and anonymous.registered_by is None
    assert anonymous.status == Registration.Status.PENDING  # until the e-mailed link is opened
    assert rendered_emails().filter(to="aanon@visitor.example.kr").exists()


def test_anonymous_registration_does_not_reveal_a_tenant_membership(public_event, member):
    # Typing a tenant employee's address into the public form must not answer "belongs to
    # another company": the registration is taken like any visitor's.
    [registration] = register(public_event, None, AttendeeData(name="방문자", email=member.email))
    assert registration.status == Registration.Status.PENDING
    assert registration.company is None and registration.user is None


def test_without_company_you_cannot_register_others(public_event):
    with pytest.raises(RegistrationError) as error:
        register(public_event, UserFactory(), attendee(1))
    assert error.value.code == "colleagues"
    with pytest.raises(RegistrationError):
        register(public_event, None, attendee(1), attendee(2))


def test_anonymous_cannot_register_for_tenant_events(event):
    with pytest.raises(RegistrationError):
        register(event, None, attendee(1))


def test_colleague_with_account_is_linked(company, representative):
    colleague = MembershipFactory(company=company).user
    event = EventFactory()
    [registration] = register(event, representative, attendee(1).__class__(name="동료", email=colleague.email))
    assert registration.user == colleague
    assert registration.registered_by == representative


def test_database_forbids_two_live_registrations_of_one_attendee(event):
    from django.db import IntegrityError, transaction

    from tests.factories import RegistrationFactory

    RegistrationFactory(event=event, email="same@example.kr")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, email="SAME@example.kr")
    RegistrationFactory(event=event, email="same@example.kr", status=Registration.Status.CANCELLED)


def test_another_companys_member_as_colleague_gets_the_answer_of_any_address(event, representative, other_member):
    # Refusing "belongs to another company" told anyone with a company account who works
    # where. The address is registered like an address without an account: for the
    # registrant's company, and not linked to the other company's member's account.
    [known] = register(event, representative, AttendeeData(name="남의 직원", email=other_member.email))
    [unknown] = register(event, representative, AttendeeData(name="모르는 주소", email="nobody@other.example.kr"))
    for registration in (known, unknown):
        assert registration.status == Registration.Status.CONFIRMED
        assert registration.user is None and registration.company == representative.company
    assert not other_member.registrations.exists()


def test_form_offers_as_many_colleague_rows_as_the_seat_cap(client, representative):
    from django.urls import reverse

    client.force_login(representative)
    response = client.get(reverse("events:register", args=[EventFactory(seat_cap_per_company=3).pk]))
    assert len(response.context["formset"].forms) == 2
