"""The hiring camp (M-밸리 기업 채용캠프): positions, job seekers, applications and their interviews.

Interviews and coaching sessions are meetings on the event's grid (``meetings`` app); this app
keeps what only the camp knows: who applied where, what the company decided, the queue on the day.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.uploads import private_storage


class Camp(models.Model):
    """A hiring camp, held as an event. The companies taking part are its ``CampCompany`` rows."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="hiring_camp", verbose_name=_("연결 행사")
    )
    applications_per_seeker = models.PositiveSmallIntegerField(_("구직자당 최대 지원 수"), default=3)
    applications_close_at = models.DateTimeField(_("사전 지원 마감"))
    retention_days = models.PositiveSmallIntegerField(
        _("구직자 정보 보유 기간 (일)"),
        default=90,
        help_text=_("행사 종료 후 이 기간이 지나면 이력서와 구직자 정보를 파기합니다."),
    )
    purged_at = models.DateTimeField(_("구직자 정보 파기 일시"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "채용캠프")
        verbose_name_plural = pgettext_lazy("models", "채용캠프")
        ordering = ["-event__starts_at"]

    def __str__(self) -> str:
        return str(self.event.title)

    def get_absolute_url(self) -> str:
        return reverse("hiring:camp_detail", kwargs={"pk": self.pk})

    @property
    def retention_ends_at(self) -> datetime:
        return self.event.ends_at + timedelta(days=self.retention_days)


class CampCompany(models.Model):
    """A tenant company taking part in a camp, with its interview table on the grid."""

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="companies", verbose_name=_("채용캠프"))
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="hiring_camps", verbose_name=_("기업")
    )
    # Set up by ``scheduling.camp_company_seat``: the company's interview table on the event's
    # grid and the participant that stands for its interview team there.
    table = models.OneToOneField(
        "meetings.Table",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hiring_company",
        verbose_name=_("면접 테이블"),
    )
    participant = models.OneToOneField(
        "meetings.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hiring_company",
        verbose_name=_("면접 참가자"),
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "참여 기업")
        verbose_name_plural = pgettext_lazy("models", "참여 기업")
        ordering = ["camp", "company__name_ko"]
        constraints = [models.UniqueConstraint(fields=["camp", "company"], name="hiring_campcompany_unique")]

    def __str__(self) -> str:
        return f"{self.camp} · {self.company}"


class Position(models.Model):
    """A job a participating company posts for a camp; seekers see it once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="positions", verbose_name=_("채용캠프"))
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="hiring_positions", verbose_name=_("기업")
    )
    title = models.CharField(_("직무명"), max_length=200)
    field = models.CharField(_("분야"), max_length=100)
    requirements = models.TextField(_("자격 요건"), blank=True)
    hires_planned = models.PositiveSmallIntegerField(_("채용 예정 인원"), default=1)
    place_of_work = models.CharField(_("근무지"), max_length=200)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("등록자"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "채용 포지션")
        verbose_name_plural = pgettext_lazy("models", "채용 포지션")
        ordering = ["camp", "company__name_ko", "title"]

    def __str__(self) -> str:
        return f"{self.company} · {self.title}"


def cv_upload_to(instance: Any, filename: str) -> str:
    """A random name in a folder per camp; the original name is kept on the row only."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    return f"hiring/{instance.camp_id or 0}/{uuid.uuid4().hex}.{extension}"


class Seeker(models.Model):
    """A job seeker's profile for one camp. A portal account without a company; everything
    personal here is deleted (``purged_at``) once the camp's retention period has passed."""

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="seekers", verbose_name=_("채용캠프"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hiring_seekers", verbose_name=_("회원")
    )
    display_name = models.CharField(_("이름"), max_length=100)
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    fields_of_interest = models.CharField(_("관심 분야"), max_length=300, blank=True)
    education = models.CharField(_("학력"), max_length=300, blank=True)
    cv = models.FileField(_("이력서"), storage=private_storage, upload_to=cv_upload_to, blank=True, max_length=300)
    cv_original_name = models.CharField(_("이력서 파일 이름"), max_length=200, blank=True)
    cv_content_type = models.CharField(_("이력서 형식"), max_length=120, blank=True)
    cv_size = models.PositiveIntegerField(_("이력서 크기"), default=0)
    # The third-party provision consent (hiring.consent): which text, when, and when withdrawn.
    consent_version = models.CharField(_("제3자 제공 동의 버전"), max_length=40, blank=True)
    consented_at = models.DateTimeField(_("제3자 제공 동의 일시"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("동의 철회 일시"), null=True, blank=True)
    participant = models.OneToOneField(
        "meetings.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hiring_seeker",
        verbose_name=_("미팅 참가자"),
    )
    is_sample = models.BooleanField(_("예시 데이터"), default=False)
    purged_at = models.DateTimeField(_("파기 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "구직자")
        verbose_name_plural = pgettext_lazy("models", "구직자")
        ordering = ["camp", "display_name"]
        constraints = [models.UniqueConstraint(fields=["camp", "user"], name="hiring_seeker_one_per_camp")]

    def __str__(self) -> str:
        return self.display_name or str(_("(파기됨)"))

    @property
    def has_consent(self) -> bool:
        return self.consented_at is not None and self.consent_withdrawn_at is None and self.purged_at is None


class JobApplication(models.Model):
    """A seeker's application to a position, and on the day their interview and its result.

    ``consented_at`` copies the seeker's consent at the moment of applying: the company may see
    the profile only for applications made under a consent that is still in force."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("지원")
        SHORTLISTED = "shortlisted", _("면접 후보")
        DECLINED = "declined", _("서류 불합격")
        MATCHED = "matched", _("매칭 확정")
        WITHDRAWN = "withdrawn", _("지원 취소함")

    class Result(models.TextChoices):
        HIRED = "hired", _("채용")
        NEXT_ROUND = "next_round", _("다음 전형")
        NOT_SELECTED = "not_selected", _("불합격")

    class Queue(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("queue", "대기")
        ARRIVED = "arrived", _("도착")
        LATE = "late", _("지각")
        NO_SHOW = "no_show", _("불참")
        DONE = "done", _("면접 완료")

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="applications", verbose_name=_("구직자"))
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="applications", verbose_name=_("채용 포지션")
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    message = models.TextField(_("지원 메시지"), blank=True, max_length=1000)
    consent_version = models.CharField(_("제3자 제공 동의 버전"), max_length=40)
    consented_at = models.DateTimeField(_("제3자 제공 동의 일시"))
    is_walk_in = models.BooleanField(_("현장 접수"), default=False)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hiring_application",
        verbose_name=_("면접"),
    )
    queue_status = models.CharField(_("현장 상태"), max_length=20, choices=Queue.choices, default=Queue.WAITING)
    queue_updated_at = models.DateTimeField(_("현장 상태 변경 일시"), null=True, blank=True)
    result = models.CharField(_("채용 결과"), max_length=20, choices=Result.choices, blank=True)
    result_note = models.CharField(_("결과 메모"), max_length=300, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("결과 입력자"),
    )
    result_at = models.DateTimeField(_("결과 입력 일시"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("마지막 처리자"),
    )
    decided_at = models.DateTimeField(_("마지막 처리 일시"), null=True, blank=True)
    # When the company's daily digest of new applications counted this one (None: not yet).
    # The row itself is the pending notice, written with the application: nothing is lost if
    # the digest task does not run one day, and nothing is counted twice.
    company_notified_at = models.DateTimeField(_("기업 알림 일시"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("지원 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "입사 지원")
        verbose_name_plural = pgettext_lazy("models", "입사 지원")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "position"], name="hiring_application_once_per_position"),
            models.CheckConstraint(condition=Q(result="") | Q(status="matched"), name="hiring_result_only_for_matched"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker} → {self.position}"


class CoachingTable(models.Model):
    """A job-readiness coaching table of a camp and the coach who sits at it; seekers book its
    free slots on the same grid as the interviews."""

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="coaching_tables", verbose_name=_("채용캠프"))
    table = models.OneToOneField(
        "meetings.Table", on_delete=models.CASCADE, related_name="hiring_coaching", verbose_name=_("테이블")
    )
    coach = models.OneToOneField(
        "meetings.Participant", on_delete=models.CASCADE, related_name="hiring_coaching", verbose_name=_("코치")
    )
    topic = models.CharField(_("코칭 주제"), max_length=200, blank=True, help_text=_("예: 자기소개서·모의면접"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("등록자"),
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "취업 코칭 테이블")
        verbose_name_plural = pgettext_lazy("models", "취업 코칭 테이블")
        ordering = ["camp", "table__order"]

    def __str__(self) -> str:
        return f"{self.table} · {self.coach}"
