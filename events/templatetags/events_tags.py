"""Template filters of the events pages (dates and money: magok's ``formatting`` library)."""

from __future__ import annotations

from django import template

from events.selectors import seats_left

register = template.Library()
register.filter("seats_left", seats_left)
