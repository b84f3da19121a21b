from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programs.models import Application, Outcome
from programs.services import application_transition

from .factories import PDF_BYTES, CallFactory, CallQuestionFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def test_public_list_shows_open_calls_with_deadline(client, open_call):
    closed = CallFactory(
        program=open_call.program,
        title_ko="지난 공고",
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=30),
    )
    page = client.get("/programs/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert open_call.title_ko in page and closed.title_ko not in page
    assert f"{timezone.localtime(open_call.closes_at).year}년" in page


def test_call_page_explains_eligibility_to_the_public(client):
    call = CallFactory(eligible_size_classes=["sme", "startup"], eligible_move_in_statuses=["moved_in"])
    page = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "기업 규모: 중소기업, 스타트업" in page
    assert "로그인" in page


def test_call_page_tells_an_ineligible_member_exactly_why(client, representative):
    call = CallFactory(eligible_size_classes=["large"])
    client.force_login(representative)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "귀사의 기업 규모는 중소기업입니다" in page
    assert "신청서 작성" not in page


def test_apply_submit_info_request_resubmit_via_pages(client, representative, staff, open_call):
    question = CallQuestionFactory(call=open_call, label_ko="기술 개요")
    document = open_call.documents.get()
    client.force_login(representative)
    response = client.post(f"/programs/calls/{open_call.pk}/apply/")
    application = Application.objects.get()
    assert response["Location"] == application.get_absolute_url()
    page = client.get(application.get_absolute_url()).content.decode()
    assert representative.email in page  # pre-filled contact

    client.post(
        application.get_absolute_url(),
        {
            "action": "save",
            "contact_name": "대표",
            "contact_email": representative.email,
            f"q_{question.pk}": "다관절 로봇",
        },
    )
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.answers == {str(question.pk): "다관절 로봇"}

    submit = {
        "action": "submit",
        "contact_name": "대표",
        "contact_email": representative.email,
        f"q_{question.pk}": "다관절 로봇",
        f"doc_{document.pk}": SimpleUploadedFile("plan.pdf", PDF_BYTES),
    }
    refused = client.post(application.get_absolute_url(), submit, follow=True).content.decode()
    assert "개인정보 수집·이용에 동의해 주세요." in refused
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.consented_at is None

    # The document uploaded with the refused attempt was kept; now only the consent is added.
    del submit[f"doc_{document.pk}"]
    client.post(application.get_absolute_url(), {**submit, "consent": "on"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.consent_version == "2027-01"

    application_transition(application=application, to=S.INFO_REQUESTED, by=staff, message="특허 목록을 적어 주세요.")
    page = client.get(application.get_absolute_url()).content.decode()
    assert "특허 목록을 적어 주세요." in page and "보완 제출" in page
    client.post(
        application.get_absolute_url(),
        {
            "action": "submit",
            "contact_name": "대표",
            "contact_email": representative.email,
            f"q_{question.pk}": "다관절 로봇, 특허 3건",
        },
    )
    application.refresh_from_db()
    assert application.status == S.RESUBMITTED
    assert application.answers[str(question.pk)] == "다관절 로봇, 특허 3건"


def test_submitted_application_cannot_be_edited_by_post(client, representative, open_call):
    from programs.services import application_create

    application = application_create(call=open_call, user=representative)
    application.status = S.SUBMITTED
    application.save()
    client.force_login(representative)
    client.post(application.get_absolute_url(), {"action": "save", "contact_name": "바뀐 이름"})
    application.refresh_from_db()
    assert application.contact_name != "바뀐 이름"


def test_withdraw_from_the_page(client, representative, open_call):
    from programs.services import application_create

    application = application_create(call=open_call, user=representative)
    client.force_login(representative)
    client.post(f"/programs/applications/{application.pk}/withdraw/", {"message": "내부 사정"})
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.events.last().message == "내부 사정"


def test_selected_company_reports_outcomes(client, representative, open_call, company):
    from programs.services import application_create

    application = application_create(call=open_call, user=representative)
    Application.objects.filter(pk=application.pk).update(status=S.SELECTED)
    client.force_login(representative)
    response = client.post(
        f"/programs/applications/{application.pk}/outcome/",
        {
            "year": 2027,
            "patents_filed": 2,
            "export_contracts": 0,
            "export_amount_krw": 0,
            "mous_signed": 1,
            "joint_rnd": 1,
            "investment_krw": 0,
            "hires": 3,
            "partners": "이화의료원",
            "note": "",
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.company, outcome.mous_signed, outcome.hires, outcome.source) == (company, 1, 3, "company")


def test_pages_render_in_english(client, open_call, representative):
    client.cookies["magok_language"] = "en"
    page = client.get("/programs/").content.decode()
    assert "Support programmes" in page
    client.force_login(representative)
    assert client.get(open_call.get_absolute_url()).status_code == 200
    assert client.get("/programs/applications/").status_code == 200
    assert client.get("/programs/reviews/").status_code == 200


def test_public_list_shows_eligibility_in_plain_words(client):
    CallFactory(eligible_size_classes=["startup"])
    page = client.get("/programs/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "기업 규모: 스타트업" in page


def test_xlsx_export_neutralises_formulas(client, staff, representative, open_call):
    import io

    from openpyxl import load_workbook

    from .factories import ApplicationFactory

    ApplicationFactory(call=open_call, contact_name='=HYPERLINK("http://evil")', status=S.SUBMITTED)
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(client.get(f"/admin/programs/call/{open_call.pk}/export.xlsx").content)).active
    assert sheet.cell(row=2, column=5).value == '\'=HYPERLINK("http://evil")'


def test_outcome_page_with_a_bad_year_falls_back_to_this_year(client, representative, open_call):
    from programs.services import application_create

    application = application_create(call=open_call, user=representative)
    Application.objects.filter(pk=application.pk).update(status=S.SELECTED)
    client.force_login(representative)
    response = client.get(f"/programs/applications/{application.pk}/outcome/", {"year": "abc"})
    assert response.status_code == 200
