from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("SMTP is down")


class RefusingBackend(locmem.EmailBackend):
    """An SMTP server that refuses the recipients whose address starts with ``refused``
    (and keeps the rest in ``django.core.mail.outbox``, as the test backend does)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            refused = {to: (550, b"no such user") for to in message.to if to.startswith("refused")}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return super().send_messages(email_messages)
