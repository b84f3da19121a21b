"""Template filters of the programme pages (dates and money: magok's ``formatting`` library)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(str(key)) if mapping else None


@register.filter
def get_field(form: object, name: str) -> object:
    return form[name]  # type: ignore[index]
