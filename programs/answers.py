"""One answer to a call's question, checked and brought to the form it is stored in.

The application page, the API and the service that saves a draft all go through
``answer_clean``, so an answer that one of them accepts the others accept too, and none of
them stores a value PostgreSQL or a later reader cannot handle (NaN, NUL, an object turned
into its Python repr)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from magok.inputs import parse_decimal, validate_no_nul

from .models import CallQuestion

MAX_TEXT_ANSWER = 20000


def answer_clean(*, question: CallQuestion, value: Any) -> str | int | float | None:
    """The value to store for ``question`` (None: no answer), or ValidationError with a message
    that names the question. ``value`` is what a form field or a JSON body holds: a string, a
    number, or None; lists, objects and booleans are refused (FILE questions take uploads, not
    answers, and are refused too)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError(
            _("'%(question)s'에는 글자나 숫자만 입력할 수 있습니다.") % {"question": question.label}, code="invalid"
        )
    if question.kind == CallQuestion.Kind.NUMBER:
        try:
            number = parse_decimal(value)
        except ValidationError:
            raise ValidationError(
                _("'%(question)s'에는 숫자를 입력하세요.") % {"question": question.label}, code="invalid"
            ) from None
        return int(number) if number == number.to_integral_value() else float(number)
    text = str(value)
    try:
        validate_no_nul(text)
    except ValidationError:
        raise ValidationError(
            _("'%(question)s'의 답변에 쓸 수 없는 문자가 있습니다.") % {"question": question.label}, code="invalid"
        ) from None
    if question.kind == CallQuestion.Kind.CHOICE:
        if text not in question.choices:
            raise ValidationError(
                _("'%(question)s'의 선택지에 없는 값입니다.") % {"question": question.label}, code="invalid_choice"
            )
        return text
    if question.kind == CallQuestion.Kind.FILE:
        raise ValidationError(_("'%(question)s'에는 파일을 첨부하세요.") % {"question": question.label}, code="invalid")
    return text.strip()[:MAX_TEXT_ANSWER]
