from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from magok.i18n import Localized


def default_reminder_offsets() -> list[int]:
    return [7 * 24, 24]


def new_ticket_code() -> str:
    return secrets.token_urlsafe(12)


class Audience(models.TextChoices):
    PUBLIC = "public", _("누구나")
    TENANTS = "tenants", _("입주기업 임직원")
    EXECUTIVES = "executives", _("입주기업 대표·CEO")
    INVITED = "invited", _("초청 기업")


class EventKind(models.Model):
    """A kind of event SBA runs (tech exchange, CEO Biz Forum, ...). Staff can add kinds."""

    slug = models.SlugField(_("코드"), unique=True)
    name_ko = models.CharField(_("이름 (한국어)"), max_length=100)
    name_en = models.CharField(_("이름 (영어)"), max_length=100)
    description_ko = models.TextField(_("설명 (한국어)"), blank=True)
    description_en = models.TextField(_("설명 (영어)"), blank=True)
    reminder_offsets_hours = models.JSONField(
        _("리마인더 시점 (행사 몇 시간 전)"),
        default=default_reminder_offsets,
        blank=True,
        help_text=_("예: [168, 24]는 7일 전과 1일 전에 알림을 보냅니다."),
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "행사 유형")
        verbose_name_plural = pgettext_lazy("models", "행사 유형")
        ordering = ["order", "name_ko"]

    def __str__(self) -> str:
        return self.name

    name = Localized()


class EventSeries(models.Model):
    """A template from which recurring events (the monthly CEO Biz Forum, the biweekly Magok
    Salon) are created ahead of time."""

    class Rule(models.TextChoices):
        MONTHLY_FIRST_WEEKDAY = "monthly_first_weekday", _("매월 첫째 주 지정 요일")
        BIWEEKLY = "biweekly", _("2주마다")

    class HolidayPolicy(models.TextChoices):
        NEXT_WORKING_DAY = "next_working_day", _("다음 평일로 이동")
        PREVIOUS_WORKING_DAY = "previous_working_day", _("이전 평일로 이동")
        SKIP = "skip", _("건너뛰기")
        KEEP = "keep", _("그대로 진행")

    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="series", verbose_name=_("행사 유형"))
    title_ko = models.CharField(_("제목 (한국어)"), max_length=200)
    title_en = models.CharField(_("제목 (영어)"), max_length=200, blank=True)
    description_ko = models.TextField(_("설명 (한국어)"), blank=True)
    description_en = models.TextField(_("설명 (영어)"), blank=True)
    rule = models.CharField(_("반복 규칙"), max_length=30, choices=Rule.choices)
    weekday = models.PositiveSmallIntegerField(
        _("요일"), default=2, help_text=_("0=월요일 … 6=일요일. CEO 비즈포럼은 수요일(2)입니다.")
    )
    anchor_date = models.DateField(_("기준일"), null=True, blank=True, help_text=_("2주 반복의 첫 회차 날짜입니다."))
    start_time = models.TimeField(_("시작 시각"))
    duration_minutes = models.PositiveIntegerField(_("진행 시간 (분)"), default=120)
    venue_ko = models.CharField(_("장소 (한국어)"), max_length=200)
    venue_en = models.CharField(_("장소 (영어)"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("정원"))
    seat_cap_per_company = models.PositiveSmallIntegerField(_("기업당 최대 인원"), null=True, blank=True)
    audience = models.CharField(_("참가 대상"), max_length=20, choices=Audience.choices, default=Audience.TENANTS)
    months_ahead = models.PositiveSmallIntegerField(_("미리 만들 개월 수"), default=3)
    holiday_policy = models.CharField(
        _("공휴일 처리"), max_length=30, choices=HolidayPolicy.choices, default=HolidayPolicy.NEXT_WORKING_DAY
    )
    formats = models.JSONField(
        _("진행 방식 순환"),
        default=list,
        blank=True,
        help_text=_('회차마다 번갈아 쓰는 진행 방식입니다. 예: ["participatory", "lecture"]'),
    )
    registration_opens_days_before = models.PositiveSmallIntegerField(_("신청 시작 (며칠 전)"), default=30)
    publish_automatically = models.BooleanField(_("자동 게시"), default=True)
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "반복 행사")
        verbose_name_plural = pgettext_lazy("models", "반복 행사")
        ordering = ["title_ko"]

    def __str__(self) -> str:
        return self.title_ko

    title = Localized()


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        PUBLISHED = "published", _("게시")
        CANCELLED = "cancelled", _("취소")
        FINISHED = "finished", _("종료")

    class Format(models.TextChoices):
        PARTICIPATORY = "participatory", _("참여형")
        LECTURE = "lecture", _("강연형")

    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("행사 유형"))
    title_ko = models.CharField(_("제목 (한국어)"), max_length=200)
    title_en = models.CharField(_("제목 (영어)"), max_length=200, blank=True)
    description_ko = models.TextField(_("설명 (한국어)"), blank=True)
    description_en = models.TextField(_("설명 (영어)"), blank=True)
    format = models.CharField(_("진행 방식"), max_length=20, choices=Format.choices, blank=True)
    venue_ko = models.CharField(_("장소 (한국어)"), max_length=200)
    venue_en = models.CharField(_("장소 (영어)"), max_length=200, blank=True)
    venue_address = models.CharField(_("주소"), max_length=300, blank=True)
    # 문의처 shown on the event page; empty: SBA's Magok support desk (legal.policies.SBA_CONTACT).
    contact_name = models.CharField(_("문의처 담당"), max_length=100, blank=True)
    contact_phone = models.CharField(_("문의처 전화"), max_length=30, blank=True)
    contact_email = models.EmailField(_("문의처 이메일"), blank=True)
    starts_at = models.DateTimeField(_("시작 일시"))
    ends_at = models.DateTimeField(_("종료 일시"))
    capacity = models.PositiveIntegerField(_("정원"))
    seat_cap_per_company = models.PositiveSmallIntegerField(
        _("기업당 최대 인원"), null=True, blank=True, help_text=_("비워 두면 제한이 없습니다.")
    )
    registration_opens_at = models.DateTimeField(_("신청 시작"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("신청 마감"), null=True, blank=True)
    audience = models.CharField(_("참가 대상"), max_length=20, choices=Audience.choices, default=Audience.TENANTS)
    invited_companies = models.ManyToManyField(
        "companies.Company", blank=True, related_name="invited_events", verbose_name=_("초청 기업")
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("반복 행사"),
    )
    # The date the series scheduled this occurrence for. It stays when staff move or skip
    # (cancel) the occurrence, so the scheduler never recreates it.
    occurrence_date = models.DateField(_("예정 회차 날짜"), null=True, blank=True)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "행사")
        verbose_name_plural = pgettext_lazy("models", "행사")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_starts_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=Q(series__isnull=False),
                name="event_one_occurrence_per_series_date",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title_ko

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    title = Localized()
    description = Localized()
    venue = Localized()


class Speaker(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=pgettext_lazy("model", "행사")
    )
    name_ko = models.CharField(_("이름 (한국어)"), max_length=100)
    name_en = models.CharField(_("이름 (영어)"), max_length=100, blank=True)
    affiliation_ko = models.CharField(_("소속 (한국어)"), max_length=200, blank=True)
    affiliation_en = models.CharField(_("소속 (영어)"), max_length=200, blank=True)
    topic_ko = models.CharField(_("발표 주제 (한국어)"), max_length=200, blank=True)
    topic_en = models.CharField(_("발표 주제 (영어)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "연사")
        verbose_name_plural = pgettext_lazy("models", "연사")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name_ko

    name = Localized()
    affiliation = Localized()
    topic = Localized()


class AgendaItem(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=pgettext_lazy("model", "행사")
    )
    starts_at = models.TimeField(_("시각"))
    title_ko = models.CharField(_("내용 (한국어)"), max_length=200)
    title_en = models.CharField(_("내용 (영어)"), max_length=200, blank=True)
    speaker = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("연사")
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "프로그램 순서")
        verbose_name_plural = pgettext_lazy("models", "프로그램 순서")
        ordering = ["order", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.title_ko}"

    title = Localized()


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("참가 확정")
        WAITLISTED = "waitlisted", _("대기")
        CANCELLED = "cancelled", _("취소")
        # Registered without an account: waits until the address is proven by the e-mailed link.
        PENDING = "pending", _("이메일 확인 대기")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=pgettext_lazy("model", "행사")
    )
    # The account the attendee has, if any; colleagues registered by a representative may have none.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("사용자"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations_made",
        verbose_name=_("신청자"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("기업"),
    )
    attendee_name = models.CharField(_("참석자 이름"), max_length=100)
    email = models.EmailField(_("이메일"))
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    position = models.CharField(_("직위"), max_length=100, blank=True)
    language = models.CharField(_("안내 언어"), max_length=2, default="ko")
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices)
    ticket_code = models.CharField(_("티켓 번호"), max_length=32, unique=True, default=new_ticket_code)
    checked_in_at = models.DateTimeField(_("입장 확인 일시"), null=True, blank=True)
    consent_version = models.CharField(_("개인정보 동의 문구 버전"), max_length=20)
    consented_at = models.DateTimeField(_("개인정보 동의 일시"))
    cancelled_at = models.DateTimeField(_("취소 일시"), null=True, blank=True)
    # When the seat was confirmed: at registration, or later when promoted from the waitlist.
    confirmed_at = models.DateTimeField(_("참가 확정 일시"), null=True, blank=True)
    # A pending registration takes a seat until then (if one was free when it was made); after
    # that it is confirmed only if a seat is free when the address is proven.
    hold_expires_at = models.DateTimeField(_("좌석 임시 확보 기한"), null=True, blank=True)
    # When the attendee's personal data was erased (account deletion or the retention period of
    # the consent: events.privacy); the row stays for the statistics.
    erased_at = models.DateTimeField(_("개인정보 파기 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("신청 일시"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "참가 신청")
        verbose_name_plural = pgettext_lazy("models", "참가 신청")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_event_status_idx")]
        constraints = [
            # One live registration per attendee (identified by e-mail) and event.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_attendee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee_name} – {self.event}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class EventReminder(models.Model):
    """One reminder e-mail owed to a confirmed registrant, N hours before the event.

    Rows are planned and re-timed by ``events.reminders.reminders_plan`` and handed to the
    outbox by ``reminders_queue_due``; the e-mail row (``email``) then carries the delivery
    state (queued / sent / failed, attempts, last error).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("예정")
        QUEUED = "queued", _("발송 요청됨")
        CANCELLED = "cancelled", _("취소")
        SKIPPED = "skipped", _("생략")
        FAILED = "failed", _("실패")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("참가 신청")
    )
    offset_hours = models.PositiveIntegerField(_("행사 몇 시간 전"))
    due_at = models.DateTimeField(_("발송 예정 일시"))
    # The event start this reminder was timed against; when the event moves they differ.
    event_starts_at = models.DateTimeField(_("기준 행사 시작 일시"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    email = models.ForeignKey(
        "notifications.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("발송 이메일"),
    )
    queued_at = models.DateTimeField(_("발송 요청 일시"), null=True, blank=True)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "행사 리마인더")
        verbose_name_plural = pgettext_lazy("models", "행사 리마인더")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_status_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["registration", "offset_hours"], name="reminder_one_per_offset"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.offset_hours}h"


class CalendarFeedToken(models.Model):
    """The secret in a user's private calendar feed URL (``/events/feed/<token>.ics``): the
    events they may attend and their own registrations. Whoever has the URL reads the feed,
    so the user can replace the token (the old URL stops working at once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("사용자")
    )
    token = models.CharField(_("토큰"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("생성 일시"), auto_now=True)

    class Meta:
        verbose_name = _("개인 달력 구독 주소")
        verbose_name_plural = _("개인 달력 구독 주소")

    def __str__(self) -> str:
        return str(self.user)
