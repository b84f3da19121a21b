"""The attendee list of one or more events as CSV or XLSX, for staff who work in Excel.

Both formats have the same columns (``ATTENDEE_COLUMNS`` after the event's title); cancelled
registrations are left out. Cells go through ``magok.spreadsheets``, which keeps text that
starts like a formula as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from magok.spreadsheets import csv_bytes, xlsx_bytes

from .models import Event, Registration

ATTENDEE_COLUMNS = [
    (_("이름"), "attendee_name"),
    (_("기업"), "company"),
    (_("이메일"), "email"),
    (_("전화번호"), "phone"),
    (_("직위"), "position"),
    (_("상태"), "status"),
    (_("신청 일시"), "created_at"),
    (_("입장 확인 일시"), "checked_in_at"),
    (_("티켓 번호"), "ticket_code"),
]


def _attendee_cell(registration: Registration, field: str) -> Any:
    value = getattr(registration, field)
    if field == "company":
        return value.name_ko if value else ""
    if field == "status":
        return registration.get_status_display()
    if field in ("created_at", "checked_in_at"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
    return value


def attendee_rows(*, events: QuerySet[Event]) -> Iterable[list[Any]]:
    """The header, then one row per registration that is not cancelled, by event date and status."""
    yield [str(_("행사명")), *(str(label) for label, _field in ATTENDEE_COLUMNS)]
    registrations = (
        Registration.objects.filter(event__in=events)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "company")
        .order_by("event__starts_at", "status", "created_at")
    )
    for registration in registrations:
        cells = [_attendee_cell(registration, field) for _label, field in ATTENDEE_COLUMNS]
        yield [registration.event.title_ko, *cells]


def attendees_export_csv(*, events: QuerySet[Event]) -> bytes:
    return csv_bytes(attendee_rows(events=events))


def attendees_export_xlsx(*, events: QuerySet[Event]) -> bytes:
    return xlsx_bytes(attendee_rows(events=events), title="attendees")
