"""API throttles (see REST_FRAMEWORK in settings). Kept apart from magok/api.py: DRF imports
its throttle classes while ``rest_framework.views`` itself is being imported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import UserRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class SignedInRateThrottle(UserRateThrottle):
    """DRF's per-user limit, for signed-in callers only. DRF's own falls back to the client
    address for anonymous requests, which ``AnonRateThrottle`` already counts: every anonymous
    request paid both, four cache round trips where two do the same job."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
