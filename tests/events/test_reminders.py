from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, EventReminder, Registration
from events.reminders import format_when, reminder_dedupe_key, reminders_plan, reminders_queue_due
from events.tasks import send_due_reminders
from notifications.models import OutboundEmail
from notifications.services import email_send
from tests.factories import EventFactory, EventKindFactory, RegistrationFactory
from tests.outbox import rendered_emails

from .helpers import run_in_threads

Status = EventReminder.Status


def make_event(*, starts_in: timedelta, offsets: list[int] | None = None, **kwargs: object) -> Event:
    kind = EventKindFactory(reminder_offsets_hours=offsets if offsets is not None else [168, 24])
    return EventFactory(kind=kind, starts_at=timezone.now() + starts_in, **kwargs)


def make_registration(
    event: Event, *, registered_ago: timedelta = timedelta(days=10), **kwargs: object
) -> Registration:
    registration = RegistrationFactory(event=event, **kwargs)
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - registered_ago)
    registration.refresh_from_db()
    return registration


def move(event: Event, by: timedelta) -> None:
    event.starts_at += by
    event.ends_at += by
    event.save()


def test_plan_creates_one_reminder_per_offset_for_confirmed_registrations_only(db: None) -> None:
    event = make_event(starts_in=timedelta(days=10))
    confirmed = make_registration(event)
    make_registration(event, status=Registration.Status.WAITLISTED)
    make_registration(event, status=Registration.Status.CANCELLED)

    reminders_plan()
    reminders_plan()

    rows = EventReminder.objects.order_by("-offset_hours")
    assert [(r.registration_id, r.offset_hours, r.status) for r in rows] == [
        (confirmed.pk, 168, Status.PLANNED),
        (confirmed.pk, 24, Status.PLANNED),
    ]
    assert rows[0].due_at == event.starts_at - timedelta(hours=168)
    assert rows[1].due_at == event.starts_at - timedelta(hours=24)


def test_reminder_already_past_when_registering_is_skipped(db: None) -> None:
    event = make_event(starts_in=timedelta(days=3))
    make_registration(event, registered_ago=timedelta(minutes=5))

    reminders_plan()

    assert dict(EventReminder.objects.values_list("offset_hours", "status")) == {
        168: Status.SKIPPED,
        24: Status.PLANNED,
    }


def test_due_reminder_is_queued_once_with_ticket_and_calendar_file(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=20), title_ko="마곡기술교류회")
    registration = make_registration(event)

    first = send_due_reminders()
    second = send_due_reminders()

    assert first["queued"] == 1 and second["queued"] == 0
    email = rendered_emails().get()
    reminder = EventReminder.objects.get(offset_hours=24)
    assert reminder.status == Status.QUEUED and reminder.email == email
    assert email.to == registration.email
    assert email.dedupe_key == f"reminder:{registration.pk}:24:{event.starts_at.isoformat()}"
    assert "내일 열리는 행사 안내: 마곡기술교류회" in email.subject
    assert registration.ticket_code in email.body_text
    assert [a["filename"] for a in email.attachments] == ["event.ics", "ticket.png"]

    assert email_send(email_id=email.pk)
    (message,) = mail.outbox
    ics = next(content for name, content, _ in message.attachments if name == "event.ics")
    (vevent,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert str(vevent["summary"]) == "마곡기술교류회"


def test_english_registrant_gets_the_reminder_in_english(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=20), title_en="Magok Tech Exchange")
    registration = make_registration(event, language="en")

    send_due_reminders()

    email = rendered_emails().get()
    assert email.language == "en"
    assert email.subject == "[Magok portal] Tomorrow: Magok Tech Exchange"
    assert f"Ticket number: {registration.ticket_code}" in email.body_text
    assert format_when(event.starts_at, "en") in email.body_text


def test_reminders_follow_a_moved_event(db: None) -> None:
    event = make_event(starts_in=timedelta(days=10))
    make_registration(event)
    reminders_plan()

    move(event, timedelta(days=3, hours=2))
    counts = reminders_plan()

    assert counts["retimed"] == 2
    for reminder in EventReminder.objects.all():
        assert reminder.status == Status.PLANNED
        assert reminder.event_starts_at == event.starts_at
        assert reminder.due_at == event.starts_at - timedelta(hours=reminder.offset_hours)


def test_moved_event_waits_for_retiming_before_sending(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=20))
    make_registration(event)
    reminders_plan()
    move(event, timedelta(days=5))

    assert reminders_queue_due() == 0  # the row was timed against the old start
    send_due_reminders()

    assert not rendered_emails().exists()
    assert EventReminder.objects.get(offset_hours=24).due_at == event.starts_at - timedelta(hours=24)


def test_sent_reminder_is_sent_again_after_a_large_move_only(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=20), offsets=[24])
    registration = make_registration(event)
    send_due_reminders()
    first = rendered_emails().get()

    move(event, timedelta(hours=2))  # small move: the "event changed" e-mail is enough
    send_due_reminders()
    assert rendered_emails().count() == 1
    assert EventReminder.objects.get().status == Status.QUEUED

    move(event, timedelta(days=7))  # postponed by a week: remind again the day before
    send_due_reminders()
    reminder = EventReminder.objects.get()
    assert reminder.status == Status.PLANNED and reminder.email is None
    assert reminder.due_at == event.starts_at - timedelta(hours=24)

    assert reminders_queue_due(now=reminder.due_at + timedelta(minutes=1)) == 1
    second = rendered_emails().exclude(pk=first.pk).get()
    assert second.to == registration.email
    assert second.dedupe_key != first.dedupe_key


def test_no_reminder_to_a_cancelled_registration(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=20))
    registration = make_registration(event)
    reminders_plan()
    registration.status = Registration.Status.CANCELLED
    registration.save()

    assert reminders_queue_due() == 0  # the claim checks the registration itself
    send_due_reminders()

    assert not rendered_emails().exists()
    assert set(EventReminder.objects.values_list("status", flat=True)) <= {Status.CANCELLED, Status.SKIPPED}


@pytest.mark.parametrize("status", [Event.Status.CANCELLED, Event.Status.DRAFT, Event.Status.FINISHED])
def test_no_reminder_for_an_event_not_published(db: None, status: str) -> None:
    event = make_event(starts_in=timedelta(hours=20))
    make_registration(event)
    reminders_plan()
    event.status = status
    event.save()

    send_due_reminders()

    assert not rendered_emails().exists()
    assert EventReminder.objects.get(offset_hours=24).status == Status.CANCELLED


def test_only_the_nearest_of_several_overdue_reminders_is_sent(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=20))
    make_registration(event, registered_ago=timedelta(days=30))

    send_due_reminders()

    assert dict(EventReminder.objects.values_list("offset_hours", "status")) == {168: Status.SKIPPED, 24: Status.QUEUED}
    assert rendered_emails().count() == 1


def test_no_reminders_for_past_events(db: None) -> None:
    event = make_event(starts_in=timedelta(hours=-1))
    make_registration(event)

    assert send_due_reminders() == {"planned": 0, "retimed": 0, "cancelled": 0, "queued": 0}
    assert not EventReminder.objects.exists()


def _queries_to_queue(count: int) -> int:
    event = make_event(starts_in=timedelta(hours=20), offsets=[24])
    for _ in range(count):
        make_registration(event)
    reminders_plan()
    with CaptureQueriesContext(connection) as context:
        assert reminders_queue_due() == count
    return len(context)


def test_queueing_a_batch_costs_the_same_queries_for_one_reminder_or_many(db: None) -> None:
    one = _queries_to_queue(1)
    Event.objects.update(status=Event.Status.FINISHED)
    five = _queries_to_queue(5)

    # Per batch: the locked SELECT (with the event, kind and registration), one INSERT of the
    # e-mails and one SELECT of their ids, the reminders' UPDATEs; nothing per reminder.
    assert five == one


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_queue_each_reminder_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from notifications import services

    monkeypatch.setattr(services, "email_prompt", lambda *, email_id: True)  # no broker here

    event = make_event(starts_in=timedelta(hours=20), offsets=[24])
    registrations = RegistrationFactory.build_batch(60, event=event)
    Registration.objects.bulk_create(registrations)
    Registration.objects.filter(event=event).update(created_at=timezone.now() - timedelta(days=3))
    reminders_plan()
    queued: list[int] = []
    errors = run_in_threads([lambda: queued.append(reminders_queue_due(batch_size=5))] * 4)

    assert errors == []
    assert sum(queued) == 60  # SKIP LOCKED: no row was taken by two runs
    assert rendered_emails().count() == 60
    assert EventReminder.objects.filter(status=Status.QUEUED, email__isnull=False).count() == 60


@pytest.mark.django_db(transaction=True)
def test_reminder_of_a_registration_being_cancelled_is_skipped_and_never_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from events.services import registration_cancel
    from notifications import services
    from tests.factories import StaffFactory

    monkeypatch.setattr(services, "email_prompt", lambda *, email_id: True)  # no broker here
    event = make_event(starts_in=timedelta(hours=10), offsets=[24])
    registration = make_registration(event, registered_ago=timedelta(days=3))
    staff = StaffFactory()
    reminders_plan()
    cancelling, commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def cancel() -> None:
        # A cancel that has written the registration but not committed yet.
        try:
            with transaction.atomic():
                registration_cancel(
                    registration=Registration.objects.select_related("event").get(pk=registration.pk), by=staff
                )
                cancelling.set()
                commit.wait(timeout=20)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=cancel)
    thread.start()
    assert cancelling.wait(timeout=20)
    try:
        assert reminders_queue_due() == 0  # the locked registration is skipped, not claimed
    finally:
        commit.set()
        thread.join(timeout=20)
    assert errors == []
    assert reminders_queue_due() == 0  # now it is cancelled
    assert not rendered_emails().filter(dedupe_key__startswith=f"reminder:{registration.pk}:").exists()


@pytest.mark.django_db(transaction=True)
def test_cancel_during_a_reminder_claim_waits_for_the_claim_to_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from events import reminders
    from events.services import registration_cancel
    from notifications import services
    from tests.factories import StaffFactory

    monkeypatch.setattr(services, "email_prompt", lambda *, email_id: True)  # no broker here
    event = make_event(starts_in=timedelta(hours=10), offsets=[24])
    registration = make_registration(event, registered_ago=timedelta(days=3))
    staff = StaffFactory()
    reminders_plan()
    original = reminders._queue_emails
    blocked: list[bool] = []
    threads: list[threading.Thread] = []

    def cancel() -> None:
        try:
            registration_cancel(
                registration=Registration.objects.select_related("event").get(pk=registration.pk), by=staff
            )
        finally:
            connection.close()

    def queue_while_cancelling(rows: list[EventReminder]) -> list[int]:
        thread = threading.Thread(target=cancel)
        thread.start()
        threads.append(thread)
        thread.join(timeout=1.5)
        blocked.append(thread.is_alive())  # the cancel must wait for the claimed registration
        return original(rows)

    monkeypatch.setattr(reminders, "_queue_emails", queue_while_cancelling)
    assert reminders_queue_due() == 1
    for thread in threads:
        thread.join(timeout=20)
    assert blocked == [True]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    # The reminder was queued before the cancel committed: the cancel came after it, in order.
    reminder = EventReminder.objects.get(registration=registration)
    assert reminder.status == Status.QUEUED
    assert reminder.queued_at is not None


def test_registration_promoted_from_the_waitlist_gets_no_reminder_already_due_at_promotion(db: None) -> None:
    from events.services import registration_cancel
    from tests.factories import StaffFactory

    event = make_event(starts_in=timedelta(hours=10), offsets=[168, 24], capacity=1)
    first = make_registration(event, registered_ago=timedelta(days=10), status=Registration.Status.CONFIRMED)
    waiting = make_registration(event, registered_ago=timedelta(days=3), status=Registration.Status.WAITLISTED)
    registration_cancel(registration=Registration.objects.select_related("event").get(pk=first.pk), by=StaffFactory())
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert waiting.confirmed_at is not None and waiting.confirmed_at > waiting.created_at

    reminders_plan()
    assert reminders_queue_due() == 0
    assert dict(EventReminder.objects.filter(registration=waiting).values_list("offset_hours", "status")) == {
        168: Status.SKIPPED,
        24: Status.SKIPPED,
    }
    assert not rendered_emails().filter(dedupe_key__startswith=f"reminder:{waiting.pk}:").exists()


def test_reminder_due_after_the_promotion_is_still_sent(db: None) -> None:
    from events.services import registration_cancel
    from tests.factories import StaffFactory

    event = make_event(starts_in=timedelta(days=3), offsets=[168, 24], capacity=1)
    first = make_registration(event, registered_ago=timedelta(days=10), status=Registration.Status.CONFIRMED)
    waiting = make_registration(event, registered_ago=timedelta(days=9), status=Registration.Status.WAITLISTED)
    registration_cancel(registration=Registration.objects.select_related("event").get(pk=first.pk), by=StaffFactory())

    reminders_plan()
    assert dict(EventReminder.objects.filter(registration=waiting).values_list("offset_hours", "status")) == {
        168: Status.SKIPPED,
        24: Status.PLANNED,
    }


def test_a_batch_queues_its_emails_once_and_prompts_only_the_new_ones(
    db: None, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notifications import services

    prompted: list[int] = []
    monkeypatch.setattr(services, "emails_prompt", lambda *, email_ids: prompted.extend(email_ids) or len(email_ids))
    monkeypatch.setattr(services, "email_prompt", lambda *, email_id: prompted.append(email_id) or True)
    event = make_event(starts_in=timedelta(hours=20), offsets=[24])
    registrations = [make_registration(event, registered_ago=timedelta(days=3)) for _ in range(4)]
    reminders_plan()
    # One of them was queued before (a run that committed its e-mail, then lost its reminder row).
    first = EventReminder.objects.get(registration=registrations[0])
    earlier = OutboundEmail.objects.create(
        to=registrations[0].email, kind="events.event_reminder", context={"registration": registrations[0].pk,
        "offset_hours": 24}, dedupe_key=reminder_dedupe_key(first), message_id="<earlier@example.kr>",
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_queue_due() == 4

    emails = dict(EventReminder.objects.values_list("registration_id", "email_id"))
    assert emails[registrations[0].pk] == earlier.pk
    assert OutboundEmail.objects.count() == 4 == len(set(emails.values()))
    assert sorted(prompted) == sorted(pk for pk in emails.values() if pk != earlier.pk)
    assert [e.to for e in rendered_emails().order_by("to")] == sorted(r.email for r in registrations)


def test_a_reminder_that_cannot_be_queued_fails_alone_and_the_rest_of_its_batch_is_queued(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from events import reminders

    event = make_event(starts_in=timedelta(hours=20), offsets=[24])
    registrations = [make_registration(event, registered_ago=timedelta(days=3)) for _ in range(3)]
    reminders_plan()
    real = reminders._reminder_email

    def broken_for_the_second(reminder: EventReminder):  # type: ignore[no-untyped-def]
        if reminder.registration_id == registrations[1].pk:
            raise ValueError("bad context")
        return real(reminder)

    monkeypatch.setattr(reminders, "_reminder_email", broken_for_the_second)
    assert reminders_queue_due() == 3

    statuses = dict(EventReminder.objects.values_list("registration_id", "status"))
    assert statuses == {
        registrations[0].pk: Status.QUEUED,
        registrations[1].pk: Status.FAILED,
        registrations[2].pk: Status.QUEUED,
    }
    assert "bad context" in EventReminder.objects.get(registration=registrations[1]).last_error
    assert sorted(e.to for e in rendered_emails()) == sorted([registrations[0].email, registrations[2].email])
