"""`Idempotency-Key` for API writes: a retried request gets the first answer and changes nothing twice.

A client that did not hear back (a dropped connection, a timeout) resends the same request with
the same key. The first request inserts an `IdempotentRequest` row inside the transaction that
does the write; a concurrent retry's insert of the same (user, key) then waits on the unique
index until that transaction ends. If it committed, the retry finds the row and replays the
stored answer; if it rolled back (the write failed), the retry's insert succeeds and the retry
runs as a first attempt. So at most one write commits per key, without any lock of our own.

Only successful answers (2xx) are stored; a refusal (4xx) rolls back with its write and is
decided afresh on retry, which gives the same refusal unless the world changed. Keys are kept
for `IDEMPOTENCY_KEY_TTL_HOURS` and purged by `idempotency_keys_purge`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,100}")  # printable ASCII, no spaces, as in the IETF draft

View = TypeVar("View", bound=Callable[..., Response])


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotentRequest, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        return Response(
            {
                "detail": _("같은 Idempotency-Key로 다른 요청을 보냈습니다. 새 요청에는 새 키를 쓰세요."),
                "code": "idempotency_key_reused",
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def _claim(request: Request, *, key: str, fingerprint: str) -> int | None:
    """Insert the key's row and return its id, or None when a committed row has the key.

    One statement: ``ON CONFLICT DO NOTHING`` waits on the unique index for a concurrent
    insert of the same key like a plain INSERT does, and then inserts (that one rolled back)
    or returns nothing (it committed), without the savepoint that catching an IntegrityError
    inside the transaction would need.
    """
    table = IdempotentRequest._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("user_id", "key", "method", "path", "fingerprint", "created_at") '  # nosec B608 - our table
            'VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT ("user_id", "key") DO NOTHING RETURNING "id"',
            [
                request.user.pk,
                key,
                request.method or "",
                request.path[:300],
                fingerprint,
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def idempotent(view: View) -> View:
    """Wrap an API write handler (`post`, `create`, `destroy`, an action) of an authenticated view."""

    @functools.wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view(self, request, *args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            raise ValidationError(
                {
                    "detail": _("Idempotency-Key는 공백 없는 영문·숫자·기호 1–100자여야 합니다."),
                    "code": "idempotency_key_invalid",
                }
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            record_id = _claim(request, key=key, fingerprint=fingerprint)
            if record_id is None:
                # Another request with this key committed first (we waited for it on the index).
                return _replay(IdempotentRequest.objects.get(user=request.user, key=key), fingerprint)
            response = view(self, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                transaction.set_rollback(True)
                return response
            IdempotentRequest.objects.filter(pk=record_id).update(
                status_code=response.status_code, response_body=response.data
            )
        return response

    return wrapper  # type: ignore[return-value]


def idempotency_keys_purge(*, now: Any = None) -> int:
    """Delete keys older than IDEMPOTENCY_KEY_TTL_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
