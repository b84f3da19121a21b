from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from magok.templatetags.formatting import krw

register = template.Library()

ROW_HEIGHT = 56


@register.filter
def figure_value(value: float, unit: str) -> str:
    """A result as staff read it: 1,200,000원, 87.5%, 42."""
    if unit == "krw":
        return krw(int(value))
    if unit == "percent":
        return f"{value:.1f}%"
    return str(intcomma(int(value)))


@register.filter
def chart_height(figures: list) -> int:
    return ROW_HEIGHT * len(figures) + 8


@register.filter
def row_offset(index: int) -> int:
    return ROW_HEIGHT * index
