"""Every write of the hiring camp. Views, the API, admin actions and the retention task call these.

Placing an interview or a coaching session on the grid goes through ``hiring.scheduling``, which
calls the meetings engine's locking service (the only writer of seats on the grid).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magok.errors import DomainError
from programs.uploads import upload_check

from .consent import SEEKER_CONSENT
from .emails import seeker_email_queue
from .models import Camp, JobApplication, Position, Seeker

if TYPE_CHECKING:
    from accounts.models import User
    from meetings.models import Meeting

logger = logging.getLogger(__name__)

Status = JobApplication.Status

SEEKER_FIELDS = ("display_name", "phone", "fields_of_interest", "education")
POSITION_FIELDS = ("title", "field", "requirements", "hires_planned", "place_of_work")


class HiringError(DomainError):
    """A rule of the hiring camp refused the action; ``message`` is for the person."""


# --- who may act ----------------------------------------------------------------------------


def is_hiring_staff(user: User, perm: str = "change_jobapplication") -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm(f"hiring.{perm}"))


def acts_for_company(*, user: User, company_id: int) -> bool:
    """A member of the company, or SBA staff allowed to change applications."""
    return user.is_member_of(company_id) or is_hiring_staff(user)


# --- seekers --------------------------------------------------------------------------------


def _camp_open_for_profiles(camp: Camp, now: datetime) -> None:
    if camp.purged_at is not None or now >= camp.event.ends_at:
        raise HiringError(_("이 채용캠프는 종료되어 구직자 정보를 받지 않습니다."), "camp_closed")


@transaction.atomic
def seeker_save(
    *,
    camp: Camp,
    user: User,
    values: Mapping[str, Any],
    cv: Any = None,
    consent: bool = False,
    now: datetime | None = None,
) -> Seeker:
    """Create or update ``user``'s seeker profile for ``camp``. ``cv`` (an uploaded file) is
    checked by its content and stored privately; ``consent`` records the third-party provision
    consent when it is not in force yet. Refuses members of a company."""
    now = now or timezone.now()
    if user.company is not None:
        raise HiringError(
            _("입주기업 소속 회원은 구직자로 참여할 수 없습니다. 개인 계정으로 로그인해 주세요."), "seeker_has_company"
        )
    _camp_open_for_profiles(camp, now)
    seeker = Seeker.objects.select_for_update().filter(camp=camp, user=user).first()
    if seeker is None:
        seeker = Seeker(camp=camp, user=user, display_name=user.name, phone=user.phone)
    for name in SEEKER_FIELDS:
        if name in values:
            setattr(seeker, name, (values[name] or "").strip())
    if not seeker.display_name:
        seeker.display_name = user.name or user.email
    if cv is not None:
        checked = upload_check(cv)
        old_name = seeker.cv.name if seeker.cv else ""
        seeker.cv.save(checked.name, cv, save=False)
        seeker.cv_original_name = checked.name
        seeker.cv_content_type = checked.content_type
        seeker.cv_size = checked.size
        if old_name:
            # The replaced file goes once the new one is committed; a rollback keeps the old one.
            storage = seeker.cv.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    if consent and not seeker.has_consent:
        seeker.consent_version = SEEKER_CONSENT.version
        seeker.consented_at = now
        seeker.consent_withdrawn_at = None
    seeker.save()
    return seeker


@transaction.atomic
def seeker_consent_withdraw(*, seeker: Seeker, by: User, now: datetime | None = None) -> int:
    """Withdraw the third-party provision consent: from now on no company (and no staff member)
    sees the profile or CV. Open applications are withdrawn and their interviews cancelled;
    applications with a recorded result stay, without the profile. Returns the number withdrawn."""
    from . import scheduling

    if by.pk != seeker.user_id:
        raise HiringError(_("본인만 동의를 철회할 수 있습니다."), "forbidden")
    now = now or timezone.now()
    seeker = Seeker.objects.select_for_update().get(pk=seeker.pk)
    if seeker.consent_withdrawn_at is not None or seeker.consented_at is None:
        return 0
    seeker.consent_withdrawn_at = now
    seeker.save(update_fields=["consent_withdrawn_at"])
    withdrawn = 0
    for application in seeker.applications.select_for_update().filter(result="").exclude(status=Status.WITHDRAWN):
        scheduling.interview_cancel(application=application, by=by)
        application.status = Status.WITHDRAWN
        application.decided_by, application.decided_at = by, now
        application.save(update_fields=["status", "decided_by", "decided_at"])
        withdrawn += 1
    return withdrawn


# --- positions ------------------------------------------------------------------------------


@transaction.atomic
def position_save(
    *, camp: Camp, company_id: int, values: Mapping[str, Any], by: User, position: Position | None = None
) -> Position:
    """A participating company posts (or, while pending, edits) a position; staff approve it."""
    if not acts_for_company(user=by, company_id=company_id):
        raise HiringError(_("이 기업의 회원만 채용 포지션을 등록할 수 있습니다."), "not_company_member")
    if not camp.companies.filter(company_id=company_id).exists():
        raise HiringError(_("이 채용캠프의 참여 기업만 채용 포지션을 등록할 수 있습니다."), "not_company_member")
    if position is None:
        position = Position(camp=camp, company_id=company_id, created_by=by)
    elif position.status != Position.Status.PENDING and not is_hiring_staff(by):
        raise HiringError(_("승인된 포지션은 SBA 담당자에게 수정을 요청해 주세요."), "already_decided")
    for name in POSITION_FIELDS:
        if name in values:
            setattr(position, name, values[name])
    position.save()
    return position


@transaction.atomic
def position_decide(*, position: Position, approve: bool, by: User) -> Position:
    if not is_hiring_staff(by, "change_position"):
        raise HiringError(_("채용 포지션 승인 권한이 없습니다."), "forbidden")
    position = Position.objects.select_for_update().get(pk=position.pk)
    position.status = Position.Status.APPROVED if approve else Position.Status.REJECTED
    position.decided_by, position.decided_at = by, timezone.now()
    position.save(update_fields=["status", "decided_by", "decided_at"])
    return position


# --- applications ---------------------------------------------------------------------------


def _locked_seeker(seeker_id: int) -> Seeker:
    """The seeker row, locked until the transaction ends: the camp's application limit is
    counted under it. Precondition: inside ``transaction.atomic``."""
    return Seeker.objects.select_for_update().select_related("camp", "camp__event").get(pk=seeker_id)


@transaction.atomic
def application_apply(
    *, seeker: Seeker, position: Position, by: User, message: str = "", now: datetime | None = None
) -> JobApplication:
    """A seeker applies to an approved position of their camp, under their consent, within the
    camp's limit. The seeker row is locked so that two applications at once cannot pass the limit."""
    now = now or timezone.now()
    if by.pk != seeker.user_id:
        raise HiringError(_("본인만 지원할 수 있습니다."), "forbidden")
    seeker = _locked_seeker(seeker.pk)
    camp = seeker.camp
    if position.camp_id != camp.pk or position.status != Position.Status.APPROVED:
        raise HiringError(_("이 채용캠프에서 지원을 받는 포지션이 아닙니다."), "position_not_open")
    if camp.purged_at is not None or now >= camp.applications_close_at:
        raise HiringError(_("사전 지원이 마감되었습니다."), "camp_closed")
    if not seeker.has_consent:
        raise HiringError(
            _("지원하려면 먼저 개인정보 제3자 제공에 동의해 주세요. 동의하지 않으면 기업에 지원서를 보낼 수 없습니다."),
            "consent_required",
        )
    if not seeker.cv:
        raise HiringError(_("지원하기 전에 이력서 파일을 올려 주세요."), "cv_required")
    existing = seeker.applications.filter(position=position).first()
    if existing is not None:
        raise HiringError(_("이미 이 포지션에 지원했습니다."), "already_applied")
    active = seeker.applications.exclude(status=Status.WITHDRAWN).count()
    if active >= camp.applications_per_seeker:
        raise HiringError(
            _("이 채용캠프에는 최대 %(limit)d개 포지션까지 지원할 수 있습니다.")
            % {"limit": camp.applications_per_seeker},
            "application_limit",
        )
    return JobApplication.objects.create(
        seeker=seeker,
        position=position,
        message=message.strip()[:1000],
        consent_version=seeker.consent_version,
        consented_at=seeker.consented_at,  # type: ignore[misc]  # has_consent says it is set
    )


# The workflow as a table: (from, to) → who may make the move.
SEEKER, COMPANY, STAFF = "seeker", "company", "staff"
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.APPLIED, Status.SHORTLISTED): COMPANY,
    (Status.APPLIED, Status.DECLINED): COMPANY,
    (Status.SHORTLISTED, Status.APPLIED): COMPANY,
    (Status.SHORTLISTED, Status.DECLINED): COMPANY,
    (Status.SHORTLISTED, Status.MATCHED): STAFF,
    # The company (or staff for it) calls a confirmed interview off: it is cancelled, the seeker told.
    (Status.MATCHED, Status.DECLINED): COMPANY,
    (Status.APPLIED, Status.WITHDRAWN): SEEKER,
    (Status.SHORTLISTED, Status.WITHDRAWN): SEEKER,
    (Status.MATCHED, Status.WITHDRAWN): SEEKER,
}


def _may_act(*, actor: str, application: JobApplication, user: User) -> bool:
    if actor == SEEKER:
        return application.seeker.user_id == user.pk
    if actor == COMPANY:
        return acts_for_company(user=user, company_id=application.position.company_id)
    return is_hiring_staff(user)


def allowed_transitions(*, application: JobApplication, user: User) -> list[str]:
    return [
        to
        for (source, to), actor in TRANSITIONS.items()
        if source == application.status and _may_act(actor=actor, application=application, user=user)
    ]


def _tell_seeker(*, application: JobApplication, to: str, cancelled: Meeting | None) -> None:
    """The seeker's e-mail about the company's or the staff's decision, once per application and
    state (a re-run, or a second shortlisting after "후보에서 빼기", sends nothing again). The
    seeker's own withdrawal and a company taking an application back off its shortlist send none."""
    key = f"hiring:application:{application.pk}:{to}"
    if to == Status.SHORTLISTED:
        seeker_email_queue(application, "application_shortlisted", dedupe_key=key)
    elif to == Status.DECLINED:
        extra: dict[str, Any] = {}
        if cancelled is not None:
            extra["cancelled"] = {
                "starts_at": cancelled.slot.starts_at,
                "ends_at": cancelled.slot.ends_at,
                "table": cancelled.table.name,
            }
        seeker_email_queue(application, "application_declined", dedupe_key=key, **extra)
    elif to == Status.MATCHED:
        seeker_email_queue(application, "match_confirmed", dedupe_key=key)


@transaction.atomic
def application_transition(*, application: JobApplication, to: str, by: User) -> JobApplication:
    """Move an application along TRANSITIONS. Confirming a match (staff) places the interview on
    the company's table; leaving a match (withdrawn, declined) cancels the interview and frees
    its slot. The seeker's e-mail about the decision is queued in the same transaction."""
    from . import scheduling

    application = (
        JobApplication.objects.select_for_update(of=("self",))
        .select_related("seeker__user", "position", "position__camp")
        .get(pk=application.pk)
    )
    actor = TRANSITIONS.get((application.status, to))
    if actor is None:
        raise HiringError(
            _("현재 상태(%(status)s)에서는 이 처리를 할 수 없습니다.") % {"status": application.get_status_display()},
            "illegal_transition",
        )
    if not _may_act(actor=actor, application=application, user=by):
        raise HiringError(_("이 지원서를 처리할 권한이 없습니다."), "forbidden")
    if application.result:
        # The interview happened and the company decided: the record stays as it is.
        raise HiringError(_("채용 결과가 입력된 지원은 바꿀 수 없습니다."), "illegal_transition")
    if to == Status.MATCHED:
        if not application.seeker.has_consent:
            raise HiringError(_("구직자가 제3자 제공 동의를 철회했습니다."), "consent_required")
        scheduling.interview_place(application=application, by=by)
    cancelled = None
    if application.status == Status.MATCHED:
        reason = _("기업이 면접을 취소함") if to == Status.DECLINED else ""
        cancelled = scheduling.interview_cancel(application=application, by=by, reason=reason)
    application.status = to
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    _tell_seeker(application=application, to=to, cancelled=cancelled)
    return application


@dataclass(frozen=True)
class MatchOutcome:
    """One line of the staff's match confirmation: the interview placed, or why not."""

    application: JobApplication
    meeting: Meeting | None = None
    error: str = ""


def matches_confirm(*, camp: Camp, application_ids: Iterable[int], by: User) -> list[MatchOutcome]:
    """Confirm the selected applications of ``camp`` one by one through
    ``application_transition`` (each in its own transaction: not atomic on purpose), so that one
    that cannot be placed (consent withdrawn, no free slot, no longer shortlisted) is reported
    with its reason and the others stand. Ids of other camps are ignored."""
    if not is_hiring_staff(by):
        raise HiringError(_("이 지원서를 처리할 권한이 없습니다."), "forbidden")
    outcomes = []
    for application in (
        JobApplication.objects.filter(position__camp=camp, pk__in=list(application_ids))
        .select_related("seeker", "position__company", "position__camp__event")
        .order_by("position__company__sort_name", "position__title", "created_at")
    ):
        try:
            confirmed = application_transition(application=application, to=Status.MATCHED, by=by)
        except DomainError as exc:
            outcomes.append(MatchOutcome(application=application, error=exc.message))
        else:
            outcomes.append(MatchOutcome(application=application, meeting=confirmed.meeting))
    return outcomes


@transaction.atomic
def application_result_record(*, application: JobApplication, result: str, by: User, note: str = "") -> JobApplication:
    """The company (or staff) records the outcome of a matched application's interview."""
    application = (
        JobApplication.objects.select_for_update(of=("self",))
        .select_related("position", "seeker__user")
        .get(pk=application.pk)
    )
    if not acts_for_company(user=by, company_id=application.position.company_id):
        raise HiringError(_("이 지원서를 처리할 권한이 없습니다."), "forbidden")
    if application.status != Status.MATCHED:
        raise HiringError(_("면접이 확정된 지원서에만 결과를 입력할 수 있습니다."), "not_interviewed")
    if result not in JobApplication.Result.values:
        raise HiringError(_("채용 결과를 선택해 주세요."), "invalid_answer")
    application.result, application.result_note = result, note.strip()[:300]
    application.result_by, application.result_at = by, timezone.now()
    application.save(update_fields=["result", "result_note", "result_by", "result_at"])
    # Once per result: saving the same result again (a corrected note) sends nothing; a new
    # result (next round, then hired) is news. The note is the company's own and is not sent.
    seeker_email_queue(
        application, "result_recorded", result=result, dedupe_key=f"hiring:application:{application.pk}:result:{result}"
    )
    return application


@transaction.atomic
def queue_mark(*, application: JobApplication, queue_status: str, by: User) -> JobApplication:
    """On the day: the company's table (or staff) marks a seeker arrived, late, no-show or done."""
    application = (
        JobApplication.objects.select_for_update(of=("self",)).select_related("position").get(pk=application.pk)
    )
    if not acts_for_company(user=by, company_id=application.position.company_id):
        raise HiringError(_("이 지원서를 처리할 권한이 없습니다."), "forbidden")
    if application.status != Status.MATCHED or queue_status not in JobApplication.Queue.values:
        raise HiringError(_("면접이 확정된 지원서만 현장 상태를 바꿀 수 있습니다."), "not_interviewed")
    from . import scheduling

    application.queue_status = queue_status
    application.queue_updated_at = timezone.now()
    application.save(update_fields=["queue_status", "queue_updated_at"])
    scheduling.interview_mark(application=application, by=by)
    return application


@transaction.atomic
def walk_in_add(*, seeker: Seeker, position: Position, by: User) -> JobApplication:
    """Staff add a seeker who came on the day into the first free interview slot of the
    position's company. The seeker must have given the third-party consent (on their phone or on
    the staff's tablet) like everyone else."""
    from . import scheduling

    if not is_hiring_staff(by):
        raise HiringError(_("현장 접수는 SBA 담당자만 할 수 있습니다."), "forbidden")
    seeker = Seeker.objects.select_for_update(of=("self",)).select_related("user").get(pk=seeker.pk)
    if position.camp_id != seeker.camp_id or position.status != Position.Status.APPROVED:
        raise HiringError(_("이 채용캠프에서 지원을 받는 포지션이 아닙니다."), "position_not_open")
    if not seeker.has_consent:
        raise HiringError(_("현장 접수 전에 구직자가 개인정보 제3자 제공에 동의해야 합니다."), "consent_required")
    application = seeker.applications.filter(position=position).first()
    if application is not None and application.status in (Status.MATCHED,):
        raise HiringError(_("이미 이 포지션에 지원했습니다."), "already_applied")
    if application is None:
        application = JobApplication(seeker=seeker, position=position)
    application.status = Status.MATCHED
    application.is_walk_in = True
    application.consent_version = seeker.consent_version
    application.consented_at = seeker.consented_at  # type: ignore[assignment]  # has_consent says it is set
    application.queue_status = JobApplication.Queue.ARRIVED
    application.decided_by, application.decided_at = by, timezone.now()
    # Staff added it at the company's table: the company needs no digest of it.
    application.company_notified_at = application.company_notified_at or application.decided_at
    application.save()
    scheduling.interview_place(application=application, by=by)
    seeker_email_queue(application, "walk_in_added", dedupe_key=f"hiring:application:{application.pk}:walk-in")
    return application


# --- retention ------------------------------------------------------------------------------


def seeker_purge(*, seeker: Seeker, now: datetime) -> bool:
    """Delete the CV and the personal details of one seeker. The file goes first: a crash before
    the row is marked leaves it to the next run, which finds the row unmarked and tries again.
    Returns False when another run got there first."""
    with transaction.atomic():
        locked = Seeker.objects.select_for_update(skip_locked=True).filter(pk=seeker.pk, purged_at__isnull=True).first()
        if locked is None:
            return False  # purged already, or another worker holds it right now
        if locked.cv:
            locked.cv.storage.delete(locked.cv.name)
        locked.cv = ""
        for name in (*SEEKER_FIELDS, "cv_original_name", "cv_content_type"):
            setattr(locked, name, "")
        locked.cv_size = 0
        locked.purged_at = now
        locked.save()
        locked.applications.update(message="")
        if locked.participant_id:
            # The seeker's name and address on the meetings grid go too; the meetings stay.
            from meetings.models import Participant

            Participant.objects.filter(pk=locked.participant_id).update(
                display_name=_("(파기됨)"), email="", organization="", introduction="", user=None
            )
    return True


def camps_purge_expired(*, now: datetime | None = None) -> dict[str, int]:
    """Purge the seekers of every camp whose retention period has ended. Safe to run any number
    of times: purged seekers and camps are skipped. Positions, applications and results stay
    (they carry no personal data after the purge) so that hires keep counting."""
    now = now or timezone.now()
    camps = purged = 0
    for camp in Camp.objects.select_related("event").filter(purged_at__isnull=True):
        if camp.retention_ends_at > now:
            continue
        for seeker in camp.seekers.filter(purged_at__isnull=True).only("pk"):
            purged += seeker_purge(seeker=seeker, now=now)
        if not camp.seekers.filter(purged_at__isnull=True).exists():
            Camp.objects.filter(pk=camp.pk, purged_at__isnull=True).update(purged_at=now)
            camps += 1
    if purged or camps:
        logger.info("hiring retention: %s seekers purged, %s camps closed", purged, camps)
    return {"camps": camps, "seekers": purged}
