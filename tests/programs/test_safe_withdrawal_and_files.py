"""Issue 12: withdrawing asks first and can be undone while the call is open; every uploaded file
is shown with download and replace; a 보완 resubmission keeps the earlier versions and the first
submission time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programs.models import Application, ApplicationAttachment, SupersededAttachment
from programs.services import (
    ProgramError,
    application_attach,
    application_create,
    application_submit,
    application_transition,
    application_withdraw_undo,
)

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db
Status = Application.Status


def _upload(application, user, name="plan.pdf"):
    return application_attach(
        application=application,
        upload=SimpleUploadedFile(name, PDF_BYTES),
        by=user,
        document=application.call.documents.get(),
    )


@pytest.fixture
def submitted(open_call, representative):
    application = application_create(call=open_call, user=representative)
    application.contact_name, application.contact_email = "홍길동", representative.email
    application.consent_version, application.consented_at = "2027-01", timezone.now()
    application.save()
    _upload(application, representative)
    application_submit(application=application, by=representative)
    return application


# --- Withdrawal: a confirmation step, and undo while the call is open ---------------------------


def test_withdraw_asks_first_and_says_what_will_happen(client, representative, submitted):
    client.force_login(representative)
    detail = client.get(submitted.get_absolute_url()).content.decode()
    # The page offers a link to the confirmation step, not a one-click withdrawal.
    assert f'href="{reverse("programs:application_withdraw", args=[submitted.pk])}"' in detail
    assert f'action="{reverse("programs:application_withdraw", args=[submitted.pk])}"' not in detail

    page = client.get(reverse("programs:application_withdraw", args=[submitted.pk])).content.decode()
    assert "이 공고에 새 신청서를 낼 수 없습니다" in page
    assert "되돌릴 수 있습니다" in page
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # looking changes nothing

    response = client.post(reverse("programs:application_withdraw", args=[submitted.pk]), {"message": "일정 문제"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN


def test_withdrawal_is_undone_to_the_state_it_left_while_the_call_is_open(client, representative, submitted):
    client.force_login(representative)
    client.post(reverse("programs:application_withdraw", args=[submitted.pk]))
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert reverse("programs:application_withdraw_undo", args=[submitted.pk]) in page

    client.post(reverse("programs:application_withdraw_undo", args=[submitted.pk]))

    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert submitted.decided_at is None
    history = list(submitted.events.values_list("to_status", flat=True))
    assert history[-3:] == [Status.SUBMITTED, Status.WITHDRAWN, Status.SUBMITTED]


def test_a_withdrawn_draft_returns_to_a_draft(open_call, representative):
    application = application_create(call=open_call, user=representative)
    application_transition(application=application, to=Status.WITHDRAWN, by=representative)
    application_withdraw_undo(application=application, by=representative)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_no_undo_after_the_call_closed(client, representative, submitted):
    client.force_login(representative)
    client.post(reverse("programs:application_withdraw", args=[submitted.pk]))
    call = submitted.call
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.opens_at = call.closes_at - timedelta(days=10)
    call.save()

    assert reverse("programs:application_withdraw_undo", args=[submitted.pk]) not in (
        client.get(submitted.get_absolute_url()).content.decode()
    )
    with pytest.raises(ProgramError, match="마감"):
        application_withdraw_undo(application=submitted, by=representative)
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN


def test_a_member_who_may_not_withdraw_cannot_undo_either(client, member, submitted, representative):
    application_transition(application=submitted, to=Status.WITHDRAWN, by=representative)
    with pytest.raises(ProgramError):
        application_withdraw_undo(application=submitted, by=member)


# --- Files: shown, replaceable, earlier versions kept ---------------------------------------------


def test_a_draft_shows_its_uploaded_file_with_download_and_replace(client, open_call, representative):
    application = application_create(call=open_call, user=representative)
    attachment = _upload(application, representative, "사업계획서.pdf")
    client.force_login(representative)

    page = client.get(application.get_absolute_url()).content.decode()

    assert "사업계획서.pdf" in page
    assert attachment.get_absolute_url() in page
    assert "다른 파일을 고르면 이 파일을 교체합니다." in page


def test_replacing_in_a_draft_keeps_no_earlier_version(open_call, representative):
    application = application_create(call=open_call, user=representative)
    _upload(application, representative, "v1.pdf")
    _upload(application, representative, "v2.pdf")
    assert not SupersededAttachment.objects.exists()


def test_resubmission_keeps_the_earlier_file_and_the_first_submission_time(client, representative, staff, submitted):
    first_submitted_at = submitted.first_submitted_at
    assert first_submitted_at is not None
    original = ApplicationAttachment.objects.get(application=submitted)
    original_path = Path(original.file.path)
    application_transition(application=submitted, to=Status.INFO_REQUESTED, by=staff, message="서류 보완")

    _upload(submitted, representative, "plan-v2.pdf")
    application_submit(application=submitted, by=representative)

    submitted.refresh_from_db()
    assert submitted.status == Status.RESUBMITTED
    assert submitted.first_submitted_at == first_submitted_at
    assert submitted.submitted_at > first_submitted_at
    earlier = SupersededAttachment.objects.get(application=submitted)
    assert earlier.original_name == "plan.pdf"
    assert original_path.exists() and Path(earlier.file.path) == original_path
    current = ApplicationAttachment.objects.filter(application=submitted)
    assert list(current.values_list("original_name", flat=True)) == ["plan-v2.pdf"]
    client.force_login(representative)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "plan-v2.pdf" in page and "이전에 제출한 파일" in page and earlier.get_absolute_url() in page
    assert "최초 제출 일시" in page and "보완 제출 일시" in page
    download = client.get(earlier.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
