"""Support programmes (지원사업): calls for applications, applications from tenant companies,
staff review and the outcomes SBA counts afterwards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from magok.i18n import Localized

from .uploads import attachment_upload_to, private_storage


class Program(models.Model):
    """A support programme SBA runs year after year (기술사업화 지원사업, 특허출원 지원, ...)."""

    class Kind(models.TextChoices):
        COMMERCIALIZATION = "commercialization", _("기술사업화")
        EXPORT = "export", _("수출 역량")
        PATENT = "patent", _("특허")
        COLLABORATION = "collaboration", _("대중소 협력")
        RND = "rnd", _("R&D 활성화")
        OTHER = "other", _("기타")

    slug = models.SlugField(_("코드"), unique=True)
    name_ko = models.CharField(_("사업명 (한국어)"), max_length=200)
    name_en = models.CharField(_("사업명 (영어)"), max_length=200, blank=True)
    description_ko = models.TextField(_("설명 (한국어)"), blank=True)
    description_en = models.TextField(_("설명 (영어)"), blank=True)
    kind = models.CharField(_("사업 유형"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    owner_team = models.CharField(_("담당 부서 (SBA)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("운영 중"), default=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "지원사업")
        verbose_name_plural = pgettext_lazy("models", "지원사업")
        ordering = ["order", "name_ko"]

    def __str__(self) -> str:
        return self.name_ko

    name = Localized()
    description = Localized()


class Call(models.Model):
    """One round of a programme (e.g. 2027년 1차) with its dates, eligibility, form and review criteria."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="calls", verbose_name=_("지원사업"))
    title_ko = models.CharField(_("공고명 (한국어)"), max_length=200)
    title_en = models.CharField(_("공고명 (영어)"), max_length=200, blank=True)
    description_ko = models.TextField(_("공고 내용 (한국어)"), blank=True)
    description_en = models.TextField(_("공고 내용 (영어)"), blank=True)
    opens_at = models.DateTimeField(_("접수 시작"))
    closes_at = models.DateTimeField(_("접수 마감"), help_text=_("이 시각 이전까지 제출할 수 있습니다 (서울 시간)."))
    budget_krw = models.PositiveBigIntegerField(_("예산 (원)"), default=0)
    selection_count = models.PositiveSmallIntegerField(_("선정 기업 수"), default=0)
    # Eligibility over the company record; an empty list means "any".
    eligible_size_classes = models.JSONField(_("지원 가능 기업 규모"), default=list, blank=True)
    eligible_move_in_statuses = models.JSONField(_("지원 가능 입주 현황"), default=list, blank=True)
    eligible_sectors = models.ManyToManyField(
        "companies.Sector", blank=True, related_name="program_calls", verbose_name=_("지원 가능 업종")
    )
    is_published = models.BooleanField(pgettext_lazy("call", "공개"), default=True)
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "모집 공고")
        verbose_name_plural = pgettext_lazy("models", "모집 공고")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"),
        ]
        indexes = [models.Index(fields=["is_published", "closes_at"], name="call_published_closes_idx")]

    def __str__(self) -> str:
        return self.title_ko

    def get_absolute_url(self) -> str:
        return reverse("programs:call_detail", kwargs={"pk": self.pk})

    title = Localized()
    description = Localized()

    def is_open(self, now: datetime | None = None) -> bool:
        """Open for new applications and submissions: opens_at <= now < closes_at."""
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class CallQuestion(models.Model):
    """A question on a call's application form, defined by staff."""

    class Kind(models.TextChoices):
        TEXT = "text", _("서술형")
        NUMBER = "number", _("숫자")
        CHOICE = "choice", _("선택형")
        FILE = "file", _("파일")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions", verbose_name=_("모집 공고"))
    label_ko = models.CharField(_("질문 (한국어)"), max_length=300)
    label_en = models.CharField(_("질문 (영어)"), max_length=300, blank=True)
    help_ko = models.CharField(_("안내 (한국어)"), max_length=500, blank=True)
    help_en = models.CharField(_("안내 (영어)"), max_length=500, blank=True)
    kind = models.CharField(_("유형"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(
        _("선택지"), default=list, blank=True, help_text=_('선택형일 때만. 예: ["예", "아니요"]')
    )
    required = models.BooleanField(_("필수"), default=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "신청서 질문")
        verbose_name_plural = pgettext_lazy("models", "신청서 질문")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label_ko

    label = Localized()
    help = Localized()


class RequiredDocument(models.Model):
    """A document the applicant uploads (사업계획서, 사업자등록증 사본, ...)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents", verbose_name=_("모집 공고"))
    name_ko = models.CharField(_("서류명 (한국어)"), max_length=200)
    name_en = models.CharField(_("서류명 (영어)"), max_length=200, blank=True)
    required = models.BooleanField(_("필수"), default=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "제출 서류")
        verbose_name_plural = pgettext_lazy("models", "제출 서류")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name_ko

    name = Localized()


class ReviewCriterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("모집 공고"))
    name_ko = models.CharField(_("평가 항목 (한국어)"), max_length=200)
    name_en = models.CharField(_("평가 항목 (영어)"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("가중치"), default=1)
    max_score = models.PositiveSmallIntegerField(_("만점"), default=10)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "평가 항목")
        verbose_name_plural = pgettext_lazy("models", "평가 항목")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_score_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name_ko} (×{self.weight})"

    name = Localized()


class Application(models.Model):
    """A company's application to a call. Status changes only through
    ``programs.services.application_transition``, which records each one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출 완료")
        SCREENING = "screening", _("심사 중")
        INFO_REQUESTED = "info_requested", _("보완 요청")
        RESUBMITTED = "resubmitted", _("보완 제출")
        SELECTED = "selected", _("선정")
        REJECTED = "rejected", _("미선정")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "신청 취소")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("모집 공고"))
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="program_applications", verbose_name=_("기업")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제출자"),
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # 접수번호, given at the first submission and kept for good (SBA-2026-000123): what the
    # company quotes when it calls SBA. ``programs.services.receipt_number_next`` numbers them.
    receipt_number = models.CharField(_("접수번호"), max_length=20, unique=True, null=True, blank=True, editable=False)
    # Pre-filled from the company profile and the applicant; editable while drafting.
    contact_name = models.CharField(_("담당자 이름"), max_length=100, blank=True)
    contact_email = models.EmailField(_("담당자 이메일"), blank=True)
    contact_phone = models.CharField(_("담당자 전화번호"), max_length=30, blank=True)
    employee_count = models.PositiveIntegerField(_("임직원 수"), null=True, blank=True)
    business_registration_number = models.CharField(_("사업자등록번호"), max_length=12, blank=True)
    # {"<question id>": value}; file questions live in ApplicationAttachment.
    answers = models.JSONField(_("답변"), default=dict, blank=True)
    consent_version = models.CharField(_("개인정보 동의 버전"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("개인정보 동의 일시"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    # The first submission, kept when a 보완 resubmission sets ``submitted_at`` again.
    first_submitted_at = models.DateTimeField(_("최초 제출 일시"), null=True, blank=True)
    decided_at = models.DateTimeField(_("결정 일시"), null=True, blank=True)
    # When the contact person's details were erased (programs.privacy); the application stays.
    erased_at = models.DateTimeField(_("개인정보 파기 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "신청서")
        verbose_name_plural = pgettext_lazy("models", "신청서")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "company"], name="application_one_per_company_per_call"),
        ]
        indexes = [models.Index(fields=["call", "status"], name="application_call_status_idx")]
        permissions = [("manage_reviews", _("심사 관리 (모든 심사 점수 열람)"))]

    def __str__(self) -> str:
        return f"{self.company} · {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("programs:application_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.INFO_REQUESTED}

    @property
    def is_decided(self) -> bool:
        return self.status in {self.Status.SELECTED, self.Status.REJECTED, self.Status.WITHDRAWN}

    @property
    def applicant(self):  # -> User | None
        return self.submitted_by or self.created_by


class ReceiptCounter(models.Model):
    """The last receipt number given in a year (Seoul time). Taking a number updates the row,
    which holds it locked until the submission commits, so numbers are never given twice."""

    year = models.PositiveSmallIntegerField(_("연도"), primary_key=True)
    last = models.PositiveIntegerField(_("마지막 번호"), default=0)

    class Meta:
        verbose_name = _("접수번호 일련번호")
        verbose_name_plural = _("접수번호 일련번호")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ApplicationEvent(models.Model):
    """One status change of an application: who, when, from what to what, and the message."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("신청서")
    )
    from_status = models.CharField(_("이전 상태"), max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(_("변경 상태"), max_length=20, choices=Application.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=pgettext_lazy("status change", "처리자"),
    )
    message = models.TextField(_("메시지"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("status change", "일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "신청 상태 이력")
        verbose_name_plural = pgettext_lazy("models", "신청 상태 이력")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '-'} → {self.to_status}"


class ApplicationAttachment(models.Model):
    """A file uploaded with an application: a required document or the answer to a file question.

    Stored under PRIVATE_MEDIA_ROOT with a random name; served only through
    ``programs.views.attachment_download``.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("신청서")
    )
    document = models.ForeignKey(
        RequiredDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제출 서류"),
    )
    question = models.ForeignKey(
        CallQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("질문")
    )
    file = models.FileField(_("파일"), upload_to=attachment_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(_("파일명"), max_length=200)
    content_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기 (바이트)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("올린 사람")
    )
    uploaded_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "첨부 파일")
        verbose_name_plural = pgettext_lazy("models", "첨부 파일")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("programs:attachment_download", kwargs={"pk": self.pk})


class SupersededAttachment(models.Model):
    """An earlier version of an attachment, replaced after the application had been submitted
    (a 보완 resubmission): kept, with its file, so that staff and the company can see what was
    first sent. Drafts that were never submitted replace their files outright."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="superseded_attachments", verbose_name=_("신청서")
    )
    document = models.ForeignKey(
        RequiredDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제출 서류"),
    )
    question = models.ForeignKey(
        CallQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("질문")
    )
    file = models.FileField(_("파일"), upload_to=attachment_upload_to, storage=private_storage, max_length=300)
    original_name = models.CharField(_("파일명"), max_length=200)
    content_type = models.CharField(_("파일 형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기 (바이트)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("올린 사람")
    )
    uploaded_at = models.DateTimeField(_("올린 일시"))
    superseded_at = models.DateTimeField(_("교체 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("이전 첨부 파일")
        verbose_name_plural = _("이전 첨부 파일")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("programs:superseded_attachment_download", kwargs={"pk": self.pk})


class Review(models.Model):
    """A reviewer's scores for one application. The row exists from the moment staff assign the
    reviewer (``submitted_at`` empty); other reviewers' scores stay hidden until it is submitted."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("신청서")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="program_reviews", verbose_name=_("심사위원")
    )
    # {"<criterion id>": score}
    scores = models.JSONField(_("점수"), default=dict, blank=True)
    comment = models.TextField(_("심사 의견"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("배정자")
    )
    assigned_at = models.DateTimeField(_("배정 일시"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "심사")
        verbose_name_plural = pgettext_lazy("models", "심사")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("programs:review_detail", kwargs={"pk": self.pk})

    def weighted_score(self, criteria: list[ReviewCriterion]) -> Decimal | None:
        """sum(score × weight) / sum(weight) over the call's criteria, scaled to 100."""
        total_weight = sum(c.weight for c in criteria)
        if not total_weight or self.submitted_at is None:
            return None
        weighted = sum(
            (Decimal(str(self.scores.get(str(c.pk), 0))) / c.max_score * 100 * c.weight for c in criteria),
            Decimal(0),
        )
        return (weighted / total_weight).quantize(Decimal("0.01"))


# The figures that add up across companies (the report's totals), then the free-text fields:
# the report form, the admin and the totals all list them from here.
OUTCOME_FIGURES = (
    "patents_filed",
    "export_contracts",
    "export_amount_krw",
    "mous_signed",
    "joint_rnd",
    "investment_krw",
    "hires",
)
OUTCOME_FIELDS = (*OUTCOME_FIGURES, "partners", "note")


class Outcome(models.Model):
    """What a company achieved with a programme in a year: the figures SBA reports."""

    class Source(models.TextChoices):
        STAFF = "staff", _("SBA 입력")
        COMPANY = "company", _("기업 보고")

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="program_outcomes", verbose_name=_("기업")
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("지원사업"))
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("신청서"),
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    patents_filed = models.PositiveIntegerField(_("특허 출원 (건)"), default=0)
    export_contracts = models.PositiveIntegerField(_("수출 계약 (건)"), default=0)
    export_amount_krw = models.PositiveBigIntegerField(_("수출 계약액 (원)"), default=0)
    mous_signed = models.PositiveIntegerField(_("MOU 체결 (건)"), default=0)
    joint_rnd = models.PositiveIntegerField(_("공동 R&D (건)"), default=0)
    investment_krw = models.PositiveBigIntegerField(_("투자 유치액 (원)"), default=0)
    hires = models.PositiveIntegerField(_("신규 채용 (명)"), default=0)
    partners = models.CharField(_("협력 기관"), max_length=300, blank=True, help_text=_("예: 이화의료원"))
    note = models.TextField(_("비고"), blank=True)
    source = models.CharField(_("입력 주체"), max_length=10, choices=Source.choices, default=Source.STAFF)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("입력자"),
    )
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "사업 성과")
        verbose_name_plural = pgettext_lazy("models", "사업 성과")
        ordering = ["-year", "program__order", "company__name_ko"]
        constraints = [
            models.UniqueConstraint(fields=["company", "program", "year"], name="outcome_one_per_company_program_year"),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.program} · {self.year}"
