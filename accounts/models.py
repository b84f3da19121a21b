from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from companies.models import Company


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address: SBA staff, a tenant company's people, or the public."""

    class Language(models.TextChoices):
        KO = "ko", _("한국어")
        EN = "en", "English"

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("이메일"), unique=True)
    name = models.CharField(_("이름"), max_length=100)
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    position = models.CharField(_("직위"), max_length=100, blank=True)
    language = models.CharField(_("선호 언어"), max_length=2, choices=Language.choices, default=Language.KO)
    # Which text of the personal-data consent (accounts.consent) the user agreed to, and when.
    privacy_consent_version = models.CharField(_("개인정보 동의 버전"), max_length=40, blank=True)
    privacy_consented_at = models.DateTimeField(_("개인정보 동의 일시"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = pgettext_lazy("model", "사용자")
        verbose_name_plural = pgettext_lazy("models", "사용자")
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def membership(self) -> Membership | None:
        """The user's approved membership, if any (at most one: a database constraint)."""
        cached = getattr(self, "_approved_membership", None)
        if cached is None:
            cached = (
                Membership.objects.select_related("company")
                .filter(user=self, status=Membership.Status.APPROVED)
                .first()
            )
            self._approved_membership = cached or False
        return cached or None

    @property
    def company(self) -> Company | None:
        membership = self.membership
        return membership.company if membership else None

    @property
    def is_representative(self) -> bool:
        membership = self.membership
        return bool(membership and membership.role == Membership.Role.REPRESENTATIVE)

    def is_member_of(self, company: Company | int | None) -> bool:
        """An approved member (staff or representative) of ``company`` (the company or its id)."""
        membership = self.membership
        company_id = company if isinstance(company, int) or company is None else company.pk
        return bool(membership and company_id is not None and membership.company_id == company_id)

    def represents(self, company: Company | int | None) -> bool:
        """The approved representative of ``company`` (the company or its id): the one who acts for
        it (decides join requests, proposes profile changes, manages its registrations)."""
        return self.is_member_of(company) and self.is_representative


class Membership(models.Model):
    """Links a user to a tenant company. A request to join starts pending; the company's
    representative or SBA staff approves it."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("대표자")
        STAFF = "staff", _("직원")

    class Status(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("사용자"))
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("기업")
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.STAFF)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("요청 메시지"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("처리자")
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("요청 일시"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "기업 소속")
        verbose_name_plural = pgettext_lazy("models", "기업 소속")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                name="membership_unique_user_company",
                violation_error_message=_("이 사용자는 이미 이 기업에 소속 요청이 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="approved"),
                name="membership_one_approved_company_per_user",
                violation_error_message=_("이 사용자는 이미 다른 기업에 소속되어 있습니다."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.get_role_display()}, {self.get_status_display()})"


class SignupRequest(models.Model):
    """A sign-up waiting for the link e-mailed to its address to be opened.

    Nothing becomes an account before the address is proven, and the sign-up page answers
    the same whether or not the address has an account. Each attempt has its own row and link,
    so a stranger's sign-up with someone's address cannot change the one they made themselves.
    """

    # SHA-256 of the token in the link: the table alone does not let anyone confirm.
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("이메일"))
    name = models.CharField(_("이름"), max_length=100)
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    position = models.CharField(_("직위"), max_length=100, blank=True)
    language = models.CharField(_("선호 언어"), max_length=2, choices=User.Language.choices)
    password = models.CharField(_("비밀번호"), max_length=128)  # hashed, as on User
    privacy_consent_version = models.CharField(_("개인정보 동의 버전"), max_length=40)
    # Where the confirmed account lands (a path on this site, checked when stored and when used),
    # e.g. the consultation profile page an invitation sent them to.
    next_url = models.CharField(_("가입 후 이동할 주소"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("요청 일시"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("가입 확인 대기")
        verbose_name_plural = _("가입 확인 대기")

    def __str__(self) -> str:
        return self.email


class AccountDeletion(models.Model):
    """The record that an account was deleted (회원 탈퇴) and its consent withdrawn.

    It keeps no personal data: the former account's number, when, which consent text was
    withdrawn, and anonymous counts of what was cancelled and erased.
    """

    former_user_id = models.PositiveIntegerField(_("탈퇴한 계정 번호"))
    consent_version = models.CharField(_("철회한 동의서 버전"), max_length=40, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("동의 철회 일시"))
    counts = models.JSONField(_("처리 건수"), default=dict)

    class Meta:
        verbose_name = _("회원 탈퇴 기록")
        verbose_name_plural = _("회원 탈퇴 기록")
        ordering = ["-consent_withdrawn_at"]

    def __str__(self) -> str:
        return f"#{self.former_user_id} ({self.consent_withdrawn_at:%Y-%m-%d})"
