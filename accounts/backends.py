"""The backend that checks passwords and loads the signed-in user of each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends
from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Q
from django.http import HttpRequest
from rest_framework import authentication
from rest_framework.authtoken.models import Token

from .models import Membership, User


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, whose ``get_user`` also loads the approved membership and its
    company in the same query (a LEFT JOIN: at most one approved membership, a database
    constraint). Every signed-in page reads it (the account menu, permissions): one query a
    request, not two. Django still checks the session's auth hash against the row it returns,
    and the row is read on every request: a logout, a new password or a deactivation takes
    effect on the next request, as with Django's backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Refused here is refused: Django's own ModelBackend, listed after this one only so
            # that sessions made before it still load, would hash the same password against the
            # same row a second time (twice the work for every wrong password).
            raise PermissionDenied
        return user  # type: ignore[return-value]

    def get_user(self, user_id: Any) -> User | None:
        try:
            # get(), not first(): no ORDER BY (User's Meta.ordering) to compile and run.
            user = (
                User._default_manager.annotate(approved=_approved_membership())
                .select_related("approved__company")  # type: ignore[misc]  # a FilteredRelation
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user._approved_membership = getattr(user, "approved", None) or False
        return user


def _approved_membership(prefix: str = "") -> FilteredRelation:
    return FilteredRelation(
        f"{prefix}memberships", condition=Q(**{f"{prefix}memberships__status": Membership.Status.APPROVED})
    )


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the user's approved membership and its company read in
    the token's query (as ``ModelBackend.get_user``). A token that does not exist or whose user
    is inactive is refused by DRF's own code, with its messages."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        try:
            token = (
                Token.objects.annotate(approved=_approved_membership("user__"))
                .select_related("user", "approved__company")  # type: ignore[misc]  # a FilteredRelation
                .get(key=key)
            )
        except Token.DoesNotExist:
            token = None
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # type: ignore[no-any-return]
        token.user._approved_membership = getattr(token, "approved", None) or False
        return token.user, token
