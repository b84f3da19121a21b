"""What every API view shares: domain errors answered as ``{"detail": ..., "code": ...}``, the
schema pieces that document that answer, and the type of an authenticated API request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .errors import BAD_REQUEST, CODES, CONFLICT, DomainError

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
        return Response({"detail": exc.message, "code": exc.code}, status=exc.http_status)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
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
        status: OpenApiResponse(ErrorSerializer, description=_codes_description(status, summaries[status]))
        for status in statuses or (BAD_REQUEST, CONFLICT)
    }
