from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (a lockout of 14.5 minutes reads as 15)."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)
