"""End-to-end tests with a real Celery worker process, a private Redis and an SMTP sink.

The worker runs against the test database, so these tests use ``transactional_db``: rows
must be committed for the worker to see them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventReminder, Registration
from events.tasks import generate_series_occurrences, send_due_reminders
from magok.celery import app
from notifications.models import OutboundEmail
from notifications.tasks import sweep_outbox
from tests.events.factories import EventSeriesFactory, SalonSeriesFactory, expected_occurrences
from tests.factories import EventFactory, EventKindFactory, MembershipFactory, RegistrationFactory

from .processes import PrivateRedis, SmtpSink, Worker, use_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("celery-worker")]

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    original = app.conf.broker_url
    use_broker(server.url)
    try:
        yield server
    finally:
        use_broker(original)
        server.stop()


@pytest.fixture
def smtp_sink(request: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    sink = SmtpSink(delay=getattr(request, "param", 0.0))
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def worker(transactional_db: None, redis_server: PrivateRedis, smtp_sink: SmtpSink, tmp_path: Path) -> Iterator[Worker]:
    """A worker (not started): the test starts, kills and restarts it. Always torn down
    before the test database is flushed."""
    process = Worker(redis_url=redis_server.url, smtp_port=smtp_sink.port, log_dir=tmp_path)
    try:
        yield process
    finally:
        process.kill()


def _confirmed_registrations(count: int, *, starts_in: timedelta = timedelta(hours=20)) -> list[Registration]:
    event = EventFactory(kind=EventKindFactory(reminder_offsets_hours=[24]), starts_at=timezone.now() + starts_in)
    registrations = RegistrationFactory.build_batch(count, event=event)
    Registration.objects.bulk_create(registrations)
    # Registered well before the reminder time, so the reminder is owed.
    Registration.objects.filter(event=event).update(created_at=timezone.now() - timedelta(days=3))
    return list(Registration.objects.filter(event=event))


def _all_sent() -> bool:
    return not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()


def test_every_periodic_task_twice_through_the_worker_sends_and_creates_nothing_twice(
    worker: Worker, smtp_sink: SmtpSink
) -> None:
    forum = EventSeriesFactory(months_ahead=3)
    salon = SalonSeriesFactory(months_ahead=2)
    registrations = _confirmed_registrations(3)
    stuck = OutboundEmail.objects.create(to="stuck@example.kr", subject="stuck", body_text="never prompted")
    OutboundEmail.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=1))
    worker.start()

    for task in (generate_series_occurrences, send_due_reminders, sweep_outbox) * 2:
        task.delay()
    expected = sorted([r.email for r in registrations] + ["stuck@example.kr"])
    wait_for(lambda: len(smtp_sink.messages) >= len(expected) and _all_sent(), timeout=30, what="the e-mails")
    # Once more, as beat would on its next tick, then give stray duplicates time to arrive.
    for task in (generate_series_occurrences, send_due_reminders, sweep_outbox):
        task.delay()
    time.sleep(2)

    assert sorted(to for m in smtp_sink.messages for to in m.to) == expected
    assert EventReminder.objects.filter(status=EventReminder.Status.QUEUED).count() == 3
    for series in (forum, salon):
        dates = list(Event.objects.filter(series=series).values_list("occurrence_date", flat=True))
        assert len(dates) == len(set(dates)) == expected_occurrences(series) > 0


def test_a_reminder_run_goes_out_in_chunks_over_few_smtp_connections(worker: Worker, smtp_sink: SmtpSink) -> None:
    """One reminder run queues 120 e-mails in two claimed batches; they reach the worker as
    chunks (notifications.services.PROMPT_CHUNK), each sent over one SMTP connection."""
    from notifications.services import PROMPT_CHUNK

    registrations = _confirmed_registrations(120)
    worker.start()
    send_due_reminders.delay()
    wait_for(lambda: len(smtp_sink.messages) >= 120 and _all_sent(), timeout=60, what="120 reminders")

    assert smtp_sink.count_by_recipient() == {r.email: 1 for r in registrations}
    connections = {message.peer for message in smtp_sink.messages}
    # 120 e-mails in chunks of 25: at most 5 chunks per claimed batch, a connection each.
    assert 1 <= len(connections) <= 2 * -(-120 // PROMPT_CHUNK), len(connections)


@pytest.mark.parametrize("smtp_sink", [0.03], indirect=True)
def test_sigkill_while_sending_200_reminders_loses_none(worker: Worker, smtp_sink: SmtpSink) -> None:
    registrations = _confirmed_registrations(200)
    worker.start()
    send_due_reminders.delay()

    kills = 0
    for threshold in (50, 120):
        wait_for(lambda t=threshold: len(smtp_sink.messages) >= t, timeout=40, what=f"{threshold} e-mails")
        worker.kill()
        kills += 1
        worker.start()
        # Beat's next tick: a reminder run killed mid-way keeps its message until the
        # visibility timeout, and its uncommitted batch is claimable again.
        send_due_reminders.delay()
    # Beat keeps running the periodic tasks; here the test plays beat.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (_all_sent() and len(smtp_sink.count_by_recipient()) == 200):
        send_due_reminders.delay()
        sweep_outbox.delay()
        time.sleep(1.5)

    received = smtp_sink.count_by_recipient()
    assert set(received) == {r.email for r in registrations}, "every registrant got the reminder"
    assert _all_sent()
    assert EventReminder.objects.filter(status=EventReminder.Status.QUEUED).count() == 200
    duplicates = sum(received.values()) - 200
    print(f"SIGKILL test: {kills} kills, {sum(received.values())} e-mails received, {duplicates} duplicates")
    # At most one e-mail per pool process can be between "SMTP accepted" and "marked sent"
    # when the worker is killed; every other step is a database transaction or a claim.
    assert duplicates <= kills * Worker.concurrency, received.most_common(5)
    # A duplicate is recognisable: it repeats the first send's Message-ID, and its row counts
    # the killed attempt.
    message_ids: dict[str, set[str]] = {}
    for message in smtp_sink.messages:
        for to in message.to:
            message_ids.setdefault(to, set()).add(message.message_id)
    assert all(len(ids) == 1 for ids in message_ids.values()), [ids for ids in message_ids.values() if len(ids) > 1]
    duplicated = [to for to, count in received.items() if count > 1]
    attempts = OutboundEmail.objects.filter(to__in=duplicated).values_list("attempts", flat=True)
    assert all(count >= 2 for count in attempts), list(attempts)


def test_registration_succeeds_while_redis_is_down_and_its_email_arrives_once(
    worker: Worker, redis_server: PrivateRedis, smtp_sink: SmtpSink, settings, client
) -> None:
    # As in production, the cache lives in the same Redis as the broker.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis_server.url}}
    event = EventFactory()
    member = MembershipFactory(user__email="outage@example.kr").user
    client.force_login(member)
    redis_server.stop()

    # Register through the site. The e-mail's send prompt fails (broker down) and must
    # neither hang the request nor lose the registration or its e-mail.
    started = time.monotonic()
    response = client.post(
        reverse("events:register", kwargs={"pk": event.pk}),
        {"include_self": "on", "consent": "on", "colleagues-TOTAL_FORMS": "0", "colleagues-INITIAL_FORMS": "0"},
    )
    registration = Registration.objects.get(event=event, email="outage@example.kr")
    elapsed = time.monotonic() - started

    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("events:registered", kwargs={"pk": event.pk})
    assert elapsed < 5, f"registering took {elapsed:.1f}s with Redis down"
    assert registration.status == Registration.Status.CONFIRMED
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED

    redis_server.start()
    use_broker(redis_server.url)
    worker.start()
    wait_for(
        lambda: sweep_outbox.delay() and smtp_sink.count_by_recipient()["outage@example.kr"] >= 1,
        timeout=30,
        interval=1,
        what="the confirmation after Redis came back",
    )
    for _ in range(3):
        sweep_outbox.delay()
    time.sleep(2)

    assert smtp_sink.count_by_recipient() == {"outage@example.kr": 1}
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
