"""Registration without an account: held until the address is proven by the e-mailed link,
never linked to an account before that, and it holds a seat only for a short time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from events.models import Audience, Registration
from events.services import (
    AttendeeData,
    RegistrationError,
    registration_confirm,
    registration_holds_release,
)
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.outbox import rendered_emails

from .helpers import attendee, confirm_link, register

pytestmark = pytest.mark.django_db


def _token(email: str) -> str:
    link = confirm_link(rendered_emails().filter(to=email, subject__contains="신청 확인").latest("id"))
    return link.rstrip("/").rsplit("/", 1)[-1]


def _statuses(event) -> list[str]:
    return list(Registration.objects.filter(event=event).order_by("id").values_list("status", flat=True))


def _expire_holds(event) -> None:
    """The clock moves past every hold of ``event``."""
    Registration.objects.filter(event=event, hold_expires_at__isnull=False).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_seat_is_not_confirmed_before_the_address_is_proven(public_event):
    [pending] = register(public_event, None, attendee("visitor", "visitor.example.kr"))
    assert pending.status == Registration.Status.PENDING
    assert pending.confirmed_at is None and pending.hold_expires_at is not None
    # Only the link goes out: no confirmation and no ticket before the proof.
    [email] = rendered_emails().filter(to="avisitor@visitor.example.kr")
    assert "신청 확인" in email.subject and email.attachments == []
    confirmed = registration_confirm(token=_token("avisitor@visitor.example.kr"))
    assert confirmed.status == Registration.Status.CONFIRMED and confirmed.confirmed_at is not None
    assert rendered_emails().filter(to="avisitor@visitor.example.kr", subject__contains="참가 확정").exists()
    # A second click changes nothing and sends nothing.
    assert registration_confirm(token=_token("avisitor@visitor.example.kr")).status == Registration.Status.CONFIRMED
    assert rendered_emails().filter(to="avisitor@visitor.example.kr").count() == 2


def test_existing_account_is_not_linked_and_its_owner_can_still_register(public_event):
    owner = UserFactory(email="owner@visitor.example.kr")
    [typed] = register(public_event, None, AttendeeData(name="남이 입력", email=owner.email))
    assert typed.user is None
    assert not owner.registrations.exists()
    # The owner's own registration is not refused as a duplicate: the unproven one gives way.
    [own] = register(public_event, owner)
    assert own.status == Registration.Status.CONFIRMED and own.user == owner
    typed.refresh_from_db()
    assert typed.status == Registration.Status.CANCELLED


def test_proving_the_address_links_the_account_that_owns_it(public_event):
    owner = UserFactory(email="owner@visitor.example.kr")
    register(public_event, None, AttendeeData(name="본인", email=owner.email))
    confirmed = registration_confirm(token=_token(owner.email))
    assert confirmed.user == owner and confirmed.status == Registration.Status.CONFIRMED


def test_a_flood_of_unproven_addresses_holds_seats_only_until_the_holds_expire():
    event = EventFactory(capacity=3, audience=Audience.PUBLIC)
    for n in range(10):
        register(event, None, attendee(n, "flood.example.kr"))
    assert _statuses(event) == [Registration.Status.PENDING] * 10
    assert Registration.objects.filter(event=event, hold_expires_at__isnull=False).count() == 3
    # While the holds last, a signed-in registrant waits behind them.
    member = UserFactory()
    [waiting] = register(event, member)
    assert waiting.status == Registration.Status.WAITLISTED
    _expire_holds(event)
    assert registration_holds_release() == 1
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    # Expired holds take no seat: the next registrant gets one at once.
    assert register(event, UserFactory())[0].status == Registration.Status.CONFIRMED
    assert Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count() == 2
    assert registration_holds_release() == 0  # nothing left to release: safe to run again


def test_confirming_after_the_hold_runs_the_normal_seat_decision():
    event = EventFactory(capacity=1, audience=Audience.PUBLIC)
    register(event, None, attendee("late", "visitor.example.kr"))
    _expire_holds(event)
    [taker] = register(event, UserFactory())
    assert taker.status == Registration.Status.CONFIRMED
    late = registration_confirm(token=_token("alate@visitor.example.kr"))
    assert late.status == Registration.Status.WAITLISTED
    assert rendered_emails().filter(to="alate@visitor.example.kr", subject__contains="대기").exists()


def test_a_late_confirmation_queues_behind_those_who_joined_the_waitlist_meanwhile():
    from events.services import registration_cancel

    event = EventFactory(capacity=1, audience=Audience.PUBLIC)
    [seated] = register(event, UserFactory())
    register(event, None, attendee("late", "visitor.example.kr"))  # no seat to hold
    [waiting] = register(event, UserFactory())
    assert waiting.status == Registration.Status.WAITLISTED

    late = registration_confirm(token=_token("alate@visitor.example.kr"))

    assert late.status == Registration.Status.WAITLISTED
    assert late.waitlist_position == 2
    registration_cancel(registration=seated, by=seated.user)
    waiting.refresh_from_db()
    late.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert late.status == Registration.Status.WAITLISTED


def test_a_valid_hold_keeps_its_seat_when_confirmed():
    event = EventFactory(capacity=1, audience=Audience.PUBLIC)
    register(event, None, attendee("early", "visitor.example.kr"))
    [other] = register(event, UserFactory())
    assert other.status == Registration.Status.WAITLISTED  # the seat is held
    assert registration_confirm(token=_token("aearly@visitor.example.kr")).status == Registration.Status.CONFIRMED


def test_asking_again_sends_a_new_link_but_never_extends_the_hold(public_event):
    [first] = register(public_event, None, attendee("again", "visitor.example.kr"))
    [second] = register(public_event, None, attendee("again", "visitor.example.kr"))
    assert second.pk == first.pk and second.hold_expires_at == first.hold_expires_at
    assert rendered_emails().filter(to="aagain@visitor.example.kr", subject__contains="신청 확인").count() == 2


def test_a_second_link_email_states_the_time_left_not_the_full_lengths(public_event, settings):
    [first] = register(public_event, None, attendee("again", "visitor.example.kr"))
    # Ten hours later the hold is gone and 14 of the link's 24 hours are left.
    Registration.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(hours=10), hold_expires_at=timezone.now() - timedelta(minutes=1)
    )
    register(public_event, None, attendee("again", "visitor.example.kr"))
    first_mail, second_mail = rendered_emails().filter(to="aagain@visitor.example.kr").order_by("id")

    assert f"{settings.EVENT_CONFIRM_LINK_HOURS}시간 동안 유효" in first_mail.body_text
    assert f"{settings.EVENT_PENDING_HOLD_MINUTES}분 안에 확인하면" in first_mail.body_text
    assert "14시간 동안 유효" in second_mail.body_text
    assert "분 안에 확인하면" not in second_mail.body_text  # no seat is held any more


def test_expired_link_is_refused_with_a_clear_message(client, public_event, monkeypatch, settings):
    old = signing.TimestampSigner().timestamp

    def a_day_ago(self: signing.TimestampSigner) -> str:
        return signing.b62_encode(int(signing.b62_decode(old())) - settings.EVENT_CONFIRM_LINK_HOURS * 3600 - 60)

    monkeypatch.setattr(signing.TimestampSigner, "timestamp", a_day_ago)
    register(public_event, None, attendee("slow", "visitor.example.kr"))
    monkeypatch.undo()
    token = _token("aslow@visitor.example.kr")
    with pytest.raises(RegistrationError) as error:
        registration_confirm(token=token)
    assert error.value.code == "link_expired"
    response = client.post(reverse("events:confirm", args=[token]))
    assert response.status_code == 400
    assert "확인 링크의 유효 기간이 지났습니다" in response.content.decode()
    assert Registration.objects.get(email="aslow@visitor.example.kr").status == Registration.Status.PENDING


def test_registration_older_than_the_link_is_cancelled_and_its_link_refused(public_event):
    [pending] = register(public_event, None, attendee("old", "visitor.example.kr"))
    Registration.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(hours=25))
    registration_holds_release()
    pending.refresh_from_db()
    assert pending.status == Registration.Status.CANCELLED
    with pytest.raises(RegistrationError) as error:
        registration_confirm(token=_token("aold@visitor.example.kr"))
    assert error.value.code == "link_expired"
    # The address may register again.
    assert register(public_event, None, attendee("old", "visitor.example.kr"))[0].status == "pending"


def test_altered_link_is_refused(client):
    response = client.get(reverse("events:confirm", args=["1:forged:signature"]))
    assert response.status_code == 400
    assert "올바른 확인 링크가 아닙니다" in response.content.decode()


@pytest.mark.parametrize("known", ["unknown", "account", "confirmed", "pending"])
def test_public_form_answers_the_same_for_known_and_unknown_addresses(client, settings, known):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": known}}
    event = EventFactory(capacity=10, audience=Audience.PUBLIC, title_ko="공개 행사")
    address = "someone@visitor.example.kr"
    if known == "account":
        UserFactory(email=address)
    elif known == "confirmed":
        RegistrationFactory(event=event, email=address)
    elif known == "pending":
        register(event, None, AttendeeData(name="먼저", email=address))
    response = client.post(
        reverse("events:register", args=[event.pk]), {"name": "방문자", "email": address, "consent": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("events:check_email", args=[event.pk])
    page = client.get(response["Location"])
    assert "이메일을 확인해 주세요" in page.content.decode()
    assert "이미 신청" not in page.content.decode()
    # The address's owner is told by e-mail instead.
    latest = rendered_emails().filter(to=address).latest("id")
    assert ("이미 신청된 행사" if known == "confirmed" else "신청 확인") in latest.subject


def test_pending_registrations_are_shown_in_the_admin(admin_client, public_event):
    register(public_event, None, attendee("shown", "visitor.example.kr"))
    html = admin_client.get(reverse("admin:events_registration_changelist") + "?status__exact=pending").content
    assert "이메일 확인 대기" in html.decode() and "ashown@visitor.example.kr" in html.decode()


def test_event_page_counts_held_seats(client):
    event = EventFactory(capacity=2, audience=Audience.PUBLIC)
    register(event, None, attendee("held", "visitor.example.kr"))
    assert "잔여 1석" in client.get(event.get_absolute_url()).content.decode()
    _expire_holds(event)
    assert "잔여 2석" in client.get(event.get_absolute_url()).content.decode()


def test_english_verification_email(public_event):
    register(public_event, None, attendee("en", "visitor.example.kr"), language="en")
    email = rendered_emails().get(to="aen@visitor.example.kr")
    assert email.language == "en" and "Please confirm" in email.subject
