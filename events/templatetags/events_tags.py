"""Template filters of the events pages (dates and money: magok's ``formatting`` library)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def seats_left(event: object) -> int:
    taken = getattr(event, "confirmed_count", 0) + getattr(event, "held_count", 0)
    return max(event.capacity - taken, 0)  # type: ignore[attr-defined]
