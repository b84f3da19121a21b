"""A person's rights over their own data: download it (JSON or XLSX) and delete the account
(회원 탈퇴), and the retention task that erases what is kept past its consent's period.

Deletion erases or anonymises everything that says who the person was: the account row itself
is deleted (records elsewhere point at it with SET_NULL and become anonymous), registrations and
application contacts are erased in place so that statistics keep their anonymous counts, their
future seats go back to the waitlist, and the consent withdrawal is recorded (AccountDeletion).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from events import privacy as event_privacy
from events import services as event_services
from events.models import Registration
from magok.errors import DomainError
from magok.spreadsheets import xlsx_workbook_bytes
from notifications.models import OutboundEmail
from programs import privacy as program_privacy

from .models import AccountDeletion, Membership, SignupRequest, User


class AccountDeletionRefused(DomainError):
    """The account cannot be deleted yet; the message says what to do first."""


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything the portal keeps about ``user``, in one document (정보주체의 열람권)."""
    memberships = Membership.objects.filter(user=user).select_related("company").order_by("created_at")
    emails = OutboundEmail.objects.filter(to__iexact=user.email).order_by("created_at")
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "phone": user.phone,
            "position": user.position,
            "language": user.language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "privacy_consent_version": user.privacy_consent_version,
            "privacy_consented_at": _iso(user.privacy_consented_at),
        },
        "memberships": [
            {
                "company": m.company.name,
                "role": m.get_role_display(),
                "status": m.get_status_display(),
                "requested_at": _iso(m.created_at),
                "decided_at": _iso(m.decided_at),
            }
            for m in memberships
        ],
        "registrations": event_privacy.registrations_export(user),
        "applications": program_privacy.applications_export(user),
        "emails": [
            {"subject": e.subject, "status": e.get_status_display(), "created_at": _iso(e.created_at)}
            for e in emails
        ],
    }


def personal_data_json(user: User) -> bytes:
    return json.dumps(personal_data(user), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")


def personal_data_xlsx(user: User) -> bytes:
    """The same document as ``personal_data``, one sheet per section."""
    data = personal_data(user)
    sheets: dict[str, list[list[Any]]] = {
        _("계정"): [[_("항목"), _("값")], *[[key, value] for key, value in data["account"].items()]]
    }
    titles = {
        "memberships": _("기업 소속"),
        "registrations": _("행사 신청"),
        "applications": _("지원사업 신청"),
        "emails": _("받은 이메일"),
    }
    for key, title in titles.items():
        rows = data[key]
        header = list(rows[0].keys()) if rows else [_("내용 없음")]
        sheets[title] = [header, *[list(row.values()) for row in rows]]
    return xlsx_workbook_bytes(sheets)


def account_deletion_refusal(user: User) -> str | None:
    """Why ``user`` cannot delete the account now, or None."""
    if user.is_staff or user.is_superuser:
        return _("SBA 직원 계정은 포털에서 탈퇴할 수 없습니다. 담당 부서에 계정 정리를 요청해 주세요.")
    if user.is_representative:
        return _(
            "기업 대표자는 탈퇴하기 전에 대표자 역할을 다른 구성원에게 넘겨야 합니다. "
            "구성원 관리에서 넘기거나, 구성원이 없으면 SBA에 문의해 주세요."
        )
    return None


def upcoming_registrations(user: User, *, now: datetime | None = None) -> QuerySet[Registration]:
    """The person's live registrations for events still to come: deletion cancels them."""
    return (
        event_privacy.registrations_of(user)
        .filter(event__starts_at__gt=now or timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


def account_delete(*, user: User, now: datetime | None = None) -> AccountDeletion:
    """Delete ``user``'s account and erase their personal data; returns the withdrawal record.

    Registrations for events still to come are cancelled first through the events service, so
    that their seats go to the waitlist exactly as a cancellation would.
    """
    refusal = account_deletion_refusal(user)
    if refusal:
        raise AccountDeletionRefused(refusal, "deletion_refused")
    now = now or timezone.now()
    cancelled = 0
    upcoming = upcoming_registrations(user, now=now)
    # A registration for the address made before the account existed is the person's too.
    upcoming.filter(user__isnull=True).update(user=user)
    for registration in upcoming:
        event_services.registration_cancel(registration=registration, by=user)
        cancelled += 1
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        email = locked.email
        counts = {
            "registrations_cancelled": cancelled,
            "registrations_erased": event_privacy.registrations_erase_for(locked, now=now),
            "application_contacts_erased": program_privacy.applications_erase_contact_for(locked, now=now),
            "memberships_removed": Membership.objects.filter(user=locked).delete()[0],
        }
        SignupRequest.objects.filter(email__iexact=email).delete()
        # Unsent mail to the address is dropped; sent mail keeps its subject for the outbox
        # statistics and loses the address and the body.
        OutboundEmail.objects.filter(to__iexact=email, status=OutboundEmail.Status.QUEUED).delete()
        OutboundEmail.objects.filter(to__iexact=email).update(
            to="erased@erased.invalid", body_text="", body_html="", attachments=[]
        )
        record = AccountDeletion.objects.create(
            former_user_id=locked.pk,
            consent_version=locked.privacy_consent_version,
            consent_withdrawn_at=now,
            counts=counts,
        )
        _delete_sessions(locked.pk)
        locked.delete()
    return record


def _delete_sessions(user_id: int) -> None:
    """Log the account out everywhere (database sessions)."""
    key = str(user_id)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()


def personal_data_expire(*, now: datetime | None = None) -> dict[str, int]:
    """The retention task: erase registrations and application contacts past the retention period
    stated in their consent. Idempotent."""
    now = now or timezone.now()
    return {
        "registrations": event_privacy.registrations_erase_expired(now=now),
        "applications": program_privacy.applications_erase_expired(now=now),
    }
