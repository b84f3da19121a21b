from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import OutboundEmail
from notifications.services import (
    MAX_ATTEMPTS,
    EmailNotResendable,
    email_claim,
    email_queue,
    email_resend,
    email_send,
    outbox_due,
)

TEMPLATES = Path(__file__).parent / "templates"
Status = OutboundEmail.Status


@pytest.fixture(autouse=True)
def _test_templates(settings) -> None:
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}]


def record_prompts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    prompted: list[int] = []

    def prompt(*, email_id: int) -> bool:
        prompted.append(email_id)
        return True

    monkeypatch.setattr(services, "email_prompt", prompt)
    return prompted


def queue(**kwargs: object) -> OutboundEmail:
    email = email_queue(
        to="ceo@robotis.example.kr",
        template="celery_tests/confirmed",
        context={"name": "홍길동"},
        **kwargs,  # type: ignore[arg-type]
    )
    assert email is not None
    return email


def test_queue_prompts_the_send_after_commit_only(db: None, django_capture_on_commit_callbacks, monkeypatch) -> None:
    prompted = record_prompts(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue()
        assert prompted == []

    assert len(callbacks) == 1 and prompted == [email.pk]
    assert email.subject == "[마곡 포털] 참가 신청이 확정되었습니다"


def record_batches(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Each prompt after commit, as the list of e-mail ids it carried."""
    batches: list[list[int]] = []
    monkeypatch.setattr(services, "email_prompt", lambda *, email_id: batches.append([email_id]) or True)
    monkeypatch.setattr(
        services, "emails_prompt", lambda *, email_ids: batches.append(list(email_ids)) or len(email_ids)
    )
    return batches


def test_emails_queued_in_one_transaction_are_prompted_together(
    db: None, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    batches = record_batches(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        emails = [queue() for _ in range(3)]
    assert len(callbacks) == 1
    assert batches == [[email.pk for email in emails]]


def test_a_rolled_back_savepoint_loses_no_prompt_of_what_commits(
    db: None, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    batches = record_batches(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue()  # the batch's callback is registered inside this savepoint...
                raise RuntimeError
        except RuntimeError:
            pass
        kept = queue()  # ...and dropped with it: this e-mail starts a new batch
    assert batches == [[kept.pk]]
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_chunk_of_ids_is_split_into_tasks_of_prompt_chunk(monkeypatch) -> None:
    from notifications import tasks

    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.send_emails, "delay", lambda ids: sent.append(ids))
    assert services.emails_prompt(email_ids=list(range(1, 61))) == 60
    assert [len(chunk) for chunk in sent] == [
        services.PROMPT_CHUNK,
        services.PROMPT_CHUNK,
        60 - 2 * services.PROMPT_CHUNK,
    ]
    assert [i for chunk in sent for i in chunk] == list(range(1, 61))


def test_a_chunk_sends_each_once_and_stops_claiming_when_its_time_is_up(db: None, mailoutbox, monkeypatch) -> None:
    emails = [queue() for _ in range(4)]
    reprompted: list[list[int]] = []
    monkeypatch.setattr(services, "emails_prompt", lambda *, email_ids: reprompted.append(email_ids) or len(email_ids))

    assert services.emails_send(email_ids=[e.pk for e in emails[:2]]) == 2
    assert services.emails_send(email_ids=[e.pk for e in emails[:2]]) == 0  # already sent: nothing twice
    assert len(mailoutbox) == 2
    assert services.emails_send(email_ids=[e.pk for e in emails[2:]], time_budget=-1) == 0
    assert reprompted == [[e.pk for e in emails[2:]]]
    assert set(OutboundEmail.objects.filter(pk__in=[e.pk for e in emails[2:]]).values_list("status", flat=True)) == {
        OutboundEmail.Status.QUEUED
    }


def test_same_dedupe_key_is_queued_once(db: None) -> None:
    first = queue(dedupe_key="registration:1:confirmed")
    again = email_queue(
        to="x@example.kr", template="celery_tests/confirmed", context={}, dedupe_key="registration:1:confirmed"
    )
    assert again is None
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_claimed_email_is_sent_once(db: None) -> None:
    email = queue()

    assert email_send(email_id=email.pk) is True
    assert email_send(email_id=email.pk) is False

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1 and email.sent_at


def test_a_live_claim_is_not_taken_over_but_a_stale_one_is(db: None, settings) -> None:
    email = queue()
    assert email_claim(email_id=email.pk) is not None
    assert email_claim(email_id=email.pk) is None
    assert email.pk not in outbox_due(older_than=timedelta(0))

    later = timezone.now() + timedelta(seconds=settings.OUTBOX_STALE_CLAIM_SECONDS + 1)
    assert email_claim(email_id=email.pk, now=later) is not None
    assert email.pk in outbox_due(now=later + timedelta(seconds=settings.OUTBOX_STALE_CLAIM_SECONDS + 1))


def test_every_send_of_a_row_carries_the_rows_message_id(db: None) -> None:
    email, other = queue(), queue()
    assert email_send(email_id=email.pk) is True
    # The sender died after the SMTP server accepted the message and before it marked the row
    # sent: the row is still claimed, and the claim goes stale.
    long_ago = timezone.now() - timedelta(hours=1)
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.SENDING, sent_at=None, claimed_at=long_ago)
    assert email_send(email_id=email.pk) is True
    assert email_send(email_id=other.pk) is True

    email.refresh_from_db()
    first, duplicate, another = (message.message()["Message-ID"] for message in mail.outbox)
    assert first == duplicate == email.message_id
    assert another != first


def test_each_claim_counts_an_attempt(db: None) -> None:
    email = queue()
    assert email_claim(email_id=email.pk) is not None
    email.refresh_from_db()
    assert email.attempts == 1  # counted before anything is sent

    # That sender was killed; its claim goes stale and the next one takes the row over.
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert email_send(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 2


def test_a_killed_senders_email_is_taken_over_after_90_seconds(db: None) -> None:
    """docs/celery.md promises the resend within minutes (stale time + one sweep interval)."""
    email = queue()
    email_claim(email_id=email.pk)
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(seconds=91))

    assert outbox_due() == [email.pk]


def test_a_row_queued_without_a_message_id_gets_one_on_its_first_claim_and_keeps_it(db: None, settings) -> None:
    settings.DEFAULT_FROM_EMAIL = "마곡 포털 <noreply@portal.example.kr>"
    email = OutboundEmail.objects.create(to="old@example.kr", subject="queued before the migration", body_text="x")
    assert email.message_id == ""

    claimed = email_claim(email_id=email.pk)

    assert claimed is not None and claimed.message_id.endswith("@portal.example.kr>")
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert email_send(email_id=email.pk) is True
    assert mail.outbox[0].message()["Message-ID"] == claimed.message_id


def test_smtp_failure_requeues_until_max_attempts(db: None, settings) -> None:
    settings.EMAIL_BACKEND = "tests.celery.failing_backend.FailingBackend"
    email = queue()

    for _ in range(MAX_ATTEMPTS):
        assert email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == Status.FAILED and email.attempts == MAX_ATTEMPTS
    assert "SMTP is down" in email.last_error


def test_resend_requeues_a_failed_email_and_prompts_after_commit(
    db: None, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    prompted = record_prompts(monkeypatch)
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, attempts=MAX_ATTEMPTS, last_error="x")

    with django_capture_on_commit_callbacks(execute=True):
        email_resend(email=email)

    email.refresh_from_db()
    assert email.status == Status.QUEUED and email.attempts == 0
    assert prompted == [email.pk]
    assert email_send(email_id=email.pk) is True


def test_resend_refuses_an_email_being_sent(db: None) -> None:
    email = queue()
    email_claim(email_id=email.pk)
    with pytest.raises(EmailNotResendable):
        email_resend(email=email)


def test_prompt_fails_fast_and_backs_off_while_the_broker_is_down(db: None, settings, monkeypatch) -> None:
    from notifications.tasks import send_email

    calls: list[int] = []

    def down(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(send_email, "delay", down)
    started = time.monotonic()
    assert services.email_prompt(email_id=1) is False
    assert services.email_prompt(email_id=2) is False
    assert time.monotonic() - started < 1
    assert calls == [1]  # the second prompt did not try the broker again


def test_sweeper_prompts_old_queued_and_stale_emails_only(db: None, settings, monkeypatch) -> None:
    prompted = record_prompts(monkeypatch)
    fresh, old, sent, stale, live = (queue() for _ in range(5))
    long_ago = timezone.now() - timedelta(hours=1)
    OutboundEmail.objects.filter(pk__in=[old.pk, sent.pk, stale.pk, live.pk]).update(created_at=long_ago)
    OutboundEmail.objects.filter(pk=sent.pk).update(status=Status.SENT)
    OutboundEmail.objects.filter(pk=stale.pk).update(status=Status.SENDING, claimed_at=long_ago)
    OutboundEmail.objects.filter(pk=live.pk).update(status=Status.SENDING, claimed_at=timezone.now())

    assert services.outbox_sweep() == 2
    assert sorted(prompted) == sorted([old.pk, stale.pk])
