"""Dates and money as every page and e-mail shows them, in the active language:
2019년 12월 11일 (수) 14:00 / Wed, 11 December 2019 (see magok.dates); 1,000,000원 / KRW 1,000,000.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from magok.dates import format_date, format_datetime, format_month, format_time
from magok.i18n import current_language
from magok.particles import particle, with_particle

register = template.Library()

register.filter("kdate", format_date)
register.filter("ktime", format_time)
register.filter("kdatetime", format_datetime)
register.filter("kmonth", format_month)


@register.filter
def krw(value: int | Decimal | None) -> str:
    """An amount in won with thousands separators: 1,000,000원 / KRW 1,000,000."""
    if value is None:
        return ""
    number = f"{int(value):,}"
    return f"KRW {number}" if current_language() == "en" else f"{number}원"


@register.filter(is_safe=True)
def josa(value: object, particle_name: str) -> str:
    """In Korean, the word and its particle chosen from the word's last sound (magok.particles):
    ``{{ company.name|josa:"은/는" }}`` → 로보티즈는, 팜스빌은. In another language the word alone,
    so a translated sentence takes it as its subject: ``{% blocktranslate with
    company=company.name|josa:"은/는" %}{{ company }} 신청 자격을 갖추었습니다.`` reads
    "Robotis is eligible" in English, with no particle and no "은(는)"."""
    return with_particle(value, particle_name) if current_language() == "ko" else str(value)


@register.filter(is_safe=True)
def particle_for(value: object, particle_name: str) -> str:
    """Only the particle that follows ``value`` (empty outside Korean)."""
    return particle(value, particle_name) if current_language() == "ko" else ""
