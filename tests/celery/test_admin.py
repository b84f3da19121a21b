from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import EventReminder
from events.tasks import send_due_reminders
from notifications.models import OutboundEmail
from tests.factories import EventFactory, EventKindFactory, RegistrationFactory, StaffFactory


def _reminder() -> EventReminder:
    event = EventFactory(
        kind=EventKindFactory(reminder_offsets_hours=[24]), starts_at=timezone.now() + timedelta(hours=20)
    )
    registration = RegistrationFactory(event=event)
    registration._meta.model.objects.filter(pk=registration.pk).update(created_at=timezone.now() - timedelta(days=3))
    send_due_reminders()
    return EventReminder.objects.get(registration=registration)


def test_staff_see_emails_and_reminders_with_their_state(
    db: None, client: Client, django_assert_max_num_queries
) -> None:
    for _ in range(3):
        _reminder()
    OutboundEmail.objects.update(status=OutboundEmail.Status.FAILED, attempts=5, last_error="SMTP 554 rejected")
    client.force_login(StaffFactory())

    emails = client.get(reverse("admin:notifications_outboundemail_changelist"))
    with django_assert_max_num_queries(12):
        reminders = client.get(reverse("admin:events_eventreminder_changelist"))

    assert emails.status_code == 200 and reminders.status_code == 200
    assert "SMTP 554 rejected" in emails.content.decode()
    assert reminders.content.decode().count("실패") >= 3


def test_staff_resend_a_failed_email_from_the_admin(db: None, client: Client) -> None:
    reminder = _reminder()
    OutboundEmail.objects.update(status=OutboundEmail.Status.FAILED, attempts=5)
    client.force_login(StaffFactory())

    response = client.post(
        reverse("admin:notifications_outboundemail_changelist"),
        {"action": "resend", "_selected_action": [reminder.email_id]},
    )

    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.QUEUED and email.attempts == 0


def test_staff_resend_a_cancelled_reminder_plans_it_for_now(db: None, client: Client) -> None:
    reminder = _reminder()
    EventReminder.objects.filter(pk=reminder.pk).update(status=EventReminder.Status.CANCELLED, email=None)
    client.force_login(StaffFactory())

    client.post(
        reverse("admin:events_eventreminder_changelist"), {"action": "resend", "_selected_action": [reminder.pk]}
    )

    reminder.refresh_from_db()
    assert reminder.status == EventReminder.Status.PLANNED and reminder.due_at <= timezone.now()


def test_staff_generate_series_occurrences_now_from_the_admin(db: None, client: Client) -> None:
    from events.models import Event
    from tests.events.factories import EventSeriesFactory, expected_occurrences

    series = EventSeriesFactory(months_ahead=3)
    client.force_login(StaffFactory())

    for _ in range(2):
        response = client.post(
            reverse("admin:events_eventseries_changelist"), {"action": "generate_now", "_selected_action": [series.pk]}
        )
        assert response.status_code == 302

    assert Event.objects.filter(series=series).count() == expected_occurrences(series) > 0
