from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from companies.validators import validate_business_registration_number, validate_logo_image

from .factories import business_number, image_upload


@pytest.mark.parametrize("seed", [0, 1, 17, 4242, 99999])
def test_business_number_with_correct_check_digit_is_accepted(seed):
    validate_business_registration_number(business_number(seed))
    validate_business_registration_number(business_number(seed).replace("-", ""))


@pytest.mark.parametrize("seed", [0, 1, 17, 4242])
def test_business_number_with_wrong_check_digit_is_rejected(seed):
    with pytest.raises(ValidationError) as error:
        validate_business_registration_number(business_number(seed, valid=False))
    assert error.value.code == "checksum"


def test_known_good_business_number_passes():
    # 124-81-00998: the published number of Samsung Electronics (checksum computed by hand).
    validate_business_registration_number("124-81-00998")


@pytest.mark.parametrize("value", ["12-345-678", "abcdefghij", "123-45-6789012", ""])
def test_business_number_must_be_ten_digits(value):
    with pytest.raises(ValidationError) as error:
        validate_business_registration_number(value)
    assert error.value.code == "format"


def test_real_png_logo_is_accepted():
    validate_logo_image(image_upload())


def test_text_file_named_png_is_rejected():
    fake = SimpleUploadedFile("logo.png", b"<svg>not an image</svg>", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        validate_logo_image(fake)
    assert error.value.code == "invalid_image"


def test_logo_larger_than_two_megabytes_is_rejected():
    big = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError) as error:
        validate_logo_image(big)
    assert error.value.code == "file_size"


def test_logo_with_huge_dimensions_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_logo_image(image_upload(size=(2400, 10)))
    assert error.value.code == "image_dimensions"


def test_logo_in_unsupported_format_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_logo_image(image_upload("logo.png", image_format="BMP"))
    assert error.value.code == "image_format"
