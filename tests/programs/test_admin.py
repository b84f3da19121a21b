from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from programs.models import Application, ApplicationEvent, Outcome, Review
from programs.services import (
    application_attach,
    application_create,
    application_submit,
    application_update,
    review_assign,
    review_submit,
)
from tests.factories import CompanyFactory, RepresentativeFactory, UserFactory

from .factories import (
    PDF_BYTES,
    ApplicationFactory,
    CallFactory,
    CallQuestionFactory,
    OutcomeFactory,
    ProgramFactory,
    ReviewCriterionFactory,
)

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture
def submitted(open_call, representative):
    application = application_create(call=open_call, user=representative)
    application_update(application=application, by=representative, consent=True)
    application_attach(
        application=application,
        upload=SimpleUploadedFile("사업계획서.pdf", PDF_BYTES),
        by=representative,
        document=open_call.documents.get(),
    )
    application_submit(application=application, by=representative)
    return application


def test_call_list_counts_by_status(client, staff):
    call = CallFactory(title_ko="카운트 공고")
    for status in [S.DRAFT, S.SUBMITTED, S.SUBMITTED, S.SELECTED, S.WITHDRAWN]:
        ApplicationFactory(call=call, status=status)
    client.force_login(staff)
    page = client.get("/admin/programs/call/").content.decode()
    assert "카운트 공고" in page
    from programs.selectors import call_list_with_counts

    row = call_list_with_counts().get(pk=call.pk)
    assert (row.n_total, row.n_draft, row.n_submitted, row.n_selected, row.n_withdrawn) == (5, 1, 2, 1, 1)


def test_bulk_request_info_with_message_goes_through_the_service(client, staff, submitted):
    client.force_login(staff)
    url = "/admin/programs/application/"
    data = {"action": "mark_info_requested", "_selected_action": [submitted.pk]}
    intermediate = client.post(url, data)
    assert intermediate.status_code == 200
    assert "기업에 보낼 메시지" in intermediate.content.decode()
    response = client.post(url, {**data, "apply": "1", "message": "재무제표를 추가해 주세요."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.INFO_REQUESTED
    event = submitted.events.last()
    assert (event.by, event.message) == (staff, "재무제표를 추가해 주세요.")


def test_bulk_action_reports_illegal_transitions_and_keeps_the_others(client, staff, submitted):
    draft = ApplicationFactory(call=submitted.call, company=CompanyFactory())
    client.force_login(staff)
    client.post(
        "/admin/programs/application/",
        {"action": "mark_rejected", "_selected_action": [submitted.pk, draft.pk], "apply": "1", "message": ""},
    )
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert submitted.status == S.REJECTED
    assert draft.status == S.DRAFT
    assert not ApplicationEvent.objects.filter(application=draft, to_status=S.REJECTED).exists()


def test_assign_reviewers_action(client, staff, submitted):
    external = UserFactory(name="외부심사위원")
    client.force_login(staff)
    client.post(
        "/admin/programs/application/",
        {"action": "assign_reviewers", "_selected_action": [submitted.pk], "apply": "1", "reviewers": [external.pk]},
    )
    assert Review.objects.filter(application=submitted, reviewer=external, submitted_at=None).exists()


def test_assign_form_offers_staff_and_outsiders_not_company_members(client, staff, submitted):
    external = UserFactory(name="외부심사위원")
    member = RepresentativeFactory().user
    from programs.admin import AssignReviewersForm

    choices = set(AssignReviewersForm().fields["reviewers"].queryset)
    assert external in choices and staff in choices and member not in choices


def test_ranking_page_and_xlsx_export(client, staff, submitted):
    call = submitted.call
    criterion = ReviewCriterionFactory(call=call, weight=2, max_score=10)
    reviewer = UserFactory(name="심사위원A")
    review_submit(
        review=review_assign(application=submitted, reviewer=reviewer, by=staff), by=reviewer, scores={criterion.pk: 9}
    )
    client.force_login(staff)
    page = client.get(f"/admin/programs/call/{call.pk}/ranking/").content.decode()
    assert "90.00" in page and submitted.company.name_ko in page
    response = client.get(f"/admin/programs/call/{call.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == 1 and rows[1][1] == submitted.company.name_ko and rows[1][-1] == 90.0


def test_attachments_zip_has_one_folder_per_company(client, staff, submitted):
    client.force_login(staff)
    response = client.get(f"/admin/programs/call/{submitted.call.pk}/attachments.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{submitted.company.slug}/사업계획서.pdf"]
    assert archive.read(archive.namelist()[0]) == PDF_BYTES


def test_exports_need_staff(client, submitted, representative):
    client.force_login(representative)
    for suffix in ["ranking/", "export.xlsx", "attachments.zip"]:
        response = client.get(f"/admin/programs/call/{submitted.call.pk}/{suffix}")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_outcome_report_totals_by_programme_and_year(client, staff):
    collaboration = ProgramFactory(name_ko="마곡 대중소 협력사업")
    OutcomeFactory(program=collaboration, year=2026, mous_signed=1, joint_rnd=1, investment_krw=300_000_000, hires=2)
    OutcomeFactory(program=collaboration, year=2026, mous_signed=1, joint_rnd=0, investment_krw=0, hires=3)
    OutcomeFactory(program=collaboration, year=2025, mous_signed=4)
    client.force_login(staff)
    response = client.get("/admin/programs/outcome/report/")
    assert response.status_code == 200
    rows = response.context["rows"]
    row_2026 = next(r for r in rows if r["year"] == 2026)
    assert (row_2026["mous_signed"], row_2026["joint_rnd"], row_2026["investment_krw"], row_2026["hires"]) == (
        2,
        1,
        300_000_000,
        5,
    )
    assert row_2026["companies"] == 2
    assert response.context["grand"]["mous_signed"] == 6
    assert client.get("/admin/programs/outcome/").status_code == 200


def test_admin_change_pages_render(client, staff, submitted):
    client.force_login(staff)
    for url in [
        f"/admin/programs/application/{submitted.pk}/change/",
        f"/admin/programs/call/{submitted.call.pk}/change/",
        "/admin/programs/call/add/",
        "/admin/programs/program/",
        "/admin/programs/review/",
        "/admin/programs/outcome/add/",
    ]:
        assert client.get(url).status_code == 200, url


def test_application_page_shows_answers_with_braces_and_markup_safely(client, staff, submitted):
    question = CallQuestionFactory(call=submitted.call, label_ko="예산 계획")
    Application.objects.filter(pk=submitted.pk).update(answers={str(question.pk): "예산 {0} {} <b>굵게</b>"})
    client.force_login(staff)
    response = client.get(f"/admin/programs/application/{submitted.pk}/change/")
    assert response.status_code == 200
    assert "예산 {0} {} &lt;b&gt;굵게&lt;/b&gt;" in response.content.decode()


def test_outcome_admin_records_through_the_service_who_entered_the_figures(client, staff):
    program, company = ProgramFactory(), CompanyFactory()
    client.force_login(staff)
    form = {
        "company": company.pk,
        "program": program.pk,
        "application": "",
        "year": 2027,
        "patents_filed": 1,
        "export_contracts": 0,
        "export_amount_krw": 0,
        "mous_signed": 2,
        "joint_rnd": 0,
        "investment_krw": 0,
        "hires": 3,
        "partners": "이화의료원",
        "note": "",
    }
    assert client.post("/admin/programs/outcome/add/", form).status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.mous_signed, outcome.hires, outcome.source, outcome.reported_by) == (2, 3, "staff", staff)

    Outcome.objects.filter(pk=outcome.pk).update(source="company", reported_by=None)
    response = client.post(f"/admin/programs/outcome/{outcome.pk}/change/", {**form, "year": 2026, "hires": 4})
    assert response.status_code == 302
    moved = Outcome.objects.get()  # the same row, moved to 2026, not a second one
    assert (moved.pk, moved.year, moved.hires, moved.source, moved.reported_by) == (outcome.pk, 2026, 4, "staff", staff)
