"""Dates as Korean readers expect them (2019년 12월 11일 (수)), and a normal English format."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from magok.i18n import current_language

register = template.Library()

KO_WEEKDAYS = "월화수목금토일"
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def event_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    value = _local(value)
    if current_language() == "en":
        return f"{EN_WEEKDAYS[value.weekday()]}, {value.day} {EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.year}년 {value.month}월 {value.day}일 ({KO_WEEKDAYS[value.weekday()]})"


@register.filter
def event_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{_local(value):%H:%M}"


@register.filter
def event_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{event_date(value)} {event_time(value)}"


@register.filter
def event_month(value: date) -> str:
    if current_language() == "en":
        return f"{EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.year}년 {value.month}월"


@register.filter
def seats_left(event: object) -> int:
    confirmed = getattr(event, "confirmed_count", 0)
    return max(event.capacity - confirmed, 0)  # type: ignore[attr-defined]
