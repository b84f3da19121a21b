"""접수번호 (receipt numbers), the receipt e-mail with a summary of what was submitted, and the
decision letters that say what comes next, without "(으)로"-style placeholders."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import OutboundEmail
from programs.models import Application, ReceiptCounter
from programs.services import (
    application_attach,
    application_create,
    application_submit,
    application_transition,
    application_update,
    receipt_number_next,
)
from tests.factories import CompanyFactory, RepresentativeFactory, StaffFactory

from .factories import PDF_BYTES, CallFactory, CallQuestionFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db
S = Application.Status
SEOUL = ZoneInfo("Asia/Seoul")


def _submitted(call, user):
    application = application_create(call=call, user=user)
    answers = {q.pk: "자율주행 로봇 실증" for q in call.questions.all()}
    application_update(application=application, by=user, consent=True, answers=answers)
    application_attach(
        application=application,
        upload=SimpleUploadedFile("사업계획서.pdf", PDF_BYTES),
        by=user,
        document=call.documents.get(),
    )
    return application_submit(application=application, by=user)


@pytest.fixture
def call():
    call = CallFactory(title_ko="2027년 기술사업화 지원 공고")
    RequiredDocumentFactory(call=call)
    CallQuestionFactory(call=call, label_ko="사업 아이템")
    return call


def test_submission_gets_a_readable_unique_receipt_number(call, representative):
    application = _submitted(call, representative)
    year = datetime.now(SEOUL).year
    assert re.fullmatch(rf"SBA-{year}-\d{{6}}", application.receipt_number)
    other = RepresentativeFactory(company=CompanyFactory()).user
    second = _submitted(call, other)
    first_number = int(application.receipt_number.rsplit("-", 1)[1])
    assert second.receipt_number == f"SBA-{year}-{first_number + 1:06d}"


def test_the_number_is_kept_through_review_and_resubmission(call, representative):
    application = _submitted(call, representative)
    number = application.receipt_number
    staff = StaffFactory()
    application_transition(application=application, to=S.INFO_REQUESTED, by=staff, message="재무제표 추가")
    application_submit(application=application, by=representative)
    application.refresh_from_db()
    assert application.status == S.RESUBMITTED and application.receipt_number == number


def test_numbers_restart_each_year_in_seoul_time():
    # 2027-12-31 23:30 in Seoul (14:30 UTC) is 2027 there; 00:30 on 1 January is 2028.
    late = datetime(2027, 12, 31, 23, 30, tzinfo=SEOUL)
    early = datetime(2028, 1, 1, 0, 30, tzinfo=SEOUL)  # 2027-12-31 15:30 UTC, Seoul's 2028
    assert receipt_number_next(now=late) == "SBA-2027-000001"
    assert receipt_number_next(now=late) == "SBA-2027-000002"
    assert receipt_number_next(now=early) == "SBA-2028-000001"
    assert ReceiptCounter.objects.get(year=2027).last == 2


def test_receipt_email_lists_the_number_and_what_was_submitted(call, representative):
    application = _submitted(call, representative)
    email = OutboundEmail.objects.get(to=application.contact_email)
    assert application.receipt_number in email.subject
    body = email.body_text
    assert f"접수번호는 {application.receipt_number}입니다" in body
    assert "- 사업 아이템: 자율주행 로봇 실증" in body
    assert "- 사업계획서: 사업계획서.pdf" in body
    assert f"- 담당자: {application.contact_name}" in body
    assert "다음 단계" in body
    assert application.receipt_number in email.body_html and "<table" in email.body_html


def test_receipt_number_is_shown_on_the_pages_and_in_the_api(client, call, representative):
    application = _submitted(call, representative)
    client.force_login(representative)
    for url in (reverse("programs:application_list"), application.get_absolute_url()):
        assert application.receipt_number in client.get(url).content.decode()
    client.logout()
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=representative)
    data = client.get(f"/api/v1/applications/{application.pk}/", headers={"Authorization": f"Token {token.key}"}).json()
    assert data["receipt_number"] == application.receipt_number


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (S.SELECTED, ["상태가 선정으로 바뀌었습니다", "선정을 축하드립니다", "협약"]),
        (S.REJECTED, ["상태가 미선정으로 바뀌었습니다", "다른 지원사업과 다음 공고", "/programs/"]),
    ],
)
def test_decision_letters_say_what_comes_next(call, representative, to, expected):
    application = _submitted(call, representative)
    staff = StaffFactory()
    if to == S.SELECTED:
        application_transition(application=application, to=S.SCREENING, by=staff)
    application_transition(application=application, to=to, by=staff)
    letter = OutboundEmail.objects.filter(to=application.contact_email).latest("pk")
    for phrase in expected:
        assert phrase in letter.body_text, letter.body_text
    assert application.receipt_number in letter.body_text
    assert "(으)" not in letter.body_text and "은(는)" not in letter.body_text


def test_screening_letter_chooses_the_particle(call, representative):
    application = _submitted(call, representative)
    application_transition(application=application, to=S.SCREENING, by=StaffFactory())
    letter = OutboundEmail.objects.filter(to=application.contact_email).latest("pk")
    assert "상태가 심사 중으로 바뀌었습니다" in letter.body_text
