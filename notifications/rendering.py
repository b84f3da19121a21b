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
import secrets
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.base import render_value_in_context
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


@dataclass(frozen=True)
class _Parts:
    """A template's parts as rendered, before the subject and text are tidied."""

    subject: str
    body_text: str
    body_html: str | None  # None: the template has no HTML of its own


def _render_parts(template: str, context: dict[str, Any]) -> _Parts:
    subject = render_to_string(f"{template}_subject.txt", context)
    body_text = render_to_string(f"{template}.txt", context)
    try:
        body_html: str | None = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        body_html = None
    return _Parts(subject, body_text, body_html)


def _tidy(parts: _Parts, context: dict[str, Any], attachments: tuple[Attachment, ...]) -> RenderedEmail:
    subject = " ".join(parts.subject.split())
    body_text = _BLANK_LINES.sub("\n\n", parts.body_text).strip() + "\n"
    body_html = parts.body_html
    if body_html is None:
        # No HTML of its own: the text in the portal's layout (escaped, links made clickable).
        body_html = render_to_string("emails/base_text.html", {**context, "subject": subject, "body_text": body_text})
    return RenderedEmail(subject=subject[:300], body_text=body_text, body_html=body_html, attachments=attachments)


def render_templates(
    template: str, context: dict[str, Any], *, attachments: tuple[Attachment, ...] = ()
) -> RenderedEmail:
    """Render ``template``'s subject, text and HTML in the active language."""
    context = {"site_url": settings.SITE_URL, **context}
    return _tidy(_render_parts(template, context), context, attachments)


# Placeholders for the values that differ per e-mail, in a template rendered once for many
# e-mails. The "&" tells, in the output, whether the template escaped the value there; the
# secret keeps anybody's text from looking like one.
_SLOT_SECRET = secrets.token_hex(8)


class _Slots:
    """Hands out a placeholder for each per-e-mail value a template reads (``name`` or
    ``name.attribute``)."""

    def __init__(self) -> None:
        self.specs: dict[str, tuple[str, str | None]] = {}

    def token(self, name: str, attribute: str | None) -> str:
        for token, spec in self.specs.items():
            if spec == (name, attribute):
                return token
        token = f"zq{_SLOT_SECRET}&{len(self.specs)}q"
        self.specs[token] = (name, attribute)
        return token


class _SlotObject:
    """Stands in for a per-e-mail object: each attribute a template reads is a placeholder."""

    def __init__(self, slots: _Slots, name: str) -> None:
        self._slots, self._name = slots, name

    def __getattr__(self, attribute: str) -> str:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return self._slots.token(self._name, attribute)

    def __str__(self) -> str:
        return self._slots.token(self._name, None)


@dataclass(frozen=True)
class _Skeleton:
    parts: _Parts
    specs: dict[str, tuple[str, str | None]]

    def fill(self, per_email: dict[str, Any]) -> _Parts | None:
        """The parts with this e-mail's values, rendered as the template renders them; None
        when a value is falsy (the template may have branched on it being set)."""
        raw, escaped = {}, {}
        for token, (name, attribute) in self.specs.items():
            value = per_email[name]
            if attribute is not None:
                value = getattr(value, attribute)
                if callable(value):
                    value = value()
            if not value:
                return None
            raw[token] = render_value_in_context(value, Context(autoescape=False))
            escaped[token.replace("&", "&amp;")] = render_value_in_context(value, Context(autoescape=True))

        def put(text: str) -> str:
            for placeholders in (escaped, raw):
                for token, value in placeholders.items():
                    text = text.replace(token, value)
            return text

        html = self.parts.body_html
        return _Parts(put(self.parts.subject), put(self.parts.body_text), None if html is None else put(html))


def _skeleton(template: str, context: dict[str, Any], names: tuple[str, ...]) -> _Skeleton | None:
    slots = _Slots()
    placeholders = {name: _SlotObject(slots, name) for name in names}
    parts = _render_parts(template, {**context, **placeholders})
    text = "\0".join(part for part in (parts.subject, parts.body_text, parts.body_html) if part is not None)
    for token in slots.specs:
        if token not in text and token.replace("&", "&amp;") not in text:
            # The template did more with the value than print it (a condition, a filter):
            # these e-mails are rendered one by one.
            return None
    return _Skeleton(parts, dict(slots.specs))


def render_templates_shared(
    template: str,
    context: dict[str, Any],
    *,
    per_email: dict[str, Any],
    key: Hashable,
    attachments: tuple[Attachment, ...] = (),
) -> RenderedEmail:
    """``render_templates(template, {**context, **per_email})``, byte for byte, but inside a
    ``rendering_batch`` the templates are rendered once per ``key`` (which must identify
    ``context``: the same key, the same context) and each e-mail's ``per_email`` values are
    put into that. A value may only be printed (``{{ registration.attendee_name }}``); a
    template that does more with one (a condition, a filter that changes it), or a falsy
    value, is rendered in full for that e-mail."""
    context = {"site_url": settings.SITE_URL, **context}
    if _batch.get() is not None:
        names = tuple(sorted(per_email))
        memo_key = ("notifications.skeleton", template, key, translation.get_language(), settings.SITE_URL, names)
        skeleton = batch_value(memo_key, lambda: _skeleton(template, context, names))
        parts = skeleton.fill(per_email) if skeleton is not None else None
        if parts is not None:
            return _tidy(parts, {**context, **per_email}, attachments)
    context = {**context, **per_email}
    return _tidy(_render_parts(template, context), context, attachments)
