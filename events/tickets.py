"""The QR-code ticket: a PNG of the ticket code that staff scan at the door."""

from __future__ import annotations

import base64
import io

import qrcode

from notifications.services import Attachment

from .ics import event_ics
from .models import Registration


def ticket_qr_png(*, registration: Registration) -> bytes:
    image = qrcode.make(registration.ticket_code, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_qr_data_uri(*, registration: Registration) -> str:
    return "data:image/png;base64," + base64.b64encode(ticket_qr_png(registration=registration)).decode("ascii")


def ticket_attachments(*, registration: Registration, language: str | None = None) -> tuple[Attachment, ...]:
    """The calendar file and the QR ticket that the confirmation, promotion and reminder
    e-mails carry. ``language``: of the calendar entry (default: the active language)."""
    return (
        Attachment("event.ics", event_ics(event=registration.event, language=language), "text/calendar"),
        Attachment("ticket.png", ticket_qr_png(registration=registration), "image/png"),
    )
