"""The QR-code ticket: a PNG of the ticket code that staff scan at the door."""

from __future__ import annotations

import base64
import io

import qrcode
from PIL import Image

from .models import Registration

BOX_SIZE = 8
BORDER = 2


def ticket_qr_code(ticket_code: str) -> qrcode.QRCode:
    # One fixed mask pattern instead of trying all eight for the "best" one (qrcode's default):
    # any mask is standard and scans the same, and choosing cost about 80% of the QR's time
    # (bench/results/profile.txt), in every confirmation and reminder e-mail.
    code = qrcode.QRCode(box_size=BOX_SIZE, border=BORDER, mask_pattern=0)
    code.add_data(ticket_code)
    code.make(fit=True)
    return code


def ticket_qr_png(*, registration: Registration) -> bytes:
    """The ticket's QR code as a black-and-white PNG, pixel for pixel what qrcode's own image
    writer draws (tests/events/test_tickets.py), made from the module matrix in one step:
    qrcode draws a rectangle per dark module, about 3 ms per ticket, at send time of every
    ticket e-mail (the reminder fan-out, bench/README.md)."""
    matrix = ticket_qr_code(registration.ticket_code).get_matrix()  # border included
    size = len(matrix)
    modules = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    image = modules.resize((size * BOX_SIZE, size * BOX_SIZE), Image.Resampling.NEAREST).convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_qr_data_uri(*, registration: Registration) -> str:
    return "data:image/png;base64," + base64.b64encode(ticket_qr_png(registration=registration)).decode("ascii")
