"""Dates as a Korean reader expects them (2019년 12월 11일 (수) 18:00), always in Asia/Seoul."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from magok.i18n import current_language

KOREAN_WEEKDAYS = "월화수목금토일"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    if current_language() == "en":
        return f"{value:%a}, {value.day} {value:%B %Y}"
    return f"{value.year}년 {value.month}월 {value.day}일 ({KOREAN_WEEKDAYS[value.weekday()]})"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{format_date(local)} {local:%H:%M}"


def format_datetime_seconds(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{format_date(local)} {local:%H:%M:%S}"
