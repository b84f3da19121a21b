"""Personal data in event registrations: what a person may download, erasure when they leave,
and erasure when the retention period their consent named has passed.

An erased registration keeps what the statistics count (event, company, status, check-in,
dates) and loses who it was: name, e-mail, phone, position and the link to an account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.consent import by_version
from accounts.models import User
from magok.pagecache import public_content_changed

from .consent import REGISTRATION_CONSENTS
from .models import Registration

ERASED_NAME = "-"


def erased_email(registration_id: int) -> str:
    # Unique per row (the live-registration constraint is on event and e-mail) and undeliverable.
    return f"erased-registration-{registration_id}@erased.invalid"


def registrations_of(user: User) -> QuerySet[Registration]:
    """Registrations that are this person's: for their account, or for their address with no
    account linked (made before the account existed; the address is proven at sign-up)."""
    return Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email, user__isnull=True))


def registrations_export(user: User) -> list[dict[str, Any]]:
    rows = registrations_of(user).select_related("event", "company").order_by("created_at", "id")
    return [
        {
            "event": r.event.title_ko,
            "event_starts_at": timezone.localtime(r.event.starts_at).isoformat(),
            "status": r.get_status_display(),
            "attendee_name": r.attendee_name,
            "email": r.email,
            "phone": r.phone,
            "position": r.position,
            "company": r.company.name if r.company else "",
            "ticket_code": r.ticket_code,
            "checked_in_at": timezone.localtime(r.checked_in_at).isoformat() if r.checked_in_at else None,
            "consent_version": r.consent_version,
            "consented_at": timezone.localtime(r.consented_at).isoformat(),
            "registered_at": timezone.localtime(r.created_at).isoformat(),
        }
        for r in rows
    ]


def _erase(registrations: QuerySet[Registration], *, now: datetime) -> int:
    erased = 0
    for registration_id in registrations.filter(erased_at__isnull=True).values_list("pk", flat=True):
        erased += Registration.objects.filter(pk=registration_id, erased_at__isnull=True).update(
            attendee_name=ERASED_NAME,
            email=erased_email(registration_id),
            phone="",
            position="",
            user=None,
            registered_by=None,
            erased_at=now,
            updated_at=now,
        )
    if erased:
        # A bulk UPDATE sends no signal: what is kept of the registrations (a user's tables,
        # magok/pagecache.py) must not show the erased names.
        public_content_changed()
    return erased


def registrations_erase_for(user: User, *, now: datetime | None = None) -> int:
    """Erase the personal data of every registration of ``user`` (account deletion); live
    registrations of events still to come must be cancelled first (their seat goes on)."""
    return _erase(registrations_of(user), now=now or timezone.now())


def registrations_erase_expired(*, now: datetime | None = None) -> int:
    """Erase registrations whose event ended longer ago than the retention period of the consent
    text each one agreed to. Idempotent: erased rows are not touched again."""
    now = now or timezone.now()
    erased = 0
    versions = set(
        Registration.objects.filter(erased_at__isnull=True).values_list("consent_version", flat=True).distinct()
    )
    for version in versions:
        period = by_version(REGISTRATION_CONSENTS, version).retention_period
        if period is None:
            continue
        due = Registration.objects.filter(consent_version=version, event__ends_at__lt=now - period)
        erased += _erase(due, now=now)
    return erased
