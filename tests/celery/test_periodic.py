from __future__ import annotations

from datetime import UTC, timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from events.models import Event, EventReminder
from events.tasks import generate_series_occurrences, send_due_reminders
from magok.periodic import SCHEDULES
from notifications.models import OutboundEmail
from notifications.services import email_send
from notifications.tasks import sweep_outbox
from tests.events.factories import EventSeriesFactory, SalonSeriesFactory, expected_occurrences
from tests.factories import EventFactory, EventKindFactory, RegistrationFactory


def test_install_periodic_tasks_twice_creates_each_task_once(db: None) -> None:
    call_command("install_periodic_tasks", stdout=None)
    PeriodicTask.objects.filter(task="events.tasks.send_due_reminders").update(enabled=False)
    call_command("install_periodic_tasks", stdout=None)

    tasks = PeriodicTask.objects.exclude(task__startswith="celery.")
    assert sorted(tasks.values_list("task", flat=True)) == sorted(s.task for s in SCHEDULES)
    assert IntervalSchedule.objects.count() == len({s.every_minutes for s in SCHEDULES if s.every_minutes})
    crontabs = {tuple(sorted(s.crontab.items())) for s in SCHEDULES if s.crontab}
    assert CrontabSchedule.objects.filter(timezone="Asia/Seoul").count() == len(crontabs)
    # Staff switched the reminders off: installing again leaves them off.
    assert not PeriodicTask.objects.get(task="events.tasks.send_due_reminders").enabled
    daily = PeriodicTask.objects.get(task="events.tasks.generate_series_occurrences").crontab
    assert (daily.minute, daily.hour, daily.day_of_month, daily.day_of_week) == ("10", "3", "*", "*")


def test_install_dry_run_saves_nothing(db: None) -> None:
    call_command("install_periodic_tasks", "--dry-run", stdout=None)
    assert not PeriodicTask.objects.exclude(task__startswith="celery.").exists()


def test_generate_series_command_creates_the_occurrences_once(db: None) -> None:
    series = EventSeriesFactory(months_ahead=3)
    call_command("generate_series", stdout=None)
    call_command("generate_series", stdout=None)
    assert Event.objects.filter(series=series).count() == expected_occurrences(series) >= 2


def test_generate_series_dry_run_saves_nothing(db: None) -> None:
    EventSeriesFactory()
    call_command("generate_series", "--dry-run", stdout=None)
    assert not Event.objects.exists()


def test_every_scheduled_task_is_registered_under_its_stored_name() -> None:
    """The beat rows store task names as strings: a task moved to another module must keep
    its registered name, or the rows would point at nothing."""
    from magok.celery import app

    app.loader.import_default_modules()
    assert {s.task for s in SCHEDULES} <= set(app.tasks)


def test_every_periodic_task_run_twice_in_a_row_sends_and_creates_nothing_twice(db: None) -> None:
    forum = EventSeriesFactory(months_ahead=3)
    salon = SalonSeriesFactory(months_ahead=2)
    kind = EventKindFactory(reminder_offsets_hours=[24])
    event = EventFactory(kind=kind, starts_at=timezone.now() + timedelta(hours=20))
    registrations = RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory._meta.model.objects.filter(event=event).update(created_at=timezone.now() - timedelta(days=3))
    stuck = OutboundEmail.objects.create(to="stuck@example.kr", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=1))

    for _ in range(2):
        generate_series_occurrences()
        send_due_reminders()
        sweep_outbox()
    # The prompts the tasks queued after commit, delivered twice each (as a broker may).
    for _ in range(2):
        for email_id in OutboundEmail.objects.values_list("pk", flat=True):
            email_send(email_id=email_id)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([r.email for r in registrations] + ["stuck@example.kr"])
    assert EventReminder.objects.filter(status=EventReminder.Status.QUEUED).count() == 3
    for series in (forum, salon):
        dates = list(Event.objects.filter(series=series).values_list("occurrence_date", flat=True))
        assert dates and len(dates) == len(set(dates))
    assert Event.objects.filter(series=forum).count() == expected_occurrences(forum)


def test_celery_crontab_requires_day_of_month_and_day_of_week_both() -> None:
    """What docs/celery.md warns about: unlike Unix cron, Celery ANDs the two day fields."""
    from datetime import datetime

    from celery.schedules import crontab

    from magok.celery import app

    schedule = crontab(minute=0, hour=9, day_of_month="1-7", day_of_week="wed", app=app)
    runs, last = [], datetime(2027, 1, 1, 10, 0, tzinfo=UTC)
    for _ in range(3):
        start, delta = schedule.remaining_delta(last)[:2]
        runs.append((start + delta).date().isoformat())
        last = start + delta + timedelta(minutes=1)

    # Only Wednesdays within the 1st-7th (cron would also run every 1st-7th and every Wednesday).
    assert runs == ["2027-01-06", "2027-02-03", "2027-03-03"]
