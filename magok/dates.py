"""Dates in Asia/Seoul, in the active language's format (magok/formats): 2019년 12월 11일 (수)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value: date | datetime | None) -> str:
    return "" if value is None else formats.date_format(_local(value), "DATE_FORMAT")


def format_datetime(value: datetime | None) -> str:
    return "" if value is None else formats.date_format(_local(value), "DATETIME_FORMAT")


def format_datetime_seconds(value: datetime | None) -> str:
    return "" if value is None else f"{format_datetime(value)}:{_local(value):%S}"


def format_time(value: datetime | None) -> str:
    return "" if value is None else formats.time_format(timezone.localtime(value), "TIME_FORMAT")


def format_month(value: date) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT")
