from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import OutboundEmail
from programs.models import Application, ApplicationEvent
from programs.services import (
    TRANSITIONS,
    IllegalTransition,
    ProgramError,
    application_attach,
    application_create,
    application_submit,
    application_transition,
    application_update,
)
from tests.factories import UserFactory

from .factories import PDF_BYTES, ApplicationFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def _attach_plan(application, user):
    application_update(application=application, by=user, consent=True)
    document = application.call.documents.get()
    application_attach(
        application=application,
        upload=SimpleUploadedFile("plan.pdf", PDF_BYTES),
        by=user,
        document=document,
    )


@pytest.fixture
def draft(open_call, representative):
    application = application_create(call=open_call, user=representative)
    _attach_plan(application, representative)
    return application


def test_create_records_the_draft_and_prefills_from_profile(open_call, representative, company):
    company.employee_count = 42
    company.business_registration_number = "123-45-67890"
    company.save()
    representative.phone = "02-1234-5678"
    representative.save()
    application = application_create(call=open_call, user=representative)
    assert application.status == S.DRAFT
    assert application.contact_email == representative.email
    assert application.contact_phone == "02-1234-5678"
    assert application.employee_count == 42
    assert application.business_registration_number == "123-45-67890"
    assert list(application.events.values_list("from_status", "to_status")) == [("", S.DRAFT)]


def test_one_application_per_company_per_call_is_a_database_constraint(open_call, company):
    from django.db import IntegrityError, transaction

    ApplicationFactory(call=open_call, company=company)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(call=open_call, company=company)


def test_second_apply_returns_the_existing_application(open_call, representative, member):
    first = application_create(call=open_call, user=representative)
    assert application_create(call=open_call, user=member) == first


def test_full_happy_path_is_recorded_with_who_and_message(draft, representative, staff):
    application_submit(application=draft, by=representative)
    application_transition(application=draft, to=S.SCREENING, by=staff)
    application_transition(application=draft, to=S.INFO_REQUESTED, by=staff, message="재무제표를 올려 주세요.")
    application_submit(application=draft, by=representative)
    application_transition(application=draft, to=S.SELECTED, by=staff, message="축하합니다.")
    draft.refresh_from_db()
    assert draft.status == S.SELECTED and draft.decided_at is not None
    events = list(draft.events.values_list("from_status", "to_status", "by", "message"))
    assert events == [
        ("", S.DRAFT, representative.pk, ""),
        (S.DRAFT, S.SUBMITTED, representative.pk, ""),
        (S.SUBMITTED, S.SCREENING, staff.pk, ""),
        (S.SCREENING, S.INFO_REQUESTED, staff.pk, "재무제표를 올려 주세요."),
        (S.INFO_REQUESTED, S.RESUBMITTED, representative.pk, ""),
        (S.RESUBMITTED, S.SELECTED, staff.pk, "축하합니다."),
    ]


def test_every_status_change_emails_the_company_in_its_language(draft, representative, staff):
    representative.language = "en"
    representative.save()
    application_submit(application=draft, by=representative)
    application_transition(application=draft, to=S.INFO_REQUESTED, by=staff, message="Please add the balance sheet.")
    emails = list(OutboundEmail.objects.order_by("created_at", "pk"))
    assert len(emails) == 2
    assert all(e.to == draft.contact_email and e.language == "en" for e in emails)
    assert "Please add the balance sheet." in emails[1].body_text
    assert "More information requested" in emails[1].subject


@pytest.mark.parametrize("from_status", list(S.values))
@pytest.mark.parametrize("to_status", list(S.values))
def test_no_illegal_transition(from_status, to_status, staff, company):
    """Every pair not in the table is refused and nothing is recorded."""
    application = ApplicationFactory(company=company, status=from_status)
    if to_status in TRANSITIONS[from_status]:
        return
    with pytest.raises(IllegalTransition):
        application_transition(application=application, to=to_status, by=staff, message="x")
    application.refresh_from_db()
    assert application.status == from_status
    assert not ApplicationEvent.objects.filter(application=application).exists()


def test_company_cannot_make_staff_moves(draft, representative):
    application_submit(application=draft, by=representative)
    for to in (S.SCREENING, S.SELECTED, S.REJECTED, S.INFO_REQUESTED):
        with pytest.raises(IllegalTransition):
            application_transition(application=draft, to=to, by=representative, message="m")
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_staff_cannot_submit_for_the_company(draft, staff):
    with pytest.raises(IllegalTransition):
        application_transition(application=draft, to=S.SUBMITTED, by=staff)


def test_plain_member_may_edit_but_not_submit_someone_elses_draft(draft, member):
    with pytest.raises(IllegalTransition):
        application_submit(application=draft, by=member)


def test_member_who_started_it_may_submit(open_call, member, representative):
    application = application_create(call=open_call, user=member)
    _attach_plan(application, member)
    application_submit(application=application, by=member)
    assert application.status == S.SUBMITTED


def test_outsider_cannot_withdraw(draft, other_representative):
    with pytest.raises(IllegalTransition):
        application_transition(application=draft, to=S.WITHDRAWN, by=other_representative)


def test_withdraw_before_decision_but_not_after(draft, representative, staff):
    application_submit(application=draft, by=representative)
    application_transition(application=draft, to=S.WITHDRAWN, by=representative, message="사정상 취소합니다.")
    assert draft.status == S.WITHDRAWN
    selected = ApplicationFactory(status=S.SELECTED)
    with pytest.raises(IllegalTransition):
        application_transition(application=selected, to=S.WITHDRAWN, by=staff)


def test_submit_needs_required_documents_and_answers(open_call, representative):
    from .factories import CallQuestionFactory

    question = CallQuestionFactory(call=open_call, label_ko="기술 개요")
    application = application_create(call=open_call, user=representative)
    with pytest.raises(ProgramError) as excinfo:
        application_submit(application=application, by=representative)
    assert "기술 개요" in str(excinfo.value) and "사업계획서" in str(excinfo.value)
    application.answers = {str(question.pk): "로봇 액추에이터"}
    application.save()
    _attach_plan(application, representative)
    application_submit(application=application, by=representative)
    assert application.status == S.SUBMITTED


def test_info_request_needs_a_message(draft, representative, staff):
    application_submit(application=draft, by=representative)
    with pytest.raises(ProgramError):
        application_transition(application=draft, to=S.INFO_REQUESTED, by=staff, message="  ")


def test_non_member_cannot_apply(open_call):
    with pytest.raises(ProgramError):
        application_create(call=open_call, user=UserFactory())


def test_ineligible_company_cannot_apply(representative, company):
    from .factories import CallFactory

    call = CallFactory(eligible_size_classes=["large"])
    with pytest.raises(ProgramError, match="대기업"):
        application_create(call=call, user=representative)
