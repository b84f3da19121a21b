from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from magok.i18n import Localized
from magok.inputs import validate_uri

from .search import DOCUMENT_FIELDS, AliasGroups, alias_groups, build_document, fold
from .validators import LOGO_EXTENSIONS, validate_business_registration_number, validate_logo_image

PENDING_LOGO_DIR = "logos/pending/"

SORT_NAME_LENGTH = 300
SORT_NAME_DIGITS = 10
_DIGIT_RUN = re.compile(r"\d+")


def natural_sort_name(name: str) -> str:
    """``name`` with every run of digits zero-padded to ten places, so that a plain text sort
    puts "예시기업 2" before "예시기업 10" (the directory's natural order)."""
    padded = _DIGIT_RUN.sub(lambda run: run.group().zfill(SORT_NAME_DIGITS), name)
    return padded[:SORT_NAME_LENGTH]


def logo_file_name(filename: str) -> str:
    """A random file name with the extension of ``filename`` (one of the logo extensions)."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    return f"{secrets.token_urlsafe(16)}.{extension if extension in LOGO_EXTENSIONS else 'img'}"


def pending_logo_upload_to(instance: Any, filename: str) -> str:
    """A proposed logo is not public until approved: its name is random, so that it cannot be
    guessed even where a proxy serves /media/ without asking the portal."""
    return PENDING_LOGO_DIR + logo_file_name(filename)


class SearchDocumentModel(models.Model):
    """A model found by the forgiving search (``companies.search``): three denormalised columns,
    rewritten on every ``save()`` from :meth:`search_texts` and the staff's aliases. Writes that
    bypass ``save()`` (``QuerySet.update``, ``bulk_create``) must call
    ``companies.search.reindex`` (or ``manage.py search_reindex``) afterwards."""

    search_names = models.TextField(_("검색용 이름"), blank=True, default="", editable=False)
    search_keywords = models.TextField(_("검색용 키워드"), blank=True, default="", editable=False)
    search_initials = models.TextField(_("검색용 초성"), blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_document()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *(f"search_{name}" for name in DOCUMENT_FIELDS)}
        super().save(*args, **kwargs)

    def search_texts(self) -> tuple[list[str], list[str]]:
        """(names, keywords) to index."""
        raise NotImplementedError

    def refresh_search_document(self, aliases: AliasGroups | None = None) -> None:
        names, keywords = self.search_texts()
        document = build_document(names, keywords, alias_groups() if aliases is None else aliases)
        for field, value in document.as_fields().items():
            setattr(self, field, value)


class SearchAlias(models.Model):
    """Words that mean the same to someone searching (엘지 = LG, 로봇 = robot), kept by SBA staff.
    A company name or keyword containing one of them is also found by the others."""

    terms = models.CharField(
        _("같은 말"),
        max_length=300,
        unique=True,
        help_text=_("같은 뜻의 말을 쉼표로 구분해 두 개 이상 적습니다. 예: 엘지, LG"),
    )
    note = models.CharField(_("메모"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "검색 동의어")
        verbose_name_plural = pgettext_lazy("models", "검색 동의어")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.terms = ", ".join(self.term_list())
        super().save(*args, **kwargs)

    def term_list(self) -> list[str]:
        return list(dict.fromkeys(term.strip() for term in self.terms.split(",") if term.strip()))

    def folded_terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(folded for folded in map(fold, self.term_list()) if folded))

    def clean(self) -> None:
        if len(self.folded_terms()) < 2:
            message = _("띄어쓰기와 기호를 빼고도 서로 다른 말을 두 개 이상 쉼표로 구분해 적어 주세요.")
            raise ValidationError({"terms": message})


class Sector(models.Model):
    slug = models.SlugField(_("코드"), unique=True)
    name_ko = models.CharField(_("이름 (한국어)"), max_length=100)
    name_en = models.CharField(_("이름 (영어)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "업종")
        verbose_name_plural = pgettext_lazy("models", "업종")
        ordering = ["order", "name_ko"]

    def __str__(self) -> str:
        return self.name

    name = Localized()


class Company(SearchDocumentModel):
    """A tenant company of the Magok Industrial Complex."""

    class SizeClass(models.TextChoices):
        LARGE = "large", _("대기업")
        MIDSIZED = "midsized", _("중견기업")
        SME = "sme", _("중소기업")
        STARTUP = "startup", _("스타트업")

    class MoveInStatus(models.TextChoices):
        ALLOTTED = "allotted", _("분양 완료")
        UNDER_CONSTRUCTION = "under_construction", _("건축 중")
        MOVED_IN = "moved_in", _("입주 완료")

    name_ko = models.CharField(_("기업명 (한국어)"), max_length=200)
    name_en = models.CharField(_("기업명 (영어)"), max_length=200, blank=True)
    # The Korean name with its numbers zero-padded (natural_sort_name), written by save().
    sort_name = models.CharField(
        _("정렬용 이름"), max_length=SORT_NAME_LENGTH, blank=True, default="", editable=False, db_index=True
    )
    slug = models.SlugField(_("주소용 이름"), max_length=80, unique=True, allow_unicode=False)
    size_class = models.CharField(_("기업 규모"), max_length=20, choices=SizeClass.choices)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="companies", verbose_name=_("업종"))
    keywords = models.CharField(
        _("기술 키워드"), max_length=500, blank=True, help_text=_("쉼표로 구분합니다. 예: 로봇, 액추에이터")
    )
    parcel_code = models.CharField(_("필지 번호"), max_length=30, blank=True)
    move_in_status = models.CharField(
        _("입주 현황"), max_length=20, choices=MoveInStatus.choices, default=MoveInStatus.ALLOTTED
    )
    moved_in_on = models.DateField(_("입주일"), null=True, blank=True)
    homepage = models.URLField(_("홈페이지"), blank=True, validators=[validate_uri])
    description_ko = models.TextField(_("소개 (한국어)"), blank=True)
    description_en = models.TextField(_("소개 (영어)"), blank=True)
    logo = models.ImageField(
        _("로고"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(LOGO_EXTENSIONS), validate_logo_image],
    )
    employee_count = models.PositiveIntegerField(
        _("임직원 수"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1_000_000)]
    )
    business_registration_number = models.CharField(
        _("사업자등록번호"),
        max_length=12,
        blank=True,
        validators=[validate_business_registration_number],
        help_text=_("공개되지 않습니다."),
    )
    is_public = models.BooleanField(_("공개"), default=True)
    is_sample = models.BooleanField(
        _("예시 데이터"), default=False, help_text=_("데모용 가상 기업입니다. 실제 입주기업이 아닙니다.")
    )
    created_at = models.DateTimeField(_("등록 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "입주기업")
        verbose_name_plural = pgettext_lazy("models", "입주기업")
        ordering = ["sort_name", "pk"]
        indexes = [
            models.Index(fields=["size_class"], name="company_size_idx"),
            models.Index(fields=["move_in_status"], name="company_move_in_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["business_registration_number"],
                condition=~Q(business_registration_number=""),
                name="company_unique_business_registration_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name_ko

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = natural_sort_name(self.name_ko)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", kwargs={"slug": self.slug})

    name = Localized()
    description = Localized()

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    def search_texts(self) -> tuple[list[str], list[str]]:
        return [self.name_ko, self.name_en], self.keyword_list


class ComplexProfile(models.Model):
    """Complex-wide figures that SBA staff keep current (one row)."""

    name_ko = models.CharField(_("단지명 (한국어)"), max_length=100, default="마곡산업단지")
    name_en = models.CharField(_("단지명 (영어)"), max_length=100, default="Magok Industrial Complex")
    area_m2 = models.PositiveIntegerField(_("면적 (㎡)"), default=1_120_000)
    designated_on = models.DateField(_("지정일"), null=True, blank=True)
    allotted_company_target = models.PositiveIntegerField(_("분양 기업 수"), default=150)
    move_in_target_year = models.PositiveSmallIntegerField(_("입주 완료 목표 연도"), default=2024)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "단지 현황")
        verbose_name_plural = pgettext_lazy("models", "단지 현황")

    def __str__(self) -> str:
        return self.name_ko

    name = Localized()

    @classmethod
    def load(cls) -> ComplexProfile:
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile


class ComplexYearTarget(models.Model):
    """A yearly target SBA staff set for the complex, kept with the complex profile; the
    results themselves are always counted from the data (backoffice.selectors)."""

    profile = models.ForeignKey(
        ComplexProfile, on_delete=models.CASCADE, related_name="year_targets", verbose_name=_("단지 현황")
    )
    year = models.PositiveSmallIntegerField(_("연도"), unique=True, validators=[MinValueValidator(2000)])
    moved_in_companies = models.PositiveIntegerField(
        _("연말 입주 완료 기업 수 목표"), help_text=_("그해 12월 31일까지 입주를 마친 기업 수(누적)의 목표입니다.")
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "연도별 목표")
        verbose_name_plural = pgettext_lazy("models", "연도별 목표")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class ProfileChangeRequest(models.Model):
    """A representative's proposed edit of the company profile, published only when SBA staff
    approve it. The public page keeps showing the approved data meanwhile."""

    class Status(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    # The fields a representative may change; names, size, parcel and move-in status are
    # official records that SBA staff keep.
    EDITABLE_FIELDS = ("name_en", "keywords", "homepage", "employee_count", "description_ko", "description_en")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("기업")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("요청자"),
    )
    # The proposed new values, only of the fields the representative changed: some of
    # EDITABLE_FIELDS and "sectors" (a sorted list of sector slugs).
    data = models.JSONField(_("변경 내용"), default=dict)
    # The company's values of those fields when the request was sent (plus "logo", the logo file
    # name, when a new logo or its removal is proposed). Approval refuses to overwrite a field
    # that SBA staff changed since.
    before = models.JSONField(_("요청 당시 값"), default=dict, blank=True)
    # A new logo waits here (not on the company) until approval.
    logo = models.ImageField(
        _("새 로고"),
        upload_to=pending_logo_upload_to,
        blank=True,
        validators=[FileExtensionValidator(LOGO_EXTENSIONS), validate_logo_image],
    )
    remove_logo = models.BooleanField(_("로고 삭제"), default=False)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("검토자"),
    )
    reviewed_at = models.DateTimeField(_("검토 일시"), null=True, blank=True)
    note = models.TextField(_("검토 의견"), blank=True)
    created_at = models.DateTimeField(_("요청 일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "기업정보 변경 요청")
        verbose_name_plural = pgettext_lazy("models", "기업정보 변경 요청")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(status="pending"), name="change_request_one_pending_per_company"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"


class CompanyImport(models.Model):
    """A large company import run by a worker, so that staff can watch its progress
    (``companies.spreadsheets.company_import_run``). The parsed rows wait here until the run."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("import status", "대기")
        RUNNING = "running", _("진행 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("오류")

    file_name = models.CharField(_("파일명"), max_length=200)
    rows = models.JSONField(_("행"), default=list, blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("전체 행 수"), default=0)
    processed = models.PositiveIntegerField(_("확인한 행 수"), default=0)
    created = models.PositiveIntegerField(_("추가한 기업 수"), default=0)
    updated = models.PositiveIntegerField(_("수정한 기업 수"), default=0)
    # [{"row": 3, "column": "size_class", "message": "..."}]
    errors = models.JSONField(_("오류"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("요청자")
    )
    created_at = models.DateTimeField(_("요청 일시"), auto_now_add=True)
    started_at = models.DateTimeField(_("작업 시작 일시"), null=True, blank=True)
    finished_at = models.DateTimeField(_("작업 완료 일시"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "기업 가져오기 작업")
        verbose_name_plural = pgettext_lazy("models", "기업 가져오기 작업")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
