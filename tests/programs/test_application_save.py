"""``application_save``: the page's one call that saves the fields, attaches the files and
optionally submits, under one lock."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Application, CallQuestion
from programs.services import ProgramError, application_create, application_save

from .factories import PDF_BYTES, CallQuestionFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def _contact(user) -> dict:
    return {"contact_name": "대표", "contact_email": user.email}


def test_save_attach_and_submit_in_one_call(open_call, representative):
    application = application_create(call=open_call, user=representative)
    problems = application_save(
        application=application,
        by=representative,
        fields=_contact(representative),
        consent=True,
        uploads=[(open_call.documents.get(), SimpleUploadedFile("plan.pdf", PDF_BYTES))],
        submit=True,
    )
    assert problems == []
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.attachments.get().original_name == "plan.pdf"


def test_a_refused_file_keeps_the_rest_and_stops_the_submission(open_call, representative):
    application = application_create(call=open_call, user=representative)
    question = CallQuestionFactory(call=open_call, kind=CallQuestion.Kind.FILE, required=False)
    problems = application_save(
        application=application,
        by=representative,
        fields=_contact(representative),
        consent=True,
        uploads=[
            (question, SimpleUploadedFile("virus.exe", b"MZ\x90\x00")),
            (open_call.documents.get(), SimpleUploadedFile("plan.pdf", PDF_BYTES)),
        ],
        submit=True,
    )
    assert len(problems) == 1 and problems[0].startswith("virus.exe: ")
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.contact_name == "대표"
    assert [a.original_name for a in application.attachments.all()] == ["plan.pdf"]


def test_a_refused_submission_keeps_what_was_saved(open_call, representative):
    application = application_create(call=open_call, user=representative)
    problems = application_save(
        application=application, by=representative, fields=_contact(representative), consent=True, submit=True
    )
    assert problems and "사업계획서" in problems[0]
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.consented_at is not None


def test_refused_fields_write_nothing(open_call, representative):
    application = application_create(call=open_call, user=representative)
    question = CallQuestionFactory(call=open_call, kind=CallQuestion.Kind.NUMBER)
    with pytest.raises(ProgramError):
        application_save(
            application=application,
            by=representative,
            fields=_contact(representative),
            answers={question.pk: "열"},
            uploads=[(open_call.documents.get(), SimpleUploadedFile("plan.pdf", PDF_BYTES))],
        )
    application.refresh_from_db()
    assert application.contact_name != "대표" and not application.attachments.exists()
