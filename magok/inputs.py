"""Untrusted input, parsed where it enters: query strings, form fields and JSON bodies.

A bad value is the client's mistake and gets a 400 (or is ignored, for a filter in a query
string), never a 500. Each helper here refuses one class of value that Python or PostgreSQL
would otherwise choke on further in:

- NUL characters: PostgreSQL text cannot hold them (psycopg2 raises ValueError on the query).
- Non-ASCII digits: ``"²".isdigit()`` is true and ``int("²")`` raises.
- Numbers that are not finite or have more digits than any field needs: NaN cannot be stored
  in JSON, ``int(Decimal("Infinity"))`` raises, ``int(Decimal("1e999999999"))`` never returns.
- Deeply nested JSON: the parser raises RecursionError (an uncaught 500) or hands a structure
  to code that recurses over it.
- Years that a month view cannot step past, and UTC offsets that ``datetime`` accepts
  (up to ±23:59) but PostgreSQL refuses (beyond ±15:59).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
# Decimal digits of the largest number any form or JSON value needs (amounts in won, counts).
MAX_NUMBER_DIGITS = 18
MAX_INT_DIGITS = 18
# A month view steps to the months around it: keep well inside date.min and date.max.
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
# Characters that URLValidator lets through but RFC 3986 does not allow in a URI.
URI_FORBIDDEN_CHARACTERS = frozenset('"<>\\^`{|}')

_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)


def parse_int(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A non-negative int written in ASCII digits (within the bounds given), or None."""
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not text or len(text) > MAX_INT_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def parse_month(value: object) -> date | None:
    """The first day of a ``YYYY-MM`` month between MIN_YEAR and MAX_YEAR, or None."""
    match = _MONTH.fullmatch(str(value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def parse_text(value: object, *, max_length: int = 200) -> str | None:
    """A query-string value, stripped and cut to ``max_length``; None if it holds a NUL."""
    if value is None:
        return None
    text = str(value)
    if "\x00" in text:
        return None
    return text.strip()[:max_length]


def validate_no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("NUL 문자는 입력할 수 없습니다."), code="null_characters_not_allowed")


def parse_decimal(value: object) -> Decimal:
    """A finite number of at most MAX_NUMBER_DIGITS digits before and after the point, from a
    form or JSON value (str, int, float or Decimal; not bool); ValidationError otherwise."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(_("숫자를 입력하세요."), code="invalid")
    text = str(value).strip()
    if len(text) > 4 * MAX_NUMBER_DIGITS:
        raise ValidationError(_("숫자가 너무 깁니다."), code="max_digits")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("숫자를 입력하세요."), code="invalid") from None
    validate_finite_decimal(number)
    return number


def validate_finite_decimal(value: Decimal) -> None:
    """Refuse NaN, sNaN, ±Infinity and numbers with more than MAX_NUMBER_DIGITS digits on
    either side of the point (``1e999999999`` is short to write and endless to expand)."""
    if not value.is_finite():
        raise ValidationError(_("숫자를 입력하세요."), code="invalid")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if len(digits) + exponent > MAX_NUMBER_DIGITS or -exponent > MAX_NUMBER_DIGITS:
        raise ValidationError(_("숫자가 너무 깁니다."), code="max_digits")


def validate_uri(value: str) -> None:
    """URLValidator accepts ``"``, ``<``, ``>`` and a few more in the path; a URI may not hold them
    (RFC 3986), and a page that prints the value in an attribute should not have to care."""
    if URI_FORBIDDEN_CHARACTERS & set(value):
        raise ValidationError(_("주소에 쓸 수 없는 문자가 있습니다."), code="invalid")


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        else:
            continue
        deepest = max(deepest, depth + 1)
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(data: str | bytes) -> Any:
    """Strict JSON (no NaN or Infinity) nested at most MAX_JSON_DEPTH deep; ValueError otherwise."""
    try:
        value = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError("JSON nested too deeply")
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with parse_json's limits (DEFAULT_PARSER_CLASSES)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            return parse_json(stream.read().decode(encoding))
        except ValueError as exc:  # UnicodeDecodeError is one too
            raise ParseError(f"JSON parse error - {exc}") from None


class IsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601 date and time whose year and UTC offset PostgreSQL can hold."""

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        parsed = super().to_python(value)
        if parsed is None:
            return None
        offset = parsed.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise ValidationError(_("UTC 차이는 ±15:59를 넘을 수 없습니다."), code="invalid")
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise ValidationError(
                _("%(min)d년부터 %(max)d년까지만 입력할 수 있습니다."),
                code="invalid",
                params={"min": MIN_YEAR, "max": MAX_YEAR},
            )
        return parsed


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = IsoDateTimeField


class MonthField(forms.Field):
    """A ``YYYY-MM`` month, as parse_month reads it, cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value.replace(day=1)
        month = parse_month(value)
        if month is None:
            raise ValidationError(_("올바른 월을 입력하세요 (예: 2026-05)."), code="invalid")
        return month
