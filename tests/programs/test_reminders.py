from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from programs.models import Application
from programs.services import draft_reminders_send
from programs.tasks import remind_unsubmitted_drafts

from .factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_reminders_three_days_and_one_day_before_each_once():
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(days=3) - timedelta(minutes=5))
    draft = ApplicationFactory(call=call)
    ApplicationFactory(call=call, status=Application.Status.SUBMITTED)  # not a draft: no reminder

    assert draft_reminders_send(now=now) == 1
    assert draft_reminders_send(now=now) == 0  # run twice: nothing more
    assert remind_unsubmitted_drafts() == 0  # the task too
    [email] = OutboundEmail.objects.all()
    assert email.to == draft.contact_email
    assert email.dedupe_key.startswith(f"programs:draft-reminder:{draft.pk}:")
    assert email.dedupe_key.endswith(":3d")
    assert call.title_ko in email.subject

    one_day_before = call.closes_at - timedelta(hours=23)
    assert draft_reminders_send(now=one_day_before) == 1
    assert draft_reminders_send(now=one_day_before) == 0
    assert OutboundEmail.objects.filter(dedupe_key__endswith=":1d", to=draft.contact_email).exists()
    assert OutboundEmail.objects.count() == 2


def test_no_reminder_too_early_or_after_the_deadline():
    now = timezone.now()
    ApplicationFactory(call=CallFactory(closes_at=now + timedelta(days=4)))
    ApplicationFactory(call=CallFactory(opens_at=now - timedelta(days=10), closes_at=now - timedelta(seconds=1)))
    assert draft_reminders_send(now=now) == 0
    assert not OutboundEmail.objects.exists()


def test_no_draft_reminder_for_unpublished_call():
    now = timezone.now()
    ApplicationFactory(call=CallFactory(closes_at=now + timedelta(hours=20), is_published=False))
    assert draft_reminders_send(now=now) == 0
    assert not OutboundEmail.objects.exists()


def test_extended_deadline_reminds_again():
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(hours=20))
    draft = ApplicationFactory(call=call)
    assert draft_reminders_send(now=now) == 1

    # Staff extend the deadline by a week; a day before the new deadline the draft is reminded again.
    call.closes_at += timedelta(days=7)
    call.save()
    later = call.closes_at - timedelta(hours=20)
    assert draft_reminders_send(now=later) == 1
    assert draft_reminders_send(now=later) == 0
    assert OutboundEmail.objects.filter(to=draft.contact_email).count() == 2


def test_reminder_is_in_the_applicants_language():
    now = timezone.now()
    draft = ApplicationFactory(call=CallFactory(closes_at=now + timedelta(hours=20)))
    draft.created_by.language = "en"
    draft.created_by.save()
    draft_reminders_send(now=now)
    email = OutboundEmail.objects.get()
    assert email.language == "en"
    assert "not been submitted" in email.subject


def test_schedule_is_registered():
    from magok.periodic import SCHEDULES

    assert any(s.task == "programs.tasks.remind_unsubmitted_drafts" for s in SCHEDULES)
