"""What the views know about a request: the client's address (also behind the reverse proxy that
production runs behind) and, for logged-in views, the type of its user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT`` proxies in front, the address the outermost
    trusted proxy saw. Entries further left in X-Forwarded-For are the client's to invent, so
    they are never used."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``, ``staff_member_required`` or the admin:
    its user is a logged-in ``User``, never ``AnonymousUser``. A type only; the decorator is what
    makes it true."""

    user: User
