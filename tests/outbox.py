"""Reading deferred e-mails in tests.

The services queue most e-mails deferred (a kind and a JSON context); the worker renders them
when it sends them. ``render_outbox`` does that rendering step in place (without SMTP), so a
test can read subjects and bodies of what a service queued.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.rendering import render_email
from notifications.services import encode_attachments


def render_outbox() -> list[OutboundEmail]:
    """Render every queued deferred e-mail in place, as ``email_send`` does before sending.
    Returns every row of the outbox, oldest first."""
    for email in OutboundEmail.objects.filter(rendered_at__isnull=True).exclude(kind=""):
        rendered = render_email(kind=email.kind, context=email.context, language=email.language)
        OutboundEmail.objects.filter(pk=email.pk).update(
            subject=rendered.subject,
            body_text=rendered.body_text,
            body_html=rendered.body_html,
            attachments=encode_attachments(rendered.attachments),
            rendered_at=timezone.now(),
        )
    return list(OutboundEmail.objects.order_by("created_at", "pk"))


def rendered_emails() -> QuerySet[OutboundEmail]:
    """The outbox, every deferred e-mail rendered first (``render_outbox``)."""
    render_outbox()
    return OutboundEmail.objects.all()
