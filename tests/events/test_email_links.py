"""The ticket and one-click cancel links in registration e-mails: signed, expiring, with a
confirmation page before anything is cancelled."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from events.links import registration_link_token
from events.models import Event, Registration
from notifications.models import OutboundEmail
from tests.factories import EventFactory
from tests.outbox import render_outbox

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


def _links(body: str) -> dict[str, str]:
    """The portal paths of the ticket and cancel links in an e-mail body."""
    found = {}
    for path in re.findall(r"https?://[^/\s\"]+(/events/tickets/[^\s\"<]+)", body):
        found["cancel" if path.endswith("/cancel/") else "ticket"] = path
    return found


@pytest.mark.parametrize("template", ["registration_confirmed", "registration_promoted", "event_reminder"])
def test_every_registration_email_has_ticket_and_cancel_links(event, representative, template):
    from events.emails import registration_email_queue

    [registration] = register(event, representative)
    registration_email_queue(registration, template, dedupe_key=f"test:{template}", offset_hours=24)
    [email] = [e for e in render_outbox() if e.dedupe_key == f"test:{template}"]

    for body in (email.body_text, email.body_html):
        links = _links(body)
        assert set(links) == {"ticket", "cancel"}, body
    assert "신청 취소하기" in email.body_html
    assert "버튼" not in email.body_text  # the plain text shows links, not buttons


@pytest.mark.parametrize("template", ["registration_confirmed", "registration_promoted", "event_reminder"])
def test_plain_text_emails_speak_of_links_not_buttons_in_english(event, representative, template):
    from events.emails import registration_email_queue

    [registration] = register(event, representative, language="en")
    registration_email_queue(registration, template, dedupe_key=f"test-en:{template}", offset_hours=24)
    [email] = [e for e in render_outbox() if e.dedupe_key == f"test-en:{template}"]

    assert "안녕하세요" not in email.body_text and "Ticket" in email.body_text  # rendered in English
    assert "button" not in email.body_text.lower()


def test_the_ticket_link_shows_the_ticket_without_login(client, event, representative):
    [registration] = register(event, representative)
    [email] = render_outbox()
    response = client.get(_links(email.body_text)["ticket"])

    assert response.status_code == 200
    page = response.content.decode()
    assert registration.ticket_code in page and "data:image/png;base64," in page


def test_the_cancel_link_asks_first_then_cancels_and_promotes(client, event, representative):
    registrations = register(event, representative, *(attendee(i) for i in range(4)))
    emails = render_outbox()
    first = next(e for e in emails if e.to == registrations[0].email)
    cancel_path = _links(first.body_text)["cancel"]

    page = client.get(cancel_path)  # a mail scanner opening the link cancels nothing
    assert page.status_code == 200
    assert "대기 중인 다음 분께 돌아갑니다" in page.content.decode()
    assert Registration.objects.get(pk=registrations[0].pk).status == Registration.Status.CONFIRMED

    done = client.post(cancel_path)
    assert done.status_code == 200 and "취소되었습니다" in done.content.decode()
    statuses = list(
        Registration.objects.filter(pk__in=[r.pk for r in registrations])
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == ["cancelled", "confirmed", "confirmed", "confirmed"]
    kinds = set(OutboundEmail.objects.values_list("kind", flat=True))
    assert {"events.registration_cancelled", "events.registration_promoted"} <= kinds

    again = client.post(cancel_path)  # a second click changes nothing
    assert again.status_code == 200
    assert OutboundEmail.objects.filter(kind="events.registration_cancelled").count() == 1


def test_an_altered_or_expired_link_is_refused(client, event, representative, settings, monkeypatch):
    [registration] = register(event, representative)
    token = registration_link_token(registration=registration)
    forged = signing.dumps(registration.pk, salt="another-salt")
    for bad in (token[:-2] + "xx", forged):
        response = client.post(reverse("events:cancel_link", kwargs={"token": bad}))
        assert response.status_code == 400
    # A link written two days ago, valid for one day.
    settings.EVENT_EMAIL_LINK_DAYS = 1
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 2 * 86400)
    stale = registration_link_token(registration=registration)
    monkeypatch.undo()
    response = client.post(reverse("events:cancel_link", kwargs={"token": stale}))
    assert response.status_code == 400 and "유효 기간" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_the_cancel_link_refuses_after_the_event_started(client, member):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=2))
    [registration] = register(event, member)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    path = reverse("events:cancel_link", kwargs={"token": registration_link_token(registration=registration)})

    assert "이미 시작한 행사" in client.get(path).content.decode()
    assert client.post(path).status_code == 400
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_a_waitlisted_person_gets_a_cancel_link_but_no_ticket(event, representative):
    registrations = register(event, representative, *(attendee(i) for i in range(4)))
    waitlisted = next(e for e in render_outbox() if e.to == registrations[3].email)
    assert waitlisted.kind == "events.registration_waitlisted"
    assert set(_links(waitlisted.body_text)) == {"cancel"}
