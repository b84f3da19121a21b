"""A member's request loads the application, then a colleague submits it or staff decide it before
the member's save or upload runs. The save must neither undo that change nor slip through."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Application, ApplicationAttachment
from programs.services import ProgramError, application_attach, application_transition, application_update

from .factories import PDF_BYTES, ApplicationFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def _fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_saving_a_stale_draft_does_not_undo_a_decision(company, member, staff):
    application = ApplicationFactory(company=company, created_by=member, status=Status.INFO_REQUESTED)
    stale = _fresh(application)  # the member's request loaded it ...
    application_transition(application=_fresh(application), to=Status.REJECTED, by=staff, message="부적격")

    with pytest.raises(ProgramError, match="작성 중이거나 보완 요청을 받은 신청서만"):
        application_update(application=stale, by=member, fields={"contact_phone": "010-1234-5678"})

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decided_at is not None
    assert application.contact_phone != "010-1234-5678"


def test_stale_save_keeps_the_submission_and_status_set_meanwhile(company, representative, member, staff):
    application = ApplicationFactory(company=company, created_by=representative)
    stale = _fresh(application)  # loaded as a draft
    application_transition(application=_fresh(application), to=Status.SUBMITTED, by=representative)
    application_transition(application=_fresh(application), to=Status.INFO_REQUESTED, by=staff, message="보완")
    submitted_at = _fresh(application).submitted_at

    # Editable again (information requested): the save goes through, on the fresh row.
    application_update(application=stale, by=member, fields={"contact_phone": "010-1234-5678"})

    application.refresh_from_db()
    assert application.contact_phone == "010-1234-5678"
    assert application.status == Status.INFO_REQUESTED
    assert application.submitted_at == submitted_at
    assert application.submitted_by_id == representative.pk
    # The caller's instance shows what is now stored.
    assert stale.status == Status.INFO_REQUESTED
    assert stale.contact_phone == "010-1234-5678"


def test_attach_refused_after_submission_by_colleague(company, representative, member):
    application = ApplicationFactory(company=company, created_by=representative)
    document = RequiredDocumentFactory(call=application.call, required=False)
    stale = _fresh(application)  # the member opened the draft ...
    application_transition(application=_fresh(application), to=Status.SUBMITTED, by=representative)

    with pytest.raises(ProgramError, match="작성 중이거나 보완 요청을 받은 신청서만"):
        application_attach(
            application=stale,
            upload=SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf"),
            by=member,
            document=document,
        )

    assert not ApplicationAttachment.objects.filter(application=application).exists()
    assert _fresh(application).status == Status.SUBMITTED
