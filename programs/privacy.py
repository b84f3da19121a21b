"""Personal data in programme applications: the applicant contact's name, e-mail and phone.

The application itself is the company's record and stays (statistics and outcomes depend on it);
the contact person's details are erased when that person deletes their account, or when the
retention period of the consent text the application agreed to has passed after the call closed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.consent import by_version
from accounts.models import User

from .consent import PROGRAM_CONSENTS
from .models import Application


def applications_of(user: User) -> QuerySet[Application]:
    return Application.objects.filter(
        Q(created_by=user) | Q(submitted_by=user) | Q(contact_email__iexact=user.email)
    ).distinct()


def applications_export(user: User) -> list[dict[str, Any]]:
    rows = applications_of(user).select_related("call", "company").order_by("created_at", "id")
    return [
        {
            "call": a.call.title_ko,
            "company": a.company.name,
            "status": a.get_status_display(),
            "contact_name": a.contact_name,
            "contact_email": a.contact_email,
            "contact_phone": a.contact_phone,
            "consent_version": a.consent_version,
            "submitted_at": timezone.localtime(a.submitted_at).isoformat() if a.submitted_at else None,
            "created_at": timezone.localtime(a.created_at).isoformat(),
        }
        for a in rows
    ]


def _erase(applications: QuerySet[Application], *, now: datetime) -> int:
    return applications.filter(erased_at__isnull=True).update(
        contact_name="", contact_email="", contact_phone="", erased_at=now, updated_at=now
    )


def applications_erase_contact_for(user: User, *, now: datetime | None = None) -> int:
    """Erase the contact details of applications where ``user`` is the contact (account deletion)."""
    ids = list(Application.objects.filter(contact_email__iexact=user.email).values_list("pk", flat=True))
    return _erase(Application.objects.filter(pk__in=ids), now=now or timezone.now())


def applications_erase_expired(*, now: datetime | None = None) -> int:
    """Erase contact details of applications whose call closed longer ago than the retention
    period of their consent text. Idempotent."""
    now = now or timezone.now()
    erased = 0
    versions = set(
        Application.objects.filter(erased_at__isnull=True).values_list("consent_version", flat=True).distinct()
    )
    for version in versions:
        period = by_version(PROGRAM_CONSENTS, version).retention_period
        if period is None:
            continue
        due = Application.objects.filter(consent_version=version, call__closes_at__lt=now - period)
        erased += _erase(due, now=now)
    return erased
