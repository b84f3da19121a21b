from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template

from magok.dates import format_date, format_datetime

register = template.Library()


@register.filter
def kdate(value: date | datetime | None) -> str:
    return format_date(value)


@register.filter
def kdatetime(value: datetime | None) -> str:
    return format_datetime(value)


@register.filter
def krw(value: int | Decimal | None) -> str:
    """An amount in won with thousands separators: 1,000,000원 / KRW 1,000,000."""
    from magok.i18n import current_language

    if value is None:
        return ""
    number = f"{int(value):,}"
    return f"KRW {number}" if current_language() == "en" else f"{number}원"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(str(key)) if mapping else None


@register.filter
def get_field(form: object, name: str) -> object:
    return form[name]  # type: ignore[index]
