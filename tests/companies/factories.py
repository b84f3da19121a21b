"""Factories and helpers for the companies tests (the shared ones are in tests/factories.py)."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from companies.models import ProfileChangeRequest
from companies.validators import _BRN_WEIGHTS
from tests.factories import CompanyFactory, UserFactory


def business_number(seed: int, *, valid: bool = True) -> str:
    """A business registration number with a correct (or, if not ``valid``, a wrong) check digit."""
    digits = [int(d) for d in f"{123450000 + seed:09d}"]
    total = sum(n * w for n, w in zip(digits, _BRN_WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    check = (10 - total % 10) % 10
    if not valid:
        check = (check + 1) % 10
    number = "".join(map(str, digits)) + str(check)
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def image_upload(
    name: str = "logo.png", *, size: tuple[int, int] = (64, 64), image_format: str = "PNG"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 78, 162)).save(buffer, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "BMP": "image/bmp"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class ProfileChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileChangeRequest

    company = factory.SubFactory(CompanyFactory)
    submitted_by = factory.SubFactory(UserFactory)
    data = factory.LazyAttribute(lambda o: {"name_en": "Proposed Name", "keywords": "새 키워드", "sectors": []})
