"""Turning an outbox row into subject, text, HTML and attachments.

Two ways in:

* ``render_templates`` renders ``<template>_subject.txt``, ``<template>.txt`` and the HTML
  part (``<template>.html`` if it exists, else the text wrapped in the portal's base e-mail
  layout, ``emails/base.html``), so every e-mail has an HTML part with SBA's identity and a
  plain-text alternative.
* A *renderer*, registered under a stable kind name (``@email_renderer("events.registration_confirmed")``
  in the app that owns the data, imported from its ``AppConfig.ready``), renders a row that was
  queued with only a kind and a small JSON context of ids (``email_queue_deferred``). The worker
  calls it when it sends the e-mail, so the transaction that queued it (often holding a lock)
  renders nothing. Kinds are stored in rows: a renamed kind keeps its old name registered.

This module imports no other app of the project: apps register into it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str = ""
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


logger = logging.getLogger(__name__)

Renderer = Callable[[dict[str, Any]], RenderedEmail]
# Called once per batch with the contexts of all its e-mails of the kind; puts the rows they
# need into the batch (``batch_put``).
Preloader = Callable[[list[dict[str, Any]]], None]
_RENDERERS: dict[str, Renderer] = {}
_PRELOADERS: dict[str, Preloader] = {}
_batch: ContextVar[dict[Hashable, Any] | None] = ContextVar("email_rendering_batch", default=None)
T = TypeVar("T")


class UnknownEmailKind(LookupError):
    """No renderer is registered under the row's kind (an app that is not installed, or a
    renamed kind). The row stays in the outbox and is retried like any send failure."""


def email_renderer(kind: str, *, preload: Preloader | None = None) -> Callable[[Renderer], Renderer]:
    """Register ``function(context) -> RenderedEmail`` as the renderer of ``kind``, and
    ``preload(contexts)`` as what reads the rows of a batch of them at once."""

    def register(function: Renderer) -> Renderer:
        if _RENDERERS.get(kind, function) is not function:
            raise ValueError(f"e-mail kind {kind!r} is registered twice")
        _RENDERERS[kind] = function
        if preload is not None:
            _PRELOADERS[kind] = preload
        return function

    return register


@contextmanager
def rendering_batch(emails: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[None]:
    """Render the e-mails ``(kind, context)`` inside this block: each kind's preloader reads
    the rows of all of them first, and ``batch_value`` keeps its values until the block ends.
    Values are kept for the few seconds of one chunk: a row changed meanwhile is read at the
    next chunk, as it would be by an e-mail rendered a few seconds later. A preloader that
    fails is logged and skipped: each renderer then reads its own rows (and fails on its own)."""
    token = _batch.set({})
    try:
        contexts: dict[Preloader, list[dict[str, Any]]] = {}
        for kind, context in emails:
            if (preload := _PRELOADERS.get(kind)) is not None:
                contexts.setdefault(preload, []).append(context)
        for preload, batch in contexts.items():
            try:
                preload(batch)
            except Exception:
                logger.exception("preloading %s e-mails failed; each is rendered on its own", len(batch))
        yield
    finally:
        _batch.reset(token)


def batch_put(key: Hashable, value: Any) -> None:
    """Keep ``value`` under ``key`` for the current batch (a preloader's rows); no-op outside one."""
    if (memo := _batch.get()) is not None:
        memo[key] = value


def batch_value(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per batch for each ``key`` (which must name everything the value
    depends on: the row, its version, the language); every call outside a batch."""
    memo = _batch.get()
    if memo is None:
        return compute()
    try:
        value: T = memo[key]
    except KeyError:
        value = memo[key] = compute()
    return value


def json_context(values: dict[str, Any]) -> dict[str, Any]:
    """Values for a deferred e-mail's JSON context: datetimes as ISO strings (read back by
    ``moments_from_json``), in nested dicts too; everything else must be JSON already."""
    return {
        key: json_context(value)
        if isinstance(value, dict)
        else value.isoformat()
        if isinstance(value, datetime)
        else value
        for key, value in values.items()
    }


def moments_from_json(values: dict[str, Any], keys: tuple[str, ...] = ("starts_at", "ends_at")) -> dict[str, Any]:
    """``values`` with its ``keys`` read back from ISO strings to datetimes (``json_context``)."""
    return {
        key: datetime.fromisoformat(value) if key in keys and isinstance(value, str) else value
        for key, value in values.items()
    }


def email_kinds() -> list[str]:
    return sorted(_RENDERERS)


def render_email(*, kind: str, context: dict[str, Any], language: str) -> RenderedEmail:
    """Render a deferred e-mail in ``language``. Raises whatever the renderer raises (a row
    that was deleted meanwhile, a template error): the caller keeps the row and retries."""
    try:
        renderer = _RENDERERS[kind]
    except KeyError:
        raise UnknownEmailKind(kind) from None
    with translation.override(language):
        return renderer(dict(context))


_BLANK_LINES = re.compile(r"\n{3,}")


def render_templates(
    template: str, context: dict[str, Any], *, attachments: tuple[Attachment, ...] = ()
) -> RenderedEmail:
    """Render ``template``'s subject, text and HTML in the active language."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body_text = _BLANK_LINES.sub("\n\n", render_to_string(f"{template}.txt", context)).strip() + "\n"
    try:
        body_html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        # No HTML of its own: the text in the portal's layout (escaped, links made clickable).
        body_html = render_to_string("emails/base_text.html", {**context, "subject": subject, "body_text": body_text})
    return RenderedEmail(subject=subject[:300], body_text=body_text, body_html=body_html, attachments=attachments)
