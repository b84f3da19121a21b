"""Registration e-mails are rendered by the sender, not under the event's seat lock (issue 11).

Inside ``registration_create_do`` (which holds the lock) only the seat decision and a small
outbox row are written: the row carries a kind and the registration's id. The worker renders
subject, text, HTML, the QR ticket and the calendar file when it sends it; a rendering
failure is recorded and retried, and the e-mail is never lost.
"""

from __future__ import annotations

import email as email_parser
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from events import emails as event_emails
from events import ics as event_ics_module
from events.ics import event_ics, events_feed_ics, seoul_vtimezone
from events.models import Registration
from events.services import _locked_event, registration_cancel, registration_create_check, registration_create_do
from notifications.models import OutboundEmail
from notifications.services import MAX_ATTEMPTS, email_resend, email_send
from tests.factories import EventFactory

from .helpers import attendee, register

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def _forbid_rendering(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every rendering step raise, and record that it was called."""
    called: list[str] = []

    def forbidden(name: str):
        def fail(*args: object, **kwargs: object) -> None:
            called.append(name)
            raise AssertionError(f"{name} called while the event is locked")

        return fail

    for module, name in (
        (event_emails, "render_templates_shared"),
        (event_emails, "ticket_qr_png"),
        (event_emails, "event_ics"),
        (event_ics_module, "_calendar"),
    ):
        monkeypatch.setattr(module, name, forbidden(name))
    return called


def test_registration_under_the_lock_renders_nothing(event, representative, monkeypatch, django_assert_max_num_queries):
    called = _forbid_rendering(monkeypatch)
    plan = registration_create_check(
        event=event, by=representative, attendees=[attendee(i) for i in range(5)], consent=True, language="ko"
    )
    # 5 registrations: the lock (2), the tally, one INSERT of the registrations, one of their
    # audit entries, and an outbox row each (3 statements: notifications.services._save_queued);
    # plus the audit entries' content type when the cache is cold.
    with transaction.atomic(), django_assert_max_num_queries(2 + 3 + 5 * 3 + 1):
        registrations = registration_create_do(plan=plan, event=_locked_event(event.pk))

    assert called == []
    assert [r.status for r in registrations] == ["confirmed"] * 3 + ["waitlisted"] * 2
    rows = list(OutboundEmail.objects.order_by("pk"))
    assert [row.kind for row in rows] == ["events.registration_confirmed"] * 3 + ["events.registration_waitlisted"] * 2
    for row, registration in zip(rows, registrations, strict=True):
        # Only what is needed to render later: the registration's id (and the waitlist position).
        assert row.context["registration"] == registration.pk
        assert (row.subject, row.body_text, row.body_html, row.attachments, row.rendered_at) == ("", "", "", [], None)
    assert rows[3].context["position"] == 1 and rows[4].context["position"] == 2


def test_the_sender_renders_text_html_qr_and_calendar(event, representative):
    [registration] = register(event, representative)
    row = OutboundEmail.objects.get()

    assert email_send(email_id=row.pk) is True

    row.refresh_from_db()
    assert row.status == Status.SENT and row.rendered_at is not None
    assert "참가 확정" in row.subject and event.title in row.subject
    [sent] = mail.outbox
    message = email_parser.message_from_bytes(sent.message().as_bytes())
    types = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in types and "text/html" in types
    assert {a["filename"] for a in row.attachments} == {"event.ics", "ticket.png"}
    assert [name for name, *_ in sent.attachments] == ["event.ics", "ticket.png"]
    assert registration.ticket_code in row.body_text
    assert "/events/tickets/" in row.body_text and "/cancel/" in row.body_text
    html = row.body_html
    assert "서울산업진흥원" in html and 'style="' in html
    # No external resources: no stylesheet, script or image is fetched from anywhere.
    assert "<link" not in html and "<script" not in html and "<img" not in html and "url(" not in html


def test_a_rendering_failure_is_retried_and_the_email_is_not_lost(event, representative, monkeypatch):
    register(event, representative)
    row = OutboundEmail.objects.get()
    real = event_emails.render_templates_shared
    failures = iter([RuntimeError("template broke")])

    def flaky(*args, **kwargs):
        for failure in failures:
            raise failure
        return real(*args, **kwargs)

    monkeypatch.setattr(event_emails, "render_templates_shared", flaky)

    assert email_send(email_id=row.pk) is False
    row.refresh_from_db()
    assert row.status == Status.QUEUED and row.attempts == 1 and "template broke" in row.last_error
    assert row.rendered_at is None and mail.outbox == []

    assert email_send(email_id=row.pk) is True
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2 and len(mail.outbox) == 1


def test_an_email_that_cannot_be_rendered_fails_after_its_attempts_and_can_be_resent(db):
    row = OutboundEmail.objects.create(to="a@example.kr", kind="events.no_such_kind", context={"registration": 1})
    for _ in range(MAX_ATTEMPTS):
        email_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == Status.FAILED and "UnknownEmailKind" in row.last_error and mail.outbox == []

    email_resend(email=row)  # staff, after fixing the cause: the row is still there
    row.refresh_from_db()
    assert row.status == Status.QUEUED and row.attempts == 0


def test_a_retry_after_an_smtp_failure_sends_what_was_rendered_first(event, representative, settings):
    [registration] = register(event, representative)
    row = OutboundEmail.objects.get()
    settings.EMAIL_BACKEND = "tests.celery.failing_backend.FailingBackend"
    assert email_send(email_id=row.pk) is False
    row.refresh_from_db()
    first_body = row.body_text
    assert row.rendered_at is not None and first_body

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Registration.objects.filter(pk=registration.pk).update(attendee_name="다른이름")
    assert email_send(email_id=row.pk) is True
    assert mail.outbox[0].body == first_body


def test_promotion_email_is_queued_unrendered_and_says_the_seat_is_theirs(event, representative, monkeypatch):
    registrations = register(event, representative, *(attendee(i) for i in range(4)))
    OutboundEmail.objects.all().delete()
    called = _forbid_rendering(monkeypatch)
    registration_cancel(registration=registrations[0], by=representative)
    assert called == []
    promoted = OutboundEmail.objects.get(kind="events.registration_promoted")
    assert promoted.to == registrations[3].email and promoted.body_text == ""

    monkeypatch.undo()
    assert email_send(email_id=promoted.pk) is True
    promoted.refresh_from_db()
    assert "이 자리는 이제 회원님의 자리입니다" in promoted.body_text
    assert "취소" in promoted.body_text and "/events/tickets/" in promoted.body_text
    assert {a["filename"] for a in promoted.attachments} == {"event.ics", "ticket.png"}


def test_seoul_vtimezone_is_built_once_and_written_once_per_calendar(monkeypatch):
    seoul_vtimezone.cache_clear()
    built: list[str] = []
    real = event_ics_module.Timezone.from_tzid

    def counting(tzid, *args, **kwargs):
        built.append(tzid)
        return real(tzid, *args, **kwargs)

    monkeypatch.setattr(event_ics_module.Timezone, "from_tzid", counting)
    events = [
        EventFactory(starts_at=timezone.now() + timedelta(days=d), ends_at=timezone.now() + timedelta(days=d, hours=2))
        for d in (3, 4)
    ]
    single = event_ics(event=events[0])
    event_ics(event=events[1])
    feed = events_feed_ics(events=events)

    assert built == ["Asia/Seoul"]
    for calendar in (single, feed):
        text = calendar.decode()
        assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:Asia/Seoul" in text
        assert "DTSTART;TZID=Asia/Seoul:" in text
    assert feed.decode().count("BEGIN:VEVENT") == 2
