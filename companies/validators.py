from __future__ import annotations

import re
from typing import Any

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


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 2000
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


LOGO_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp"]


def validate_logo_image(file: Any) -> None:
    """A logo must be a real image (opened by Pillow, not judged by its name), at most 2 MB and
    at most 2000 px on each side."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(file, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise ValidationError(_("로고 파일은 2MB 이하여야 합니다."), code="file_size")
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("올바른 이미지 파일이 아닙니다."), code="invalid_image") from exc
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("PNG, JPEG, GIF, WebP 이미지만 올릴 수 있습니다."), code="image_format")
    if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
        raise ValidationError(
            _("로고 이미지는 가로·세로 %(max)s픽셀 이하여야 합니다."),
            code="image_dimensions",
            params={"max": LOGO_MAX_SIDE},
        )
