"""The ticket QR code is drawn from the module matrix, with codewords computed by our own
Reed-Solomon step; it must be exactly qrcode's own image of the same code."""

from __future__ import annotations

import io
import random
import string

import pytest
import qrcode
from PIL import Image, ImageChops
from qrcode import util as qr_util

from events.models import Registration, new_ticket_code
from events.tickets import BORDER, BOX_SIZE, _codewords, ticket_qr_code, ticket_qr_png


def qrcodes_own(code: str) -> qrcode.QRCode:
    """The ticket's QR code made by qrcode alone (its own codewords, its own ``make``)."""
    reference = qrcode.QRCode(box_size=BOX_SIZE, border=BORDER, mask_pattern=0)
    reference.add_data(code)
    reference.make(fit=True)
    return reference


# Fixed codes (a parametrisation must be the same in every xdist worker), plus fresh ones.
@pytest.mark.parametrize("code", ["A", "MAGOK-" + "9" * 40, "Zx81_qP0-aaaaBBBBccccDDDD", "fresh"])
def test_ticket_png_is_pixel_for_pixel_qrcodes_own_image(code: str) -> None:
    if code == "fresh":
        code = new_ticket_code()
    ours = Image.open(io.BytesIO(ticket_qr_png(registration=Registration(ticket_code=code))))
    reference = qrcodes_own(code).make_image().get_image()
    assert ours.size == reference.size
    assert ours.mode == "1"
    assert ImageChops.difference(ours.convert("L"), reference.convert("L")).getbbox() is None


def test_codewords_are_qrcodes_for_every_mode_length_and_error_level() -> None:
    rnd = random.Random(11)
    alphabets = (string.digits, string.ascii_uppercase + string.digits + " $%*+-./:", string.printable, "마곡포털")
    checked = set()
    for n in range(600):
        text = "".join(rnd.choice(alphabets[n % 4]) for _ in range(rnd.randint(1, 300)))
        for level in (qrcode.ERROR_CORRECT_L, qrcode.ERROR_CORRECT_M, qrcode.ERROR_CORRECT_Q, qrcode.ERROR_CORRECT_H):
            code = qrcode.QRCode(error_correction=level)
            code.add_data(text)
            code.best_fit()
            assert _codewords(code.version, level, code.data_list) == qr_util.create_data(
                code.version, level, code.data_list
            ), (text, level)
            checked.add(code.version)
    assert len(checked) >= 10  # many block layouts, not one


@pytest.mark.parametrize("code", ["A", "MAGOK-" + "9" * 40, "fresh"])
def test_ticket_matrix_is_qrcodes_own(code: str) -> None:
    if code == "fresh":
        code = new_ticket_code()
    assert ticket_qr_code(code).get_matrix() == qrcodes_own(code).get_matrix()
