"""The ticket QR code is drawn from the module matrix; it must be exactly qrcode's own image."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from events.models import Registration, new_ticket_code
from events.tickets import ticket_qr_code, ticket_qr_png


# Fixed codes (a parametrisation must be the same in every xdist worker), plus fresh ones.
@pytest.mark.parametrize("code", ["A", "MAGOK-" + "9" * 40, "Zx81_qP0-aaaaBBBBccccDDDD", "fresh"])
def test_ticket_png_is_pixel_for_pixel_qrcodes_own_image(code: str) -> None:
    if code == "fresh":
        code = new_ticket_code()
    ours = Image.open(io.BytesIO(ticket_qr_png(registration=Registration(ticket_code=code))))
    reference = ticket_qr_code(code).make_image().get_image()
    assert ours.size == reference.size
    assert ours.mode == "1"
    assert ImageChops.difference(ours.convert("L"), reference.convert("L")).getbbox() is None
