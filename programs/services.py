"""Every write in the programmes app goes through these functions.

The application's life is an explicit transition table (``TRANSITIONS``); each change is
recorded as an ``ApplicationEvent`` and e-mailed to the applicant through the outbox.

Who may do what (decided here, documented in the README of the app):
- Any approved member of a company may start and edit its drafts and upload documents.
- Submitting, resubmitting and withdrawing need the company's representative or the member
  who started the application.
- Staff (``is_staff``) move applications through screening and decide them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record, snapshot
from magok.dates import format_datetime_seconds
from magok.errors import DomainError
from notifications.services import email_queue

from .answers import answer_clean
from .consent import PROGRAM_CONSENT_VERSION
from .eligibility import eligibility_check
from .models import (
    OUTCOME_FIELDS,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    Call,
    CallQuestion,
    Outcome,
    ReceiptCounter,
    RequiredDocument,
    Review,
    SupersededAttachment,
)
from .uploads import UploadRejected, private_storage, upload_check

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)
SEOUL = ZoneInfo("Asia/Seoul")

Status = Application.Status
Actor = Literal["company", "staff"]


class ProgramError(DomainError):
    """A business rule refused the action; ``message`` is for the user."""


class IllegalTransition(ProgramError):
    pass


# from status -> {to status: who may make that move}
TRANSITIONS: dict[str, dict[str, Actor]] = {
    Status.DRAFT: {Status.SUBMITTED: "company", Status.WITHDRAWN: "company"},
    Status.SUBMITTED: {
        Status.SCREENING: "staff",
        Status.INFO_REQUESTED: "staff",
        Status.REJECTED: "staff",
        Status.WITHDRAWN: "company",
    },
    Status.SCREENING: {
        Status.INFO_REQUESTED: "staff",
        Status.SELECTED: "staff",
        Status.REJECTED: "staff",
        Status.WITHDRAWN: "company",
    },
    Status.INFO_REQUESTED: {Status.RESUBMITTED: "company", Status.REJECTED: "staff", Status.WITHDRAWN: "company"},
    Status.RESUBMITTED: {
        Status.SCREENING: "staff",
        Status.INFO_REQUESTED: "staff",
        Status.SELECTED: "staff",
        Status.REJECTED: "staff",
        Status.WITHDRAWN: "company",
    },
    Status.SELECTED: {},
    Status.REJECTED: {},
    Status.WITHDRAWN: {},
}

# Kept short: one mail per change, the message from staff is the substance.
EMAILED_STATUSES = {
    Status.SUBMITTED,
    Status.SCREENING,
    Status.INFO_REQUESTED,
    Status.RESUBMITTED,
    Status.SELECTED,
    Status.REJECTED,
    Status.WITHDRAWN,
}
REMINDER_OFFSETS = (timedelta(days=3), timedelta(days=1))


# --- who may act -------------------------------------------------------------------------------


def application_can_edit(*, application: Application, user: User) -> bool:
    return user.is_authenticated and user.is_member_of(application.company_id)


def application_can_submit(*, application: Application, user: User) -> bool:
    """The company's representative, or the member who started the application."""
    if not user.is_authenticated:
        return False
    return user.represents(application.company_id) or (
        user.is_member_of(application.company_id) and application.created_by_id == user.pk
    )


def allowed_transitions(*, application: Application, user: User) -> list[str]:
    """The statuses ``user`` may move ``application`` to now (for buttons and admin actions)."""
    result = []
    for to, actor in TRANSITIONS[application.status].items():
        if actor == "staff" and user.is_staff:
            result.append(to)
        elif actor == "company" and application_can_submit(application=application, user=user):
            result.append(to)
    return result


# --- applications ------------------------------------------------------------------------------


def application_prefill(*, company: Any, user: User) -> dict[str, Any]:
    return {
        "contact_name": user.name,
        "contact_email": user.email,
        "contact_phone": user.phone,
        "employee_count": company.employee_count,
        "business_registration_number": company.business_registration_number,
    }


@transaction.atomic
def application_create(*, call: Call, user: User, now: datetime | None = None) -> Application:
    """Start a draft for the user's company, pre-filled from the company profile.

    Returns the existing application when the company already has one for this call.
    """
    membership = user.membership if user.is_authenticated else None
    if membership is None:
        raise ProgramError(_("승인된 입주기업 소속 회원만 신청할 수 있습니다."), "not_member")
    company = membership.company
    existing = Application.objects.filter(call=call, company=company).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    if not call.is_published or not call.program.is_active or now < call.opens_at:
        raise ProgramError(_("아직 접수가 시작되지 않은 공고입니다."), "call_not_open")
    if call.has_closed(now):
        raise ProgramError(
            _("접수가 마감되었습니다. 마감 시각: %(deadline)s") % {"deadline": format_datetime_seconds(call.closes_at)},
            "call_closed",
        )
    reasons = eligibility_check(call=call, company=company)
    if reasons:
        raise ProgramError(" ".join(reasons), "not_eligible")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, company=company, created_by=user, **application_prefill(company=company, user=user)
            )
    except IntegrityError:
        # Another member of the same company started one at the same moment.
        return Application.objects.get(call=call, company=company)
    ApplicationEvent.objects.create(application=application, from_status="", to_status=Status.DRAFT, by=user)
    return application


def _check_editable(*, application: Application, user: User) -> None:
    if not application_can_edit(application=application, user=user):
        raise ProgramError(_("이 신청서를 수정할 권한이 없습니다."), "forbidden")
    if not application.is_editable:
        raise ProgramError(_("작성 중이거나 보완 요청을 받은 신청서만 수정할 수 있습니다."), "not_editable")


def _lock_editable(*, application: Application, user: User) -> Application:
    """Lock the application's row (inside the caller's transaction) and check, on that fresh row,
    that ``user`` may still edit it: a colleague may have submitted it, or staff decided it, since
    ``application`` was loaded."""
    locked = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    _check_editable(application=locked, user=user)
    return locked


UPDATABLE_FIELDS = frozenset(
    {"contact_name", "contact_email", "contact_phone", "employee_count", "business_registration_number"}
)


def _clean_answer(question: CallQuestion, value: Any) -> Any:
    try:
        return answer_clean(question=question, value=value)
    except ValidationError as error:
        raise ProgramError(error.messages[0], "invalid_answer") from None


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: User,
    fields: dict[str, Any] | None = None,
    answers: dict[int, Any] | None = None,
    consent: bool = False,
) -> Application:
    """Save a draft (or an answer to an information request): contact fields, answers and the
    personal-data consent (recorded with its version and time the first time it is given).

    The row is locked and re-read, so a decision or submission made since ``application`` was
    loaded is neither overlooked nor undone: only the fields this function changes are written.
    The caller's ``application`` is refreshed from the saved row."""
    locked = _lock_editable(application=application, user=by)
    changed: set[str] = set()
    if consent and locked.consent_version != PROGRAM_CONSENT_VERSION:
        locked.consent_version = PROGRAM_CONSENT_VERSION
        locked.consented_at = timezone.now()
        changed |= {"consent_version", "consented_at"}
    for name, value in (fields or {}).items():
        if name in UPDATABLE_FIELDS:
            setattr(locked, name, value if value is not None or name == "employee_count" else "")
            changed.add(name)
    if answers:
        questions = {q.pk: q for q in locked.call.questions.all()}
        merged = dict(locked.answers)
        for question_id, value in answers.items():
            question = questions.get(int(question_id))
            if question is None or question.kind == CallQuestion.Kind.FILE:
                continue
            cleaned = _clean_answer(question, value)
            if cleaned is None:
                merged.pop(str(question.pk), None)
            else:
                merged[str(question.pk)] = cleaned
        locked.answers = merged
        changed.add("answers")
    locked.save(update_fields=sorted(changed | {"updated_at"}))
    for field in locked._meta.concrete_fields:
        setattr(application, field.attname, getattr(locked, field.attname))
    return application


@transaction.atomic
def application_attach(
    *,
    application: Application,
    upload: Any,
    by: User,
    document: RequiredDocument | None = None,
    question: CallQuestion | None = None,
) -> ApplicationAttachment:
    """Store an uploaded file for a required document or a file question, replacing the
    previous file for the same slot. Raises ProgramError (including rejected uploads).

    The application's row is locked and re-checked, so no file is added to an application that
    was submitted or decided since it was loaded."""
    application = _lock_editable(application=application, user=by)
    if document is not None and document.call_id != application.call_id:
        raise ProgramError(_("이 공고의 제출 서류가 아닙니다."), "wrong_slot")
    if question is not None and (question.call_id != application.call_id or question.kind != CallQuestion.Kind.FILE):
        raise ProgramError(_("이 공고의 파일 질문이 아닙니다."), "wrong_slot")
    try:
        checked = upload_check(upload)
    except UploadRejected as exc:
        raise ProgramError(exc.message, exc.code) from None
    previous = list(application.attachments.filter(document=document, question=question))
    attachment = ApplicationAttachment(
        application=application,
        document=document,
        question=question,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    upload.seek(0)
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    for old in previous:
        if application.first_submitted_at is not None:
            # Replaced after a submission: the earlier version stays, file and all.
            SupersededAttachment.objects.create(
                application=application,
                document=old.document,
                question=old.question,
                file=old.file.name,
                original_name=old.original_name,
                content_type=old.content_type,
                size=old.size,
                uploaded_by=old.uploaded_by,
                uploaded_at=old.uploaded_at,
            )
            old.delete()
            continue
        stored_name = old.file.name
        old.delete()
        transaction.on_commit(functools.partial(private_storage.delete, stored_name))
    return attachment


@transaction.atomic
def application_save(
    *,
    application: Application,
    by: User,
    fields: Mapping[str, Any] | None = None,
    answers: Mapping[int, Any] | None = None,
    consent: bool = False,
    uploads: Sequence[tuple[RequiredDocument | CallQuestion, Any]] = (),
    submit: bool = False,
) -> list[str]:
    """Save what the applicant entered in one go: contact fields, answers and consent
    (``application_update``), then each uploaded file for its document or file question
    (``application_attach``), then, with ``submit``, submit or resubmit.

    One transaction holds the application's row lock from the first write to the last, so a
    colleague's submission or a staff decision cannot come in between. When the fields are
    refused, ProgramError is raised and nothing is written. A refused file or a refused
    submission does not undo the rest (the applicant keeps the draft as saved): the returned
    list says what was refused, for the user, and is empty when everything went through.
    After a refused file no submission is tried."""
    if fields or answers or consent:
        application_update(
            application=application,
            by=by,
            fields=dict(fields or {}),
            answers=dict(answers or {}),
            consent=consent,
        )
    problems: list[str] = []
    for slot, upload in uploads:
        document = slot if isinstance(slot, RequiredDocument) else None
        question = slot if isinstance(slot, CallQuestion) else None
        try:
            application_attach(application=application, upload=upload, by=by, document=document, question=question)
        except ProgramError as exc:
            problems.append(f"{upload.name}: {exc.message}")
    if submit and not problems:
        try:
            application_submit(application=application, by=by)
        except ProgramError as exc:
            problems.append(exc.message)
    return problems


def application_missing_items(*, application: Application) -> list[str]:
    """What still has to be filled in or uploaded before the application can be (re)submitted."""
    missing: list[str] = []
    if not application.contact_name or not application.contact_email:
        missing.append(_("담당자 이름과 이메일을 입력하세요."))
    if application.consented_at is None:
        missing.append(_("개인정보 수집·이용에 동의해 주세요."))
    attachments = list(application.attachments.all())
    uploaded_documents = {a.document_id for a in attachments if a.document_id}
    uploaded_questions = {a.question_id for a in attachments if a.question_id}
    for question in application.call.questions.all():
        if not question.required:
            continue
        if question.kind == CallQuestion.Kind.FILE:
            answered = question.pk in uploaded_questions
        else:
            answered = application.answers.get(str(question.pk)) not in (None, "")
        if not answered:
            missing.append(_("답변이 필요합니다: %(question)s") % {"question": question.label})
    for document in application.call.documents.all():
        if document.required and document.pk not in uploaded_documents:
            missing.append(_("서류를 올려야 합니다: %(document)s") % {"document": document.name})
    return missing


def receipt_number_next(*, now: datetime) -> str:
    """The next 접수번호 of the year (Seoul time): SBA-2026-000123. The counter row stays locked
    until the caller's transaction ends, so two submissions never get the same number, and a
    submission that rolls back gives its number back. Precondition: inside ``transaction.atomic``."""
    year = timezone.localtime(now, SEOUL).year
    ReceiptCounter.objects.get_or_create(year=year)
    ReceiptCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReceiptCounter.objects.get(year=year).last
    return f"SBA-{year}-{number:06d}"


def _check_actor(*, application: Application, actor: Actor, by: User) -> None:
    if actor == "staff" and not by.is_staff:
        raise IllegalTransition(_("SBA 담당자만 할 수 있는 처리입니다."), "forbidden")
    if actor == "company" and not application_can_submit(application=application, user=by):
        raise IllegalTransition(
            _("기업 대표자 또는 신청서를 작성한 회원만 제출하거나 취소할 수 있습니다."), "forbidden"
        )


@transaction.atomic
def application_transition(
    *, application: Application, to: str, by: User, message: str = "", now: datetime | None = None
) -> Application:
    """Move the application to status ``to`` if the table allows it for ``by``; record the change
    and e-mail the applicant. Raises IllegalTransition / ProgramError with a message for the user."""
    now = now or timezone.now()
    # Lock the row so that two staff members (or staff and the company) cannot both decide.
    locked = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    from_status = locked.status
    actor = TRANSITIONS[from_status].get(to)
    if actor is None:
        raise IllegalTransition(
            _("'%(from)s' 상태에서 '%(to)s' 상태로 바꿀 수 없습니다.")
            % {"from": Status(from_status).label, "to": Status(to).label},
            "illegal_transition",
        )
    _check_actor(application=locked, actor=actor, by=by)
    if to == Status.SUBMITTED:
        if not locked.call.is_open(now):
            raise ProgramError(
                _("접수 마감 시각(%(deadline)s)이 지나 제출할 수 없습니다.")
                % {"deadline": format_datetime_seconds(locked.call.closes_at)}
                if locked.call.has_closed(now)
                else _("아직 접수가 시작되지 않은 공고입니다."),
                "call_closed" if locked.call.has_closed(now) else "call_not_open",
            )
    if to in {Status.SUBMITTED, Status.RESUBMITTED}:
        missing = application_missing_items(application=locked)
        if missing:
            raise ProgramError(" ".join(missing), "missing_items")
        locked.submitted_at = now
        locked.submitted_by = by
        locked.first_submitted_at = locked.first_submitted_at or now
        if not locked.receipt_number:
            locked.receipt_number = receipt_number_next(now=now)
    if to == Status.INFO_REQUESTED and not message.strip():
        raise ProgramError(_("보완 요청에는 요청 내용을 적어야 합니다."), "message_required")
    if to in {Status.SELECTED, Status.REJECTED, Status.WITHDRAWN}:
        locked.decided_at = now
    locked.status = to
    locked.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "first_submitted_at",
            "receipt_number",
            "decided_at",
            "updated_at",
        ]
    )
    ApplicationEvent.objects.create(
        application=locked, from_status=from_status, to_status=to, by=by, message=message.strip()
    )
    record(
        action=AuditAction.APPLICATION_TRANSITION,
        obj=locked,
        by=by,
        before={"status": from_status},
        after={"status": to},
        reason=message.strip(),
    )
    if to in EMAILED_STATUSES:
        _email_status_change(application=locked, message=message.strip())
    for field in (
        "status",
        "submitted_at",
        "submitted_by_id",
        "first_submitted_at",
        "receipt_number",
        "decided_at",
        "updated_at",
    ):
        setattr(application, field, getattr(locked, field))
    return application


def application_withdrawal_undoable(*, application: Application, now: datetime | None = None) -> bool:
    """A withdrawal can be undone while the call is still open."""
    return application.status == Status.WITHDRAWN and application.call.is_open(now or timezone.now())


@transaction.atomic
def application_withdraw_undo(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Undo the company's withdrawal while the call is open: the application returns to the
    state it was withdrawn from (a draft stays a draft, a submission stays submitted), recorded
    and e-mailed like any change."""
    now = now or timezone.now()
    locked = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    _check_actor(application=locked, actor="company", by=by)
    if locked.status != Status.WITHDRAWN:
        raise ProgramError(_("취소된 신청이 아닙니다."), "not_withdrawn")
    if not locked.call.is_open(now):
        raise ProgramError(_("접수가 마감되어 신청 취소를 되돌릴 수 없습니다."), "call_closed")
    withdrawal = locked.events.filter(to_status=Status.WITHDRAWN).order_by("-created_at", "-pk").first()
    restored = withdrawal.from_status if withdrawal else Status.DRAFT
    locked.status = restored
    locked.decided_at = None
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    ApplicationEvent.objects.create(
        application=locked, from_status=Status.WITHDRAWN, to_status=restored, by=by, message=""
    )
    for field in ("status", "decided_at", "updated_at"):
        setattr(application, field, getattr(locked, field))
    return application


def application_submit(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Submit a draft, or resubmit after an information request."""
    to = Status.RESUBMITTED if application.status == Status.INFO_REQUESTED else Status.SUBMITTED
    return application_transition(application=application, to=to, by=by, now=now)


def _email_status_change(*, application: Application, message: str) -> None:
    """The applicant's e-mail about the new status: a receipt with the 접수번호 and a summary of
    what was submitted for a (re)submission, else the new status with what comes next."""
    from .selectors import application_submission_summary

    applicant = application.applicant
    to = application.contact_email or (applicant.email if applicant else "")
    if not to:
        return
    language = applicant.language if applicant else "ko"
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "company": application.company,
        "message": message,
        "url": f"{settings.SITE_URL}{application.get_absolute_url()}",
    }
    template = "programs/emails/status_changed"
    if application.status in (Status.SUBMITTED, Status.RESUBMITTED):
        template = "programs/emails/application_received"
        with translation.override(language):
            context["summary"] = application_submission_summary(application=application)
        context["resubmitted"] = application.status == Status.RESUBMITTED
    email_queue(to=to, template=template, context=context, language=language)


# --- draft reminders ----------------------------------------------------------------------------


def draft_reminders_send(*, now: datetime | None = None) -> int:
    """Remind companies with an unsubmitted draft 3 days and 1 day before the deadline.

    Only published calls. Safe to run as often as wanted: each (application, deadline, offset) is
    queued once (dedupe key); when the deadline is extended the reminders are due again.
    Returns how many reminders were queued now.
    """
    now = now or timezone.now()
    queued = 0
    longest = max(REMINDER_OFFSETS)
    drafts = (
        Application.objects.filter(
            status=Status.DRAFT,
            call__is_published=True,
            call__closes_at__gt=now,
            call__closes_at__lte=now + longest,
        )
        .select_related("call", "company", "created_by")
        .order_by("pk")
    )
    for application in drafts:
        remaining = application.call.closes_at - now
        # The smallest offset already reached: 1 day before wins over 3 days before.
        due = [offset for offset in REMINDER_OFFSETS if remaining <= offset]
        if not due:
            continue
        offset = min(due)
        user = application.created_by
        to = application.contact_email or (user.email if user else "")
        if not to:
            continue
        deadline = application.call.closes_at.astimezone(UTC).isoformat()
        with transaction.atomic():
            row = email_queue(
                to=to,
                template="programs/emails/draft_reminder",
                context={
                    "application": application,
                    "call": application.call,
                    "company": application.company,
                    "days": offset.days,
                    "url": f"{settings.SITE_URL}{application.get_absolute_url()}",
                },
                language=user.language if user else "ko",
                dedupe_key=f"programs:draft-reminder:{application.pk}:{deadline}:{offset.days}d",
            )
        queued += row is not None
    return queued


# --- reviews ----------------------------------------------------------------------------------


def review_can_see_all(*, user: User) -> bool:
    return user.is_superuser or user.has_perm("programs.manage_reviews")


@transaction.atomic
def review_assign(*, application: Application, reviewer: User, by: User) -> Review:
    if not by.is_staff:
        raise ProgramError(_("SBA 담당자만 심사위원을 배정할 수 있습니다."), "forbidden")
    if reviewer.is_member_of(application.company_id):
        raise ProgramError(_("신청 기업의 소속 회원은 그 기업의 심사위원이 될 수 없습니다."), "reviewer_is_member")
    review, created = Review.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": by}
    )
    if created:
        record(action=AuditAction.REVIEW_ASSIGN, obj=review, by=by, after={"reviewer": reviewer.pk})
    return review


@transaction.atomic
def review_submit(
    *, review: Review, by: User, scores: dict[int, Any], comment: str = "", now: datetime | None = None
) -> Review:
    """Record a reviewer's scores for every criterion. A submitted review cannot be changed."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.reviewer_id != by.pk:
        raise ProgramError(_("배정된 심사위원만 점수를 입력할 수 있습니다."), "forbidden")
    if locked.submitted_at is not None:
        raise ProgramError(_("이미 제출한 심사입니다."), "already_submitted")
    cleaned: dict[str, int | float] = {}
    for criterion in review.application.call.criteria.all():
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))  # type: ignore[call-overload]
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise ProgramError(_("모든 평가 항목에 점수를 입력하세요."), "invalid_score") from None
        if not value.is_finite() or value < 0 or value > criterion.max_score:
            raise ProgramError(
                _("'%(criterion)s' 점수는 0점에서 %(max)d점 사이여야 합니다.")
                % {"criterion": criterion.name, "max": criterion.max_score},
                "invalid_score",
            )
        cleaned[str(criterion.pk)] = int(value) if value == value.to_integral_value() else float(value)
    locked.scores = cleaned
    locked.comment = comment.strip()
    locked.submitted_at = now or timezone.now()
    locked.save(update_fields=["scores", "comment", "submitted_at"])
    record(
        action=AuditAction.REVIEW_SUBMIT,
        obj=locked,
        by=by,
        after={"scores": cleaned, "comment": locked.comment, "submitted_at": locked.submitted_at},
    )
    review.scores, review.comment, review.submitted_at = locked.scores, locked.comment, locked.submitted_at
    return review


# --- outcomes ---------------------------------------------------------------------------------


@transaction.atomic
def outcome_report(*, application: Application, by: User, year: int, values: Mapping[str, Any]) -> Outcome:
    """A selected company reports what the programme led to (one row per company, programme and year)."""
    if application.status != Status.SELECTED:
        raise ProgramError(_("선정된 신청서에 대해서만 성과를 보고할 수 있습니다."), "not_selected")
    if not application_can_edit(application=application, user=by) and not by.is_staff:
        raise ProgramError(_("이 신청서의 성과를 보고할 권한이 없습니다."), "forbidden")
    return outcome_record(
        company_id=application.company_id,
        program_id=application.call.program_id,
        year=year,
        values=values,
        application=application,
        by=by,
    )


@transaction.atomic
def outcome_record(
    *,
    company_id: int,
    program_id: int,
    year: int,
    values: Mapping[str, Any],
    by: User,
    application: Application | None = None,
    outcome: Outcome | None = None,
) -> Outcome:
    """Write a company's figures for a programme and year, noting who entered them and whether
    SBA or the company did. The caller has decided that ``by`` may.

    Without ``outcome`` the row for (company, programme, year) is created or updated; with it,
    that row is rewritten, so staff correcting a row in the admin can also move it to another
    company, programme or year."""
    row = {
        **{name: values[name] for name in OUTCOME_FIELDS if name in values},
        "application": application,
        "source": Outcome.Source.STAFF if by.is_staff else Outcome.Source.COMPANY,
        "reported_by": by,
    }
    audited = [*OUTCOME_FIELDS, "company", "program", "year"]
    if outcome is None:
        existing = Outcome.objects.filter(company_id=company_id, program_id=program_id, year=year).first()
        before = snapshot(existing, audited) if existing else {}
        outcome, _created = Outcome.objects.update_or_create(
            company_id=company_id, program_id=program_id, year=year, defaults=row
        )
    else:
        before = snapshot(Outcome.objects.get(pk=outcome.pk), audited) if outcome.pk else {}
        for name, value in {**row, "company_id": company_id, "program_id": program_id, "year": year}.items():
            setattr(outcome, name, value)
        outcome.save()
    record(action=AuditAction.OUTCOME_RECORD, obj=outcome, by=by, before=before, after=snapshot(outcome, audited))
    return outcome
