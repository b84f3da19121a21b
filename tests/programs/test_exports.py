from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from programs.exports import call_attachments_zip, call_result_rows, call_results_xlsx
from programs.models import Application, ApplicationAttachment, CallQuestion
from programs.services import application_attach, review_assign, review_submit
from tests.factories import CompanyFactory, UserFactory

from .factories import PDF_BYTES, ApplicationFactory, CallQuestionFactory, ReviewCriterionFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def test_result_rows_follow_the_ranking_with_contacts_and_answers(open_call, staff):
    question = CallQuestionFactory(call=open_call, label_ko="기술 개요")
    CallQuestionFactory(call=open_call, label_ko="사업계획 파일", kind=CallQuestion.Kind.FILE)
    criterion = ReviewCriterionFactory(call=open_call, weight=1, max_score=10)
    weaker, stronger, unreviewed = (
        ApplicationFactory(
            call=open_call,
            company=CompanyFactory(name_ko=name),
            status=S.SUBMITTED,
            contact_name=f"{name} 담당",
            answers={str(question.pk): f"{name}의 기술"},
        )
        for name in ["가", "나", "다"]
    )
    ApplicationFactory(call=open_call, status=S.DRAFT)  # drafts are not results
    for application, score in [(weaker, 6), (stronger, 9)]:
        reviewer = UserFactory()
        review = review_assign(application=application, reviewer=reviewer, by=staff)
        review_submit(review=review, by=reviewer, scores={criterion.pk: score})
    header, *rows = list(call_result_rows(call=open_call))
    assert header[:2] == ["순위", "기업"] and header[7] == "기술 개요" and "사업계획 파일" not in header
    assert [row[:2] for row in rows] == [[1, "나"], [2, "가"], [None, "다"]]
    assert rows[0][4] == "나 담당" and rows[0][7] == "나의 기술"
    assert rows[0][-2:] == [1, 90.0] and rows[2][-2:] == [0, None]


def test_results_xlsx_holds_the_result_rows(open_call):
    ApplicationFactory(call=open_call, status=S.SUBMITTED, contact_name="=1+1")
    sheet = load_workbook(io.BytesIO(call_results_xlsx(call=open_call))).active
    assert sheet.title == "applications"
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4] == "'=1+1"


def test_attachments_zip_names_same_name_files_apart_and_skips_missing_files(open_call, representative, company):
    application = ApplicationFactory(call=open_call, company=company, created_by=representative)
    document = open_call.documents.get()
    question = CallQuestionFactory(call=open_call, kind=CallQuestion.Kind.FILE)
    first = application_attach(
        application=application, upload=SimpleUploadedFile("plan.pdf", PDF_BYTES), by=representative, document=document
    )
    second = application_attach(
        application=application, upload=SimpleUploadedFile("plan.pdf", PDF_BYTES), by=representative, question=question
    )
    lost = ApplicationFactory(call=open_call, company=CompanyFactory(slug="lost-files"))
    ApplicationAttachment.objects.create(
        application=lost,
        document=document,
        original_name="gone.pdf",
        content_type="application/pdf",
        size=1,
        file="programs/missing/gone.pdf",
    )
    with call_attachments_zip(call=open_call) as spool:
        archive = zipfile.ZipFile(spool)
        names = sorted(archive.namelist())
        assert names == sorted([f"{company.slug}/plan.pdf", f"{company.slug}/plan-{max(first.pk, second.pk)}.pdf"])
        assert archive.read(f"{company.slug}/plan.pdf") == PDF_BYTES
