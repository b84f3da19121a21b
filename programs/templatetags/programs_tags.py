"""Template filters of the programme pages (dates and money: magok's ``formatting`` library)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``mapping[key]``, whether the mapping is keyed by the id itself (attachments by document
    or question id) or by its string (JSON answers): templates only ever have the id."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    return mapping.get(str(key))


@register.filter
def get_field(form: object, name: str) -> object:
    return form[name]  # type: ignore[index]
