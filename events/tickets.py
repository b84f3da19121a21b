"""The QR-code ticket: a PNG of the ticket code that staff scan at the door."""

from __future__ import annotations

import base64
import io

import qrcode

from .models import Registration


def ticket_qr_png(*, registration: Registration) -> bytes:
    # One fixed mask pattern instead of trying all eight for the "best" one (qrcode's default):
    # any mask is standard and scans the same, and choosing cost about 80% of the QR's time
    # (bench/results/profile.txt), in every confirmation and reminder e-mail.
    code = qrcode.QRCode(box_size=8, border=2, mask_pattern=0)
    code.add_data(registration.ticket_code)
    code.make(fit=True)
    image = code.make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_qr_data_uri(*, registration: Registration) -> str:
    return "data:image/png;base64," + base64.b64encode(ticket_qr_png(registration=registration)).decode("ascii")
