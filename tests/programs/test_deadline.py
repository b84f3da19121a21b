"""Submission is allowed while now < closes_at, to the second, in Asia/Seoul."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from programs.models import Application
from programs.services import ProgramError, application_attach, application_create, application_submit

from .factories import PDF_BYTES, ApplicationFactory, CallFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
DEADLINE = datetime(2027, 3, 31, 18, 0, 0, tzinfo=SEOUL)


@pytest.fixture
def ready(representative, company):
    call = CallFactory(opens_at=DEADLINE - timedelta(days=30), closes_at=DEADLINE)
    document = RequiredDocumentFactory(call=call)
    application = ApplicationFactory(call=call, company=company, created_by=representative)
    application_attach(
        application=application,
        upload=SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf"),
        by=representative,
        document=document,
    )
    return application


def test_one_second_before_the_deadline_is_accepted(ready, representative):
    application_submit(application=ready, by=representative, now=DEADLINE - timedelta(seconds=1))
    ready.refresh_from_db()
    assert ready.status == Application.Status.SUBMITTED
    assert ready.submitted_at == DEADLINE - timedelta(seconds=1)


def test_exactly_at_the_deadline_is_refused_with_the_deadline_in_korean(ready, representative):
    with translation.override("ko"), pytest.raises(ProgramError) as excinfo:
        application_submit(application=ready, by=representative, now=DEADLINE)
    assert str(excinfo.value) == "접수 마감 시각(2027년 3월 31일 (수) 18:00:00)이 지나 제출할 수 없습니다."
    ready.refresh_from_db()
    assert ready.status == Application.Status.DRAFT
    assert not ready.events.filter(to_status=Application.Status.SUBMITTED).exists()


def test_after_the_deadline_is_refused(ready, representative):
    with pytest.raises(ProgramError):
        application_submit(application=ready, by=representative, now=DEADLINE + timedelta(seconds=1))


def test_deadline_is_seoul_time_not_utc(ready, representative):
    # 09:00:00 UTC is 18:00:00 in Seoul: already closed.
    utc_deadline = datetime(2027, 3, 31, 9, 0, 0, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(ProgramError):
        application_submit(application=ready, by=representative, now=utc_deadline)
    application_submit(application=ready, by=representative, now=utc_deadline - timedelta(seconds=1))


def test_cannot_start_an_application_after_the_deadline(representative):
    call = CallFactory(opens_at=DEADLINE - timedelta(days=30), closes_at=DEADLINE)
    with translation.override("ko"), pytest.raises(ProgramError, match="2027년 3월 31일 \\(수\\) 18:00:00"):
        application_create(call=call, user=representative, now=DEADLINE)
    assert application_create(call=call, user=representative, now=DEADLINE - timedelta(seconds=1)).pk


def test_cannot_start_before_the_call_opens(representative):
    call = CallFactory(opens_at=DEADLINE - timedelta(days=30), closes_at=DEADLINE)
    with pytest.raises(ProgramError):
        application_create(call=call, user=representative, now=DEADLINE - timedelta(days=31))


def test_page_shows_a_clear_message_after_the_deadline(client, ready, representative):
    """The deadline is enforced on the server: a POST after it is refused with a message."""
    call = ready.call
    call.opens_at = call.opens_at.replace(year=2020)
    call.closes_at = datetime(2021, 1, 4, 18, 0, 0, tzinfo=SEOUL)
    call.save()
    client.force_login(representative)
    response = client.post(
        ready.get_absolute_url(),
        {"action": "submit", "contact_name": "홍길동", "contact_email": "a@example.kr", "consent": "on"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert "접수 마감 시각(2021년 1월 4일 (월) 18:00:00)이 지나 제출할 수 없습니다." in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Application.Status.DRAFT
