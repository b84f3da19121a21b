"""Whole-page cache for what anonymous visitors see, invalidated by every change to public content.

Anonymous visitors get the same HTML for the same URL and language, so the public pages
(home, directory, company page, event list, calendar and page, programmes, the feed) are
cached whole, for ``PAGE_CACHE_SECONDS``. Correctness comes from one *content version*:

- every page is stored with the version current when its rendering started, and served only
  while that is still the current version;
- every write to a model the public pages show (``PUBLIC_MODELS``, connected in
  ``MagokConfig.ready``; and the services' bulk ``UPDATE``s, which send no signal, call
  ``public_content_changed`` themselves) replaces the version **after its transaction commits**.

Why after commit: a request that reads the new version after the bump also reads the committed
rows; a request that read the old version before the bump stores its page under the old version,
which nobody is served any more. Bumping before commit would let a request pair the new version
with the old rows. So a profile approval, an event change or a registration that changes the
seats left shows on the next request. What changes with time alone (registration opening, an
event becoming past, an e-mail hold expiring) shows within ``PAGE_CACHE_SECONDS``.

Only a request that carries no session and no message cookie is served from or stored in the
cache (a logged-in user, or a visitor with a flash message, sees their own page), and only a
200 response that set no cookie and used no CSRF token is stored, so no one's token or message
is ever shown to someone else. The version and the page come back in one Redis round trip
(``get_many``). The cache fails open (magok/cache.py): while Redis is down nothing is cached.

Signed-in visitors get the parts of those pages that are the same for everyone (the directory's
results, the event cards, the event page's facts) as fragments under the same version
(``public_fragments``). A fragment is rendered without the request (``render_public_fragment``),
so no context processor puts a user, a CSRF token or a message in it; what is personal (the
menu, the registration box, staff links) is rendered around it on every request.
"""

from __future__ import annotations

import hashlib
import uuid
import zlib
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")

VERSION_KEY = "pagecache:version"
# Query strings longer than this are served, never stored: a cache entry per made-up URL is
# memory in the Redis the task broker shares.
MAX_QUERY_LENGTH = 200
STORED_HEADERS = ("Content-Type", "Content-Disposition")

# (app label, model name) of the rows the public pages show. A write to any of them replaces the
# content version. Over-invalidating is safe; a model missing here shows stale pages.
PUBLIC_MODELS = (
    ("companies", "Sector"),
    ("companies", "Company"),
    ("companies", "ComplexProfile"),
    ("companies", "ComplexYearTarget"),
    ("companies", "SearchAlias"),
    ("events", "EventKind"),
    ("events", "Event"),
    ("events", "Speaker"),
    ("events", "AgendaItem"),
    ("events", "Registration"),
    ("programs", "Program"),
    ("programs", "Call"),
    ("programs", "CallQuestion"),
    ("programs", "RequiredDocument"),
)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def public_content_changed() -> None:
    """Call after a write that the public pages show; takes effect when the transaction commits
    (at once outside a transaction)."""
    transaction.on_commit(_bump)


def _on_model_change(sender: Any, **kwargs: Any) -> None:
    public_content_changed()


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for app_label, model_name in PUBLIC_MODELS:
        model = apps.get_model(app_label, model_name)
        post_save.connect(_on_model_change, sender=model, dispatch_uid=f"pagecache-save-{model_name}")
        post_delete.connect(_on_model_change, sender=model, dispatch_uid=f"pagecache-delete-{model_name}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(_on_model_change, sender=through, dispatch_uid=f"pagecache-m2m-{through.__name__}")


def _current_version() -> str | None:
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        # Another process may have set one meanwhile: theirs wins.
        version = fresh if cache.add(VERSION_KEY, fresh, None) else cache.get(VERSION_KEY)
    return version


def _page_key(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", "ko")
    digest = hashlib.sha256(f"{request.method}:{language}:{request.get_full_path()}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


def _anonymous_without_state(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s answer to anonymous visitors from the page cache (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _anonymous_without_state(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or _current_version()
        stored = found.get(key)
        if version is not None and stored is not None and stored[0] == version:
            _, status, headers, body = stored
            response = HttpResponse(zlib.decompress(body), status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if version is not None and _storable(request, response):
            headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
            cache.set(key, (version, response.status_code, headers, zlib.compress(response.content, 1)), seconds)
        return response

    return wrapped


def cached_public_value(name: str, compute: Callable[[], T], *, per_language: bool = True) -> T:
    """``compute()``, kept under the content version like the pages: for the few reads every
    public page repeats (the sector menu, the complex statistics), logged-in pages included.
    ``per_language`` when the value holds translated labels."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return compute()
    key = f"pagecache:value:{name}:{get_language() if per_language else ''}"
    version, value = cached_public_entry(key)
    if value is not None:
        return value  # type: ignore[no-any-return]
    value = compute()
    if version is not None:
        cache.set(key, (version, value), seconds)
    return value


def cached_public_entry(key: str) -> tuple[str | None, Any]:
    """The content version and what ``key`` holds if it was stored under that version (else
    None), in one round trip. For a caller that computes its value somewhere else than where it
    looks it up (the API's rendered responses, magok/api.py): it stores the value with
    ``cache.set(key, (version, value), settings.PAGE_CACHE_SECONDS)``, unless the version is None
    (no cache)."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or _current_version()
    stored = found.get(key)
    if version is not None and stored is not None and stored[0] == version:
        return version, stored[1]
    return version, None


# --- Fragments for signed-in visitors ------------------------------------------------------
# Signed-in visitors are not served whole pages (their menu, messages and CSRF token are theirs),
# but most of a list page is the same for everyone. Those parts are cached as fragments under
# the same content version, so they are exactly as fresh as the anonymous pages.


def rendered_html(html: str) -> SafeString:
    """HTML that a Django template rendered (autoescaped) and the cache gave back: safe to insert
    as it is. The one place the cached fragments and kept values are marked safe; never pass
    text that did not come out of a template render."""
    return mark_safe(html)  # nosec B308 B703 - template output, escaped when it was rendered


def render_public_fragment(template_name: str, context: dict[str, Any]) -> str:
    """``template_name`` rendered **without the request**: no context processor runs, so the
    fragment cannot show the user, a CSRF token, messages or anything else of one visitor's.
    Fragments are shared by every visitor; pass only public rows in ``context``."""
    return render_to_string(template_name, context)


def public_fragments(
    request: HttpRequest, parts: dict[str, Callable[[], str]], *, vary: str | Mapping[str, str] = ""
) -> dict[str, SafeString]:
    """The HTML of each named part of the page at ``request``'s URL, from the cache, calling
    ``parts[name]()`` only for the parts not stored under the current content version. The
    version and every part come back in one Redis round trip.

    Each part must be the same for everyone who asks for this URL in this language (render it
    with ``render_public_fragment``), except for what ``vary`` names: one string for every part
    (e.g. "staff", who see drafts), or one per part name. Reads that only a part needs belong
    inside its callable, so that a hit skips them. Like the pages, a query string longer than
    ``MAX_QUERY_LENGTH`` is rendered, not stored."""
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return {name: rendered_html(render()) for name, render in parts.items()}
    language = getattr(request, "LANGUAGE_CODE", "ko")
    path = request.get_full_path()
    keys = {}
    for name in parts:
        varies = vary if isinstance(vary, str) else vary.get(name, "")
        digest = hashlib.sha256(f"{language}:{varies}:{path}".encode()).hexdigest()
        keys[name] = f"pagecache:fragment:{name}:{digest}"
    found = cache.get_many([VERSION_KEY, *keys.values()])
    version = found.get(VERSION_KEY) or _current_version()
    html: dict[str, SafeString] = {}
    fresh: dict[str, tuple[str, bytes]] = {}
    for name, render in parts.items():
        stored = found.get(keys[name])
        if version is not None and stored is not None and stored[0] == version:
            html[name] = rendered_html(zlib.decompress(stored[1]).decode())
        else:
            html[name] = rendered_html(render())
            if version is not None:
                fresh[keys[name]] = (version, zlib.compress(html[name].encode(), 1))
    if fresh:
        cache.set_many(fresh, seconds)
    return html


# --- Values kept for a page's parts, shared or not -------------------------------------------
# A page whose parts are each for a different set of visitors (the home page: the calls for
# everyone, the upcoming events per company and role, "my next event" per user) keeps each part
# under a key that names whom it is for, and fetches them all in one round trip. A kept value is
# served only while the content version is the one it was stored with and, if it names a stamp,
# while that stamp is unchanged too: a stamp covers rows the public pages do not show (an
# application, a join request), whose writes bump it through ``stamp_changed``.


def _stamp_key(stamp: str) -> str:
    return f"pagecache:stamp:{stamp}"


def stamp_changed(stamp: str) -> None:
    """Call after a write that changes what is kept under ``stamp``; takes effect when the
    transaction commits (at once outside a transaction), for the reason the version does."""
    transaction.on_commit(lambda: cache.set(_stamp_key(stamp), uuid.uuid4().hex, None))


def kept_values(
    parts: Mapping[str, tuple[Callable[[], tuple[T, Any]], str]],
) -> dict[str, T]:
    """For each ``key: (compute, stamp)``, the value that ``compute()`` gives, from the cache if
    stored under the current content version and the current ``stamp`` ("" for none). ``compute``
    returns ``(value, until)``: ``until`` (an aware datetime or None) is when the value turns
    stale with time alone (an event ending), after which it is computed again. The version, the
    stamps and every value come back in one Redis round trip.

    ``key`` must name everyone the value is for (nothing for a value that is the same for
    everyone, else the user, or the company and the role) and the language if the value holds
    translated text: a value is served to whoever asks for its key. Render shared HTML with
    ``render_public_fragment``, and anything else without the request, so that no token or
    message is kept."""
    from django.utils import timezone

    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return {key: compute()[0] for key, (compute, _) in parts.items()}
    keys = {key: f"pagecache:kept:{key}" for key in parts}
    stamps = {_stamp_key(stamp) for _, stamp in parts.values() if stamp}
    found = cache.get_many([VERSION_KEY, *stamps, *keys.values()])
    version = found.get(VERSION_KEY) or _current_version()
    for stamp_key in stamps:
        if found.get(stamp_key) is None:
            fresh_stamp = uuid.uuid4().hex
            # Another process may have set one meanwhile: theirs wins.
            found[stamp_key] = fresh_stamp if cache.add(stamp_key, fresh_stamp, None) else cache.get(stamp_key)
    now = timezone.now()
    values: dict[str, T] = {}
    fresh: dict[str, tuple[str, Any, T, Any]] = {}
    for key, (compute, stamp) in parts.items():
        stamp_value = found.get(_stamp_key(stamp)) if stamp else ""
        stored = found.get(keys[key])
        if (
            version is not None
            and stored is not None
            and stored[0] == version
            and stored[1] == stamp_value
            and (stored[3] is None or now < stored[3])
        ):
            values[key] = stored[2]
            continue
        values[key], until = compute()
        if version is not None and stamp_value is not None:
            fresh[keys[key]] = (version, stamp_value, values[key], until)
    if fresh:
        cache.set_many(fresh, seconds)
    return values
