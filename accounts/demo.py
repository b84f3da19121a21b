"""Demo accounts whose credentials the README states. Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from companies.models import Company

from .consent import SIGNUP_CONSENT
from .models import Membership, User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    name: str
    position: str
    company_slug: str | None = None
    role: str = Membership.Role.STAFF
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin@sba.example.kr", "magok-admin-2027", "SBA 마곡사업팀", "담당자", is_superuser=True),
    DemoAccount(
        "ceo@robotis.example.kr",
        "magok-demo-2027",
        "김로봇",
        "대표이사",
        company_slug="robotis",
        role=Membership.Role.REPRESENTATIVE,
    ),
    DemoAccount("staff@robotis.example.kr", "magok-demo-2027", "이연구", "선임연구원", company_slug="robotis"),
    DemoAccount(
        "ceo@pharmsville.example.kr",
        "magok-demo-2027",
        "박팜스",
        "대표이사",
        company_slug="pharmsville",
        role=Membership.Role.REPRESENTATIVE,
    ),
)


def load_demo() -> str:
    created = 0
    memberships = 0
    skipped: list[str] = []
    now = timezone.now()
    for account in DEMO_ACCOUNTS:
        user, was_created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "name": account.name,
                "position": account.position,
                "is_staff": account.is_superuser,
                "is_superuser": account.is_superuser,
                "is_active": True,
            },
            create_defaults={
                "name": account.name,
                "position": account.position,
                "is_staff": account.is_superuser,
                "is_superuser": account.is_superuser,
                "privacy_consent_version": SIGNUP_CONSENT.version,
                "privacy_consented_at": now,
            },
        )
        created += was_created
        # The README states these passwords, so they are reset on every run.
        user.set_password(account.password)
        user.save(update_fields=["password"])
        if account.company_slug is None:
            continue
        company = Company.objects.filter(slug=account.company_slug).first()
        if company is None:
            skipped.append(f"{account.email} (no company {account.company_slug!r})")
            continue
        # Any other approved membership would break "one company per user"; demo users belong to one.
        Membership.objects.filter(user=user).exclude(company=company).delete()
        Membership.objects.update_or_create(
            user=user,
            company=company,
            defaults={"role": account.role, "status": Membership.Status.APPROVED, "decided_at": now},
        )
        memberships += 1
    summary = f"{len(DEMO_ACCOUNTS)} demo accounts ({created} new), {memberships} memberships"
    if skipped:
        summary += "; membership skipped for " + ", ".join(skipped)
    return summary
