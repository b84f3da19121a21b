"""What every API view shares.

- Domain errors answered as ``{"detail": ..., "code": ...}`` (400 or 409 by code), the schema
  pieces that document that answer, and the type of an authenticated API request.
- The schema documents the error answers as well as the successful ones. DRF answers 403
  (not logged in, no token, no permission: session authentication comes first, so never 401),
  404 (no such object, or another company's, or a page past the end), 429 (rate limit) and 400
  (a query parameter or body that does not validate) on any view; spelling them out view by
  view would leave the next view without them, so a postprocessing hook adds them. A view's own
  description of one of these answers is kept; only a missing body schema is filled in.
- Fields whose schema says blank.
- ``PublicResponseCache``: the rendered answer of a public read kept under the content version.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import BAD_REQUEST, CODES, CONFLICT, DomainError
from .pagecache import MAX_QUERY_LENGTH, STORED_HEADERS, cached_public_entry

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedAPIRequest(Request):
    """The request of an API view with ``IsAuthenticated``: its user is a logged-in ``User``.
    A type only (``magok.http.AuthenticatedRequest`` for DRF); the permission makes it true."""

    user: User


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a DomainError answers 400 or 409 (by its code) with its message."""
    if isinstance(exc, DomainError):
        set_rollback()
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return Response({"detail": exc.message, "code": exc.code}, status=exc.http_status, headers=headers)
    return drf_exception_handler(exc, context)


class DomainErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused, in the caller's language.")
    code = serializers.ChoiceField(choices=sorted(CODES), help_text="Stable name of the rule that refused it.")


def _codes_description(status: int, summary: str) -> str:
    rows = "\n".join(f"- `{code}`: {meaning}" for code, (answer, meaning) in CODES.items() if answer == status)
    return f"{summary} `code` is one of:\n\n{rows}"


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error answers of a write endpoint, for ``extend_schema(responses={...})``; each lists
    the codes it may carry."""
    summaries = {
        BAD_REQUEST: "A business rule refused the request. (A malformed body answers 400 with "
        "`{field: [messages]}` instead.)",
        CONFLICT: "The current state refuses the request: taken, full, or decided or changed meanwhile.",
    }
    return {
        status: OpenApiResponse(DomainErrorSerializer, description=_codes_description(status, summaries[status]))
        for status in statuses or (BAD_REQUEST, CONFLICT)
    }


ERROR = {
    "type": "object",
    "description": "An error: a message for people and, for refusals by a rule, a stable code.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Invalid input: messages by field name (lists of strings, nested for nested fields), "
        "or `detail` for a body that is not JSON or a rule that refused the request."
    ),
    "additionalProperties": {},
}
ANSWERS = {
    "400": ("ValidationError", "Invalid query parameters or body."),
    "403": ("Error", "Not logged in (no session or token), or not allowed."),
    "404": ("Error", "No such object (also another company's), or no such page."),
    "429": ("Error", "Too many requests; try again after the time in the Retry-After header."),
}


def _ref(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            codes = ["403", "429"]
            if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
                codes.append("400")
            if any(p["in"] in ("path", "query") for p in parameters):
                codes.append("404")
            responses = operation.setdefault("responses", {})
            codes.extend(code for code in operation.get("responses", {}) if code in ANSWERS)
            for code in sorted(set(codes)):
                component, description = ANSWERS[code]
                answer = responses.setdefault(code, {"description": description})
                answer.setdefault("content", _ref(component))
                if code == "400":
                    # A rule's refusal ({detail, code}) or invalid input ({field: [messages]}).
                    schema = answer["content"].setdefault("application/json", {}).get("schema")
                    invalid_input = {"$ref": "#/components/schemas/ValidationError"}
                    if schema and schema != invalid_input:
                        answer["content"]["application/json"]["schema"] = {"anyOf": [schema, invalid_input]}
            operation["responses"] = dict(sorted(responses.items()))
    return result


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
@permission_classes([AllowAny])
def api_not_found(request: Request, path: str = "") -> Response:
    """A path under /api/v1/ that matches no endpoint (an id that is no number, a slug with
    characters a slug cannot have) answers the API's JSON 404, not the site's HTML page."""
    raise NotFound


def _blank_or(string_format: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "format": string_format}, {"type": "string", "maxLength": 0}]}


@extend_schema_field(_blank_or("email"))
class BlankableEmailField(serializers.EmailField):
    """An e-mail address or "" (a model EmailField with blank=True): a bare ``format: email``
    in the schema would call the empty string a violation."""


@extend_schema_field(_blank_or("uri"))
class BlankableURLField(serializers.URLField):
    """A URL or "" (a model URLField with blank=True)."""


class PublicResponseCache(APIView):
    """Keeps the rendered answer (JSON bytes) of a public read under the content version of
    magok/pagecache.py, so that a repeated request skips the queries, the serializer and the
    renderer: a change the public sees (an event, a registration changing the seats left, a
    profile approval) replaces the version after it commits and shows on the next request.

    Authentication, permissions and throttles still run on every request (``initial()``, before
    the handler): a throttled caller is answered 429, cached or not. Preconditions of a view
    that uses it, which a cached answer would otherwise get wrong:

    - the answer is the same for every caller it lets in: it reads nothing of ``request.user``
      (staff are never served from or stored in the cache all the same, as the HTML pages show
      them drafts), unless ``cache_audience`` names everything of the caller that it reads (a
      caller's own registrations: the user, their company and role), which is then part of
      the key;
    - no object permission: ``get_object()`` does not run on a hit (checked below);
    - it depends only on the language, the negotiated media type and the absolute URL (host,
      scheme, path, query: the pagination links and ``url`` fields are absolute).

    A view calls ``cached_response(request, compute)`` from its handler; ``finalize_response``
    stores a 200 answer once it has its renderer. Only an exact, parameterless media type is
    cached (``application/json; indent=4`` is rendered each time), by a renderer of
    ``cached_renderers`` (JSON; never the browsable API), and only a query string of
    at most ``MAX_QUERY_LENGTH`` characters: a made-up URL is not a new entry in Redis.
    """

    # The browsable API is HTML with the caller's name and CSRF token in it: never cached.
    cached_renderers: tuple[type[BaseRenderer], ...] = (JSONRenderer,)
    _cache_entry: tuple[str, str] | None = None

    def _cache_key(self, request: Request) -> str | None:
        renderer = getattr(request, "accepted_renderer", None)
        user = request.user
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or not isinstance(renderer, self.cached_renderers)
            or request.accepted_media_type != renderer.media_type
            or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
            or (user is not None and user.is_staff)
            or any(
                type(permission).has_object_permission is not BasePermission.has_object_permission
                for permission in self.get_permissions()
            )
        ):
            return None
        identity = (
            f"{self.cache_audience(request)}:{get_language()}:{request.accepted_media_type}:"
            f"{request.build_absolute_uri()}"
        )
        return f"pagecache:api:{hashlib.sha256(identity.encode()).hexdigest()}"

    def cache_audience(self, request: Request) -> str:
        """Who the answer is for, besides its URL, language and format: everyone it lets in ("")."""
        return ""

    def cached_response(self, request: Request, compute: Callable[[], HttpResponseBase]) -> HttpResponseBase:
        key = self._cache_key(request)
        if key is None:
            return compute()
        version, stored = cached_public_entry(key)
        if stored is not None:
            headers, body = stored
            response = HttpResponse(zlib.decompress(body))
            for name, value in headers:
                response[name] = value
            return response
        if version is not None:
            self._cache_entry = (key, version)
        return compute()

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        # A cached answer arrives here as a plain HttpResponse, which DRF passes through (its stubs
        # say Response).
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._cache_entry is not None and isinstance(response, Response) and response.status_code == 200:
            key, version = self._cache_entry
            response.render()
            headers = [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)]
            body = zlib.compress(response.content, 1)
            cache.set(key, (version, (headers, body)), settings.PAGE_CACHE_SECONDS)
        return response


class PublicSchemaView(PublicResponseCache, SpectacularAPIView):
    """The OpenAPI schema (``/api/schema/``), kept rendered: generating it takes over 100 ms and
    400 kB. It depends on the language (``?lang=`` or the request's) and the format only."""

    cached_renderers = tuple(SpectacularAPIView.renderer_classes)

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return self.cached_response(request, partial(super().get, request, *args, **kwargs))
