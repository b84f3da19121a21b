"""The e-mails about registrations and events, rendered by the worker when it sends them.

Services queue them with ``registration_email_queue`` (one small INSERT: the registration's
id and a few JSON values), often while holding the event's seat lock; the outbox worker
calls the renderers below (registered by kind, ``events.<template>``) at send time, which
read the rows, sign the ticket and cancel links, draw the QR code and write the calendar file.
The worker renders a chunk at a time (``notifications.rendering.rendering_batch``): the
registrations of the chunk are read in one query, and what is the same for every attendee of
an event (its link, its time in words) once per chunk.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from magok.dates import format_datetime
from notifications.models import OutboundEmail
from notifications.rendering import (
    Attachment,
    RenderedEmail,
    batch_put,
    batch_value,
    email_renderer,
    json_context,
    moments_from_json,
    render_templates_shared,
)
from notifications.services import DeferredEmail, email_queue_deferred

from .ics import event_ics
from .links import cancel_link_url, registration_link_token, ticket_link_url
from .models import Event, Registration
from .tickets import ticket_qr_png

# The registrant's own e-mails: the ticket (QR code and calendar file attached, ticket and
# cancel links), the waitlist (cancel link), and the rest.
WITH_TICKET = ("registration_confirmed", "registration_promoted", "event_reminder")
WITH_CALENDAR = ("event_changed", "event_cancelled")
WITH_CANCEL_LINK = (*WITH_TICKET, "registration_waitlisted", "event_changed")
TEMPLATES = (
    *WITH_TICKET,
    *WITH_CALENDAR,
    "registration_waitlisted",
    "registration_cancelled",
    "registration_exists",
    "registration_verify",
    "event_message",
)
LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def registration_email(registration: Registration, template: str, *, dedupe_key: str, **context: Any) -> DeferredEmail:
    """``events/emails/<template>`` to the registrant, in their language, once per
    ``dedupe_key``; rendered when sent. ``context`` must be JSON (datetimes are written as
    ISO strings and read back by the renderer)."""
    return DeferredEmail(
        to=registration.email,
        kind=f"events.{template}",
        context={"registration": registration.pk, **json_context(context)},
        language=registration.language if registration.language in ("ko", "en") else "ko",
        dedupe_key=dedupe_key,
    )


def registration_email_queue(
    registration: Registration, template: str, *, dedupe_key: str, **context: Any
) -> OutboundEmail | None:
    """Queue ``registration_email(...)``: None when ``dedupe_key`` was queued before."""
    email = registration_email(registration, template, dedupe_key=dedupe_key, **context)
    return email_queue_deferred(
        to=email.to, kind=email.kind, context=email.context, language=email.language, dedupe_key=email.dedupe_key
    )


def _preload(contexts: list[dict[str, Any]]) -> None:
    """The registrations of a chunk of e-mails in one query, sharing one row per event."""
    ids = {context.get("registration") for context in contexts}
    events: dict[int, Event] = {}
    for registration in Registration.objects.select_related("event__kind").filter(pk__in=ids):
        registration.event = events.setdefault(registration.event_id, registration.event)
        batch_put(("events.registration", registration.pk), registration)


def _registration(pk: int) -> Registration:
    return batch_value(
        ("events.registration", pk), lambda: Registration.objects.select_related("event__kind").get(pk=pk)
    )


def _render(template: str, context: dict[str, Any]) -> RenderedEmail:
    registration = _registration(context["registration"])
    event = registration.event
    language = translation.get_language() or "ko"
    values: dict[str, Any] = {
        **context,
        "event": event,
        "event_url": batch_value(
            ("events.event_url", event.pk, settings.SITE_URL), lambda: f"{settings.SITE_URL}{event.get_absolute_url()}"
        ),
    }
    # What differs between the attendees of one event; the rest is rendered once per chunk.
    per_email: dict[str, Any] = {"registration": registration}
    if template in WITH_CANCEL_LINK and registration.status in LIVE:
        token = registration_link_token(registration=registration)
        if registration.status == Registration.Status.CONFIRMED:
            per_email["ticket_url"] = ticket_link_url(registration=registration, token=token)
        if event.starts_at > timezone.now():
            per_email["cancel_url"] = cancel_link_url(registration=registration, token=token)
    if template == "event_changed":
        values["before"] = moments_from_json(context.get("before") or {})
    if template == "event_reminder":
        hours = int(context["offset_hours"])
        values["lead_hours"] = hours
        values["lead_days"] = hours // 24 if hours % 24 == 0 else None
        values["when"] = batch_value(
            ("events.when", event.starts_at, language), lambda: format_datetime(event.starts_at)
        )
    attachments: tuple[Attachment, ...] = ()
    if template in WITH_TICKET or template in WITH_CALENDAR:
        attachments = (Attachment("event.ics", event_ics(event=event, language=language), "text/calendar"),)
    if template in WITH_TICKET:
        attachments += (Attachment("ticket.png", ticket_qr_png(registration=registration), "image/png"),)
    # The event row itself (one per event in a preloaded chunk) and the e-mail's own JSON name
    # everything the shared part shows.
    shared = (id(event), json.dumps({k: v for k, v in context.items() if k != "registration"}, sort_keys=True))
    return render_templates_shared(
        f"events/emails/{template}", values, per_email=per_email, key=shared, attachments=attachments
    )


for _template in TEMPLATES:
    email_renderer(f"events.{_template}", preload=_preload)(partial(_render, _template))
