"""Template filters of the events pages; dates come from magok.dates (2019년 12월 11일 (수))."""

from __future__ import annotations

from django import template

from magok.dates import format_date, format_datetime, format_month, format_time

register = template.Library()

event_date = register.filter("event_date", format_date)
event_time = register.filter("event_time", format_time)
event_datetime = register.filter("event_datetime", format_datetime)
event_month = register.filter("event_month", format_month)


@register.filter
def seats_left(event: object) -> int:
    taken = getattr(event, "confirmed_count", 0) + getattr(event, "held_count", 0)
    return max(event.capacity - taken, 0)  # type: ignore[attr-defined]
