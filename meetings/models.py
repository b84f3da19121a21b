"""The meeting engine: a grid of time slots and tables per event, participants, and meetings
placed on (slot, table) with one seat row per side.

The database holds the two rules that matter most, whatever code writes:
- a table holds at most one live meeting per slot (``meeting_one_live_per_table_slot``);
- a participant sits in at most one live meeting per slot (``seat_one_live_per_participant_slot``).
``meetings.services`` is the only writer and takes the grid lock before it decides (see there).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from magok.dates import format_time


def parse_break(text: str) -> tuple[str, str]:
    """``"12:00-13:00"`` -> ("12:00", "13:00"); raises ValueError on anything else."""
    start, _sep, end = text.partition("-")
    start, end = start.strip(), end.strip()
    for part in (start, end):
        hours, _colon, minutes = part.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(text)
    if start.zfill(5) >= end.zfill(5):
        raise ValueError(text)
    return start.zfill(5), end.zfill(5)


class MeetingKind(models.TextChoices):
    CONSULTATION = "consultation", _("비즈니스 상담")
    INTERVIEW = "interview", _("채용 면접")
    COACHING = "coaching", _("취업 코칭")


class MeetingGrid(models.Model):
    """Meetings enabled on an event: the time slots (length, first and last start, breaks),
    the request deadline and the maximum of meetings per participant."""

    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="meeting_grid",
        verbose_name=pgettext_lazy("model", "행사"),
    )
    kind = models.CharField(
        _("미팅 종류"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.CONSULTATION
    )
    slot_minutes = models.PositiveSmallIntegerField(_("미팅 시간 (분)"), default=20)
    first_start = models.DateTimeField(_("첫 미팅 시작"))
    last_start = models.DateTimeField(_("마지막 미팅 시작"))
    breaks = models.JSONField(
        _("휴식 시간"),
        default=list,
        blank=True,
        help_text=_('미팅을 두지 않는 시간입니다. 예: ["12:00-13:00"] (서울 시각)'),
    )
    request_deadline = models.DateTimeField(_("미팅 신청 마감"), null=True, blank=True)
    max_meetings_per_participant = models.PositiveSmallIntegerField(_("참가자당 최대 미팅 수"), default=6)
    is_open = models.BooleanField(
        _("참가 신청 받기"), default=True, help_text=_("끄면 프로필 작성과 미팅 신청을 받지 않습니다.")
    )
    published_at = models.DateTimeField(_("일정 공개 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "미팅 그리드")
        verbose_name_plural = pgettext_lazy("models", "미팅 그리드")
        ordering = ["-first_start"]
        permissions = [
            ("plan_schedule", _("미팅 일정 자동 배정")),
            ("publish_schedule", _("미팅 일정 공개·발송")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(last_start__gte=F("first_start")), name="grid_last_after_first"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="grid_slot_minutes_min"),
        ]

    def __str__(self) -> str:
        return str(self.event)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not isinstance(self.breaks, list) or not all(isinstance(b, str) for b in self.breaks):
            errors["breaks"] = gettext('휴식 시간은 ["12:00-13:00"]처럼 "시:분-시:분" 목록으로 적어 주세요.')
        else:
            for text in self.breaks:
                try:
                    parse_break(text)
                except ValueError:
                    errors["breaks"] = gettext("휴식 시간 %(value)s을(를) 읽을 수 없습니다. 예: 12:00-13:00") % {
                        "value": text
                    }
        if self.first_start and self.last_start and self.last_start < self.first_start:
            errors["last_start"] = gettext("마지막 미팅 시작은 첫 미팅 시작보다 늦어야 합니다.")
        if self.slot_minutes is not None and self.slot_minutes < 5:
            errors["slot_minutes"] = gettext("미팅 시간은 5분 이상이어야 합니다.")
        if errors:
            raise ValidationError(errors)

    def requests_open(self, now: datetime) -> bool:
        return self.is_open and (self.request_deadline is None or now < self.request_deadline)


class Slot(models.Model):
    """One time slot of a grid; generated from the grid's definition by ``grid_slots_generate``."""

    grid = models.ForeignKey(MeetingGrid, on_delete=models.CASCADE, related_name="slots", verbose_name=_("미팅 그리드"))
    starts_at = models.DateTimeField(_("시작"))
    ends_at = models.DateTimeField(_("종료 시각"))

    class Meta:
        verbose_name = pgettext_lazy("model", "시간대")
        verbose_name_plural = pgettext_lazy("models", "시간대")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "starts_at"], name="slot_unique_start_per_grid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{format_time(self.starts_at)}–{format_time(self.ends_at)}"


class Table(models.Model):
    """A place where meetings happen ("상담 테이블 3"), or one company's interview table."""

    grid = models.ForeignKey(
        MeetingGrid, on_delete=models.CASCADE, related_name="tables", verbose_name=_("미팅 그리드")
    )
    name = models.CharField(_("이름"), max_length=100)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tables",
        verbose_name=_("전용 기업"),
        help_text=_("면접처럼 한 기업이 쓰는 테이블이면 고릅니다."),
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "테이블")
        verbose_name_plural = pgettext_lazy("models", "테이블")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["grid", "name"], name="table_unique_name_per_grid")]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """Someone who takes part in the meetings of one grid: a confirmed registrant of the event
    (tenant or public path), a company's interview team, a job seeker or a coach."""

    class Role(models.TextChoices):
        COMPANY = "company", _("기업")
        RESEARCH = "research", _("대학·연구기관")
        HOSPITAL = "hospital", _("병원")
        PUBLIC_BODY = "public_body", _("공공기관")
        SEEKER = "seeker", _("구직자")
        COACH = "coach", _("코치")
        OTHER = "other", _("기타")

    grid = models.ForeignKey(
        MeetingGrid, on_delete=models.CASCADE, related_name="participants", verbose_name=_("미팅 그리드")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("사용자"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("기업"),
    )
    registration = models.ForeignKey(
        "events.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("참가 신청"),
    )
    display_name = models.CharField(_("이름"), max_length=100)
    organization = models.CharField(_("소속"), max_length=200, blank=True, help_text=_("예: 이화의료원"))
    email = models.EmailField(_("이메일"), blank=True)
    language = models.CharField(_("안내 언어"), max_length=2, default="ko")
    role = models.CharField(_("구분"), max_length=20, choices=Role.choices, default=Role.COMPANY)
    is_visible = models.BooleanField(
        _("다른 참가자에게 공개"), default=True, help_text=_("끄면 다른 참가자의 목록과 추천에 나타나지 않습니다.")
    )
    offers_keywords = models.CharField(
        _("제공할 수 있는 기술·역량"), max_length=500, blank=True, help_text=_("쉼표로 구분합니다. 예: 로봇 액추에이터")
    )
    seeks_keywords = models.CharField(
        _("찾는 기술·협력"), max_length=500, blank=True, help_text=_("쉼표로 구분합니다. 예: 임상시험, 바이오마커")
    )
    offers_sectors = models.ManyToManyField(
        "companies.Sector", blank=True, related_name="+", verbose_name=_("제공 분야")
    )
    seeks_sectors = models.ManyToManyField(
        "companies.Sector", blank=True, related_name="+", verbose_name=_("관심 분야")
    )
    introduction = models.TextField(_("소개 글"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "미팅 참가자")
        verbose_name_plural = pgettext_lazy("models", "미팅 참가자")
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "user"], condition=Q(user__isnull=False), name="participant_one_per_user_grid"
            ),
            models.UniqueConstraint(
                fields=["grid", "registration"],
                condition=Q(registration__isnull=False),
                name="participant_one_per_registration_grid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.organization})" if self.organization else self.display_name

    @staticmethod
    def split_keywords(text: str) -> list[str]:
        return [k.strip() for k in text.split(",") if k.strip()]

    @property
    def offers_list(self) -> list[str]:
        return self.split_keywords(self.offers_keywords)

    @property
    def seeks_list(self) -> list[str]:
        return self.split_keywords(self.seeks_keywords)


class Unavailability(models.Model):
    """A slot in which a participant, or a table, takes no meeting."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="unavailabilities",
        verbose_name=_("참가자"),
    )
    table = models.ForeignKey(
        Table,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="unavailabilities",
        verbose_name=_("테이블"),
    )
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("시간대"))

    class Meta:
        verbose_name = pgettext_lazy("model", "불가 시간")
        verbose_name_plural = pgettext_lazy("models", "불가 시간")
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, table__isnull=True)
                | Q(participant__isnull=True, table__isnull=False),
                name="unavailability_participant_xor_table",
            ),
            models.UniqueConstraint(
                fields=["participant", "slot"],
                condition=Q(participant__isnull=False),
                name="unavailability_participant",
            ),
            models.UniqueConstraint(
                fields=["table", "slot"], condition=Q(table__isnull=False), name="unavailability_table"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant or self.table} × {self.slot}"


class Meeting(models.Model):
    """A meeting on (slot, table) with one ``MeetingSeat`` per side. ``demand_key`` names what
    asked for it ("request:12" for a consultation request, "match:7" for an interview): the
    batch planner keeps a live meeting per key and never places a key twice."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("확정")
        DONE = "done", _("진행함")
        NO_SHOW = "no_show", _("불참")
        CANCELLED = "cancelled", _("취소")

    grid = models.ForeignKey(
        MeetingGrid, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("미팅 그리드")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("시간대"))
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("테이블"))
    kind = models.CharField(_("종류"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.CONSULTATION)
    state = models.CharField(_("상태"), max_length=20, choices=State.choices, default=State.SCHEDULED)
    demand_key = models.CharField(_("신청 키"), max_length=60, blank=True)
    note = models.CharField(_("메모"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("배정한 사람"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("변경자"),
    )
    cancelled_at = models.DateTimeField(_("취소 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "미팅")
        verbose_name_plural = pgettext_lazy("models", "미팅")
        ordering = ["slot__starts_at", "table__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "slot"], condition=~Q(state="cancelled"), name="meeting_one_live_per_table_slot"
            ),
            models.UniqueConstraint(
                fields=["grid", "demand_key"],
                condition=~Q(state="cancelled") & ~Q(demand_key=""),
                name="meeting_one_live_per_demand",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.table}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:schedule", kwargs={"grid_id": self.grid_id})

    @property
    def is_live(self) -> bool:
        return self.state != self.State.CANCELLED


class MeetingSeat(models.Model):
    """One side of a meeting. ``slot`` repeats the meeting's slot and ``is_live`` its liveness
    (the services keep both in step) so that the database can refuse a participant in two live
    meetings of one slot."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("미팅"))
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="seats", verbose_name=_("참가자")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="+", verbose_name=_("시간대"))
    is_live = models.BooleanField(_("유효"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "미팅 참석자")
        verbose_name_plural = pgettext_lazy("models", "미팅 참석자")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], condition=Q(is_live=True), name="seat_one_live_per_participant_slot"
            ),
            models.UniqueConstraint(fields=["meeting", "participant"], name="seat_one_per_participant_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.meeting}"


# --- Business consultations ----------------------------------------------------------------


class MeetingRequest(models.Model):
    """A participant asks another for a 1:1 business consultation; accepted requests are what the
    planner places (``demand_key`` "request:<id>")."""

    class State(models.TextChoices):
        PENDING = "pending", _("응답 대기")
        ACCEPTED = "accepted", _("수락")
        DECLINED = "declined", _("거절")
        WITHDRAWN = "withdrawn", _("철회")

    grid = models.ForeignKey(
        MeetingGrid, on_delete=models.CASCADE, related_name="requests", verbose_name=_("미팅 그리드")
    )
    sender = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="sent_requests", verbose_name=_("보낸 사람")
    )
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="received_requests", verbose_name=_("상대")
    )
    message = models.CharField(_("메시지"), max_length=500, blank=True)
    state = models.CharField(_("상태"), max_length=20, choices=State.choices, default=State.PENDING)
    decided_at = models.DateTimeField(_("응답 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("보낸 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "미팅 신청")
        verbose_name_plural = pgettext_lazy("models", "미팅 신청")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="request_not_to_self"),
            # One live request per pair, whichever side sent it.
            models.UniqueConstraint(
                Least("sender", "recipient"),
                Greatest("sender", "recipient"),
                condition=Q(state__in=["pending", "accepted"]),
                name="request_one_live_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"

    @property
    def demand_key(self) -> str:
        return f"request:{self.pk}"

    def other_side(self, participant: Participant) -> Participant:
        return self.recipient if participant.pk == self.sender_id else self.sender


class ConsultationOutcome(models.Model):
    """What one side says came of a consultation, after the event. A signed MOU counts once per
    request and company in the yearly outcomes (``selectors.consultation_mou_counts``), however
    many sides record it."""

    class Result(models.TextChoices):
        NO_INTEREST = "no_interest", _("추가 협력 의사 없음")
        FOLLOW_UP = "follow_up", _("후속 미팅")
        JOINT_RESEARCH = "joint_research", _("공동연구 논의 중")
        MOU_PLANNED = "mou_planned", _("MOU 체결 예정")
        MOU_SIGNED = "mou_signed", _("MOU 체결")

    request = models.ForeignKey(
        MeetingRequest,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=pgettext_lazy("model", "미팅 신청"),
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("기록한 참가자")
    )
    result = models.CharField(_("결과"), max_length=20, choices=Result.choices)
    occurred_on = models.DateField(_("일자"), null=True, blank=True, help_text=_("MOU 체결일 등"))
    note = models.CharField(_("메모"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("입력자"),
    )
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "상담 결과")
        verbose_name_plural = pgettext_lazy("models", "상담 결과")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "participant"], name="outcome_one_per_side"),
            models.CheckConstraint(
                condition=~Q(result="mou_signed") | Q(occurred_on__isnull=False), name="outcome_mou_signed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_result_display()}"
