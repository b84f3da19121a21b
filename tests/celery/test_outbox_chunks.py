"""A chunk of e-mails (``emails_send``): claimed in one statement, rendered together, each
marked right after its send (the reminder fan-out, issue 11).

What a chunk must keep from one-by-one sending: a row claimed by someone else is not touched,
a failing address does not stop the others and is retried, nothing is sent twice, and an
outcome is only written under our own claim.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test.signals import template_rendered
from django.utils import timezone

from events import emails as event_emails
from events.emails import registration_email_queue
from events.models import Registration
from notifications import rendering, services
from notifications.models import OutboundEmail
from notifications.rendering import render_email, rendering_batch
from notifications.services import email_claim, emails_send
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def reminders(n: int, *, emails: tuple[str, ...] = (), **event: object) -> list[OutboundEmail]:
    """``n`` deferred reminder e-mails of one event (rendered when sent, as the fan-out's)."""
    an_event = EventFactory(starts_at=timezone.now() + timedelta(hours=20), **event)
    addresses = list(emails) + [f"attendee{i}@example.kr" for i in range(len(emails), n)]
    rows = []
    for address in addresses:
        registration = RegistrationFactory(event=an_event, email=address)
        row = registration_email_queue(
            registration, "event_reminder", dedupe_key=f"reminder:{registration.pk}", offset_hours=24
        )
        assert row is not None
        rows.append(row)
    return rows


def ids(rows: list[OutboundEmail]) -> list[int]:
    return [row.pk for row in rows]


def test_a_chunk_costs_one_claim_one_read_and_one_update_per_email(django_assert_num_queries) -> None:
    rows = reminders(25)
    # The claim (one UPDATE ... RETURNING), the chunk's registrations (one SELECT), then one
    # UPDATE per e-mail right after its send; around them, synchronous_commit off and back.
    with django_assert_num_queries(2 + 25 + 2):
        assert emails_send(email_ids=ids(rows)) == 25
    assert len(mail.outbox) == 25
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
    assert not OutboundEmail.objects.filter(rendered_at__isnull=True).exists()


def test_a_failing_address_does_not_stop_the_chunk_and_is_retried(settings) -> None:
    settings.EMAIL_BACKEND = "tests.celery.failing_backend.RefusingBackend"
    rows = reminders(5, emails=("a0@example.kr", "a1@example.kr", "refused@example.kr"))
    refused = rows[2]

    assert emails_send(email_ids=ids(rows)) == 4

    assert sorted(to for message in mail.outbox for to in message.to) == sorted(
        row.to for row in rows if row.pk != refused.pk
    )
    refused.refresh_from_db()
    assert refused.status == Status.QUEUED and refused.attempts == 1 and refused.claimed_at is None
    assert "SMTPRecipientsRefused" in refused.last_error
    assert refused.rendered_at is not None and refused.body_text  # a retry sends what was rendered
    assert OutboundEmail.objects.filter(status=Status.SENT).count() == 4

    # The retry (the sweeper's prompt, or the same chunk again) tries only the refused one.
    assert emails_send(email_ids=ids(rows)) == 0
    refused.refresh_from_db()
    assert refused.status == Status.QUEUED and refused.attempts == 2
    assert len(mail.outbox) == 4


def test_a_row_claimed_by_another_worker_is_skipped_and_left_alone() -> None:
    rows = reminders(4)
    theirs = email_claim(email_id=rows[1].pk)
    assert theirs is not None

    assert emails_send(email_ids=ids(rows)) == 3

    assert rows[1].to not in [to for message in mail.outbox for to in message.to]
    row = OutboundEmail.objects.get(pk=rows[1].pk)
    assert (row.status, row.claimed_at, row.attempts, row.rendered_at) == (
        Status.SENDING,
        theirs.claimed_at,
        1,
        None,
    )


def test_a_chunk_run_twice_sends_nothing_twice() -> None:
    rows = reminders(6)
    assert emails_send(email_ids=ids(rows)) == 6
    assert emails_send(email_ids=ids(rows)) == 0
    assert emails_send(email_ids=list(reversed(ids(rows)))) == 0
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(row.to for row in rows)
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


def test_an_outcome_is_not_written_over_a_claim_someone_else_took_over(settings, monkeypatch) -> None:
    """Our claim on a row went stale while we were sending it (a hung SMTP server) and the
    sweeper's worker took it over: its claim stands, our outcome is dropped."""
    rows = reminders(3)
    real = services._message
    taken_over_at = timezone.now() + timedelta(minutes=5)

    def message(email: OutboundEmail, connection: object = None):  # type: ignore[no-untyped-def]
        if email.pk == rows[1].pk:
            OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=taken_over_at, attempts=2)
        return real(email, connection)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_message", message)
    assert emails_send(email_ids=ids(rows)) == 3

    row = OutboundEmail.objects.get(pk=rows[1].pk)
    assert (row.status, row.claimed_at, row.sent_at, row.rendered_at) == (Status.SENDING, taken_over_at, None, None)
    assert OutboundEmail.objects.filter(status=Status.SENT).count() == 2


def test_a_chunk_out_of_time_gives_the_rest_back_unattempted_and_prompts_it(monkeypatch) -> None:
    rows = reminders(4)
    clock = count(step=10)  # every look at the sender's clock is 10 s later
    monkeypatch.setattr(services, "time", SimpleNamespace(monotonic=lambda: float(next(clock))))
    prompted: list[list[int]] = []
    monkeypatch.setattr(services, "emails_prompt", lambda *, email_ids: prompted.append(email_ids) or len(email_ids))

    # started at 0, the claim at 10, the first send at 20; the second would start at 30.
    assert emails_send(email_ids=ids(rows), time_budget=25) == 1

    assert prompted == [ids(rows)[1:]]
    rest = OutboundEmail.objects.filter(pk__in=ids(rows)[1:])
    assert set(rest.values_list("status", "attempts", "claimed_at")) == {(Status.QUEUED, 0, None)}
    monkeypatch.undo()
    assert emails_send(email_ids=ids(rows)[1:]) == 3
    assert len(mail.outbox) == 4


@pytest.fixture
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two moments an e-mail shows, fixed: a render alone and one in a batch may fall in
    different seconds (the links' signature time, the calendar file's DTSTAMP)."""
    from django.core import signing

    from events import ics

    moment = timezone.now()
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1abcde")
    monkeypatch.setattr(ics, "timezone", SimpleNamespace(now=lambda: moment))
    monkeypatch.setattr(ics, "_event_ics_cache", {})


def _rendered(rows: list[OutboundEmail]) -> list[tuple[str, str, str, tuple[tuple[str, bytes, str], ...]]]:
    out = []
    for row in rows:
        email = render_email(kind=row.kind, context=row.context, language=row.language)
        out.append(
            (
                email.subject,
                email.body_text,
                email.body_html,
                tuple((a.filename, a.content, a.content_type) for a in email.attachments),
            )
        )
    return out


def test_a_batch_renders_byte_for_byte_what_each_renders_alone(django_assert_num_queries, still_clock) -> None:
    rows = reminders(3) + reminders(3, venue_address="서울 강서구 <마곡> & 1층")
    Registration.objects.filter(email="attendee1@example.kr").update(attendee_name='<b>"홍&길동"</b>', language="en")
    Registration.objects.filter(email="attendee2@example.kr").update(status=Registration.Status.CANCELLED)
    for row in rows:
        row.refresh_from_db()
    OutboundEmail.objects.filter(pk=rows[4].pk).update(language="en")
    rows[4].language = "en"

    alone = _rendered(rows)
    with django_assert_num_queries(1), rendering_batch((row.kind, row.context) for row in rows):
        together = _rendered(rows)

    assert together == alone
    assert any("&lt;b&gt;&quot;홍&amp;길동&quot;&lt;/b&gt;" in html for _, _, html, _ in together)


def test_a_failing_preload_falls_back_to_each_emails_own_read(monkeypatch) -> None:
    rows = reminders(3)

    def broken(contexts: list[dict[str, object]]) -> None:
        raise RuntimeError("preload broke")

    monkeypatch.setitem(rendering._PRELOADERS, "events.event_reminder", broken)
    assert emails_send(email_ids=ids(rows)) == 3
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {Status.SENT}


SAMPLE_CONTEXT = {
    "offset_hours": 24,
    "before": {"starts_at": "2027-05-06T07:30:00+09:00", "ends_at": "2027-05-06T09:00:00+09:00"},
    "message": "장소가 <바뀌었습니다> & 죄송합니다",
    "subject": "공지 <1>",
    "body": '내용 & "따옴표"',
    "confirm_url": "https://portal.example.kr/events/registrations/confirm/abc/",
    "hold_minutes": 10,
    "link_hours": 24,
    "position": 3,
}


@pytest.mark.parametrize("template", event_emails.TEMPLATES)
def test_every_event_email_renders_in_a_batch_byte_for_byte_as_alone(template: str, still_clock: None) -> None:
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=20), venue_address="강서구 <마곡> & 1층")
    statuses = [Registration.Status.CONFIRMED] * 3 + [Registration.Status.WAITLISTED, Registration.Status.CANCELLED]
    names = ['<b>"홍&길동"</b>', "  두 칸  띄움 ", "김마곡", "이대기", "박취소"]
    rows = []
    for i, (status, name) in enumerate(zip(statuses, names, strict=True)):
        registration = RegistrationFactory(event=event, status=status, attendee_name=name)
        rows.append(
            OutboundEmail(
                kind=f"events.{template}",
                context={"registration": registration.pk, **SAMPLE_CONTEXT},
                language="en" if i == 2 else "ko",
            )
        )

    alone = _rendered(rows)
    with rendering_batch((row.kind, row.context) for row in rows):
        together = _rendered(rows)

    assert together == alone


def test_a_batch_renders_an_events_templates_once_for_its_attendees() -> None:
    rows = reminders(6)
    rendered: list[str] = []

    def count(sender: object, template: object, **kwargs: object) -> None:
        rendered.append(str(getattr(template, "name", "")))

    template_rendered.connect(count)
    try:
        with rendering_batch((row.kind, row.context) for row in rows):
            emails = _rendered(rows)
    finally:
        template_rendered.disconnect(count)

    assert rendered.count("events/emails/event_reminder.txt") == 1
    assert len({body_text for _, body_text, _, _ in emails}) == 6  # each with its own name and links
    for row, (_, body_text, body_html, _) in zip(rows, emails, strict=True):
        registration = Registration.objects.get(pk=row.context["registration"])
        assert registration.attendee_name in body_text and registration.ticket_code in body_html


def test_a_chunk_commits_without_waiting_for_the_disk_and_puts_the_setting_back(monkeypatch) -> None:
    from django.db import connection

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return str(cursor.fetchone()[0])

    rows = reminders(2)
    real = services._message
    during: list[str] = []

    def message(email: OutboundEmail, connection: object = None):  # type: ignore[no-untyped-def]
        during.append(setting())
        return real(email, connection)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_message", message)
    before = setting()
    assert emails_send(email_ids=ids(rows)) == 2
    assert during == ["off", "off"]
    assert setting() == before == "on"
