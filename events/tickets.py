"""The QR-code ticket: a PNG of the ticket code that staff scan at the door."""

from __future__ import annotations

import base64
import io

import qrcode

from .models import Registration


def ticket_qr_png(*, registration: Registration) -> bytes:
    image = qrcode.make(registration.ticket_code, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_qr_data_uri(*, registration: Registration) -> str:
    return "data:image/png;base64," + base64.b64encode(ticket_qr_png(registration=registration)).decode("ascii")
