from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalize_business_registration_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_business_registration_number(value: str) -> None:
    """Korean business registration number (사업자등록번호): 10 digits, the last a checksum."""
    digits = normalize_business_registration_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("사업자등록번호는 숫자 10자리여야 합니다 (예: 123-45-67890)."), code="format")
    numbers = [int(d) for d in digits]
    total = sum(n * w for n, w in zip(numbers[:9], _BRN_WEIGHTS, strict=False))
    total += (numbers[8] * 5) // 10
    check = (10 - total % 10) % 10
    if check != numbers[9]:
        raise ValidationError(_("사업자등록번호가 올바르지 않습니다 (검증 숫자 불일치)."), code="checksum")
