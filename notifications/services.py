"""The outbox: queue an e-mail with the change that causes it, send it after commit."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A row claimed longer ago than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str


def email_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str = "ko",
    attachments: tuple[Attachment, ...] = (),
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Render ``<template>_subject.txt``, ``<template>.txt`` (and ``<template>.html`` if it
    exists) in ``language`` and queue the e-mail; the send task is prompted after commit.

    Returns None when ``dedupe_key`` was queued before.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        try:
            body_html = render_to_string(f"{template}.html", context)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            body_html = ""
    row = OutboundEmail(
        to=to,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        language=language,
        dedupe_key=dedupe_key,
        attachments=[
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "content_b64": base64.b64encode(a.content).decode("ascii"),
            }
            for a in attachments
        ],
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: _prompt_send(row.pk))
    return row


def _prompt_send(email_id: int) -> None:
    from .tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception as exc:  # noqa: BLE001 - broker down: the sweeper sends it later
        logger.warning("could not enqueue e-mail %s (%s); the sweeper will send it", email_id, exc)


def email_claim(*, email_id: int) -> OutboundEmail | None:
    """Claim a queued (or stale) e-mail for sending. Only one caller can win the claim."""
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.QUEUED) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now
    )
    return OutboundEmail.objects.get(pk=email_id) if claimed else None


def email_send(*, email_id: int) -> bool:
    """Send one e-mail if it can be claimed. Returns True when it was sent now."""
    email = email_claim(email_id=email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to]
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["content_type"])
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any SMTP failure is recorded and retried later
        attempts = email.attempts + 1
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED if attempts >= MAX_ATTEMPTS else OutboundEmail.Status.QUEUED,
            attempts=attempts,
            last_error=str(exc)[:2000],
            claimed_at=None,
        )
        logger.warning("sending e-mail %s failed (attempt %s): %s", email.pk, attempts, exc)
        return False
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, attempts=email.attempts + 1, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_sweep(*, older_than: timedelta = timedelta(minutes=1), limit: int = 500) -> int:
    """Send what the send task never got to (broker down, worker killed). Returns how many were sent."""
    now = timezone.now()
    due = (
        OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.QUEUED, created_at__lt=now - older_than)
            | Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_send(email_id=pk) for pk in list(due))
