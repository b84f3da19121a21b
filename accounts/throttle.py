"""Login throttling beyond django-axes' lockout of one (e-mail, address) pair.

Axes locks a pair after ``AXES_FAILURE_LIMIT`` failures, which alone lets an attacker spread
guesses for one account over many addresses, or try one password against every account from
one address. Two more limits close that, each counted in the cache:

* per account, across addresses: after ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures, each
  further attempt must wait, and the wait doubles with every failure up to
  ``LOGIN_THROTTLE_MAX_MINUTES``. A delay, not a lock: an attacker who can reach the login
  page can keep a person waiting at most that long per guess; a successful login or a
  password reset (through the person's own e-mail) clears the count.
* per address, across accounts: the same after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures. A
  successful login does not clear it, or an attacker could reset it with an account of their own.

Only attempts whose password was checked count; an attempt refused while waiting does not,
so hammering does not lengthen the wait. A failure is forgotten after
``LOGIN_FAILURE_WINDOW_MINUTES`` without another one. The cache is Redis: during a Redis
outage these limits are open (see magok/cache.py) and only axes' database lockout holds.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from magok.http import client_ip
from magok.ratelimit import attempt_count

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Wait:
    """A refused login: which limit refused it and for how many more seconds."""

    limit: str
    seconds: int


def _limit(kind: str) -> int:
    return int(settings.LOGIN_ACCOUNT_FAILURE_LIMIT if kind == ACCOUNT else settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def _keys(kind: str, value: str) -> tuple[str, str]:
    # Hashed: the cache holds no e-mail addresses.
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
    return f"login-failures:{digest}", f"login-wait:{digest}"


def _delay(kind: str, failures: int) -> int:
    """Seconds to wait after the ``failures``-th failure: nothing below the limit, then the
    base delay doubling with every failure, capped."""
    over = failures - _limit(kind)
    if over < 0:
        return 0
    cap = settings.LOGIN_THROTTLE_MAX_MINUTES * 60
    return int(min(settings.LOGIN_THROTTLE_DELAY_SECONDS * 2 ** min(over, 32), cap))


def login_wait(*, email: str, address: str) -> Wait | None:
    """The wait still to run before a login for ``email`` from ``address`` is checked, if any."""
    now = time.time()
    for kind, value in ((ACCOUNT, email), (ADDRESS, address)):
        until = cache.get(_keys(kind, value)[1])
        if until is not None and until > now:
            return Wait(limit=kind, seconds=math.ceil(until - now))
    return None


def login_failure_record(*, email: str, address: str) -> None:
    """Count a failed login (wrong password or unknown address) for the account and the address."""
    window = settings.LOGIN_FAILURE_WINDOW_MINUTES * 60
    for kind, value in ((ACCOUNT, email), (ADDRESS, address)):
        count_key, wait_key = _keys(kind, value)
        failures = attempt_count(count_key, window_seconds=window)
        cache.touch(count_key, timeout=window)  # forgotten only after a quiet window
        delay = _delay(kind, failures)
        if delay:
            cache.set(wait_key, time.time() + delay, timeout=delay + 1)


def login_failures_clear(*, email: str) -> None:
    """Forget the failures counted against an account (its owner proved themselves)."""
    cache.delete_many(_keys(ACCOUNT, email.strip().lower()))


class LoginThrottleBackend:
    """Refuses a login while its account or address must wait. Placed after axes' backend and
    before the backend that checks the password: it authenticates nobody itself."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
        if request is None or username is None:
            return None
        wait = login_wait(email=username.strip().lower(), address=client_ip(request))
        if wait is not None:
            request.login_wait = wait  # type: ignore[attr-defined]
            # AxesMiddleware turns this flag into the lockout page (lockout_response below),
            # and axes does not count a refused attempt as a failure.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise PermissionDenied
        request.login_throttle_passed = True  # type: ignore[attr-defined]
        return None


@receiver(user_login_failed)
def _count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Only attempts that got past both gates had their password checked.
    if request is None or not getattr(request, "login_throttle_passed", False):
        return
    if getattr(request, "login_wait", None) is not None:
        return
    username = credentials.get("username") or ""
    login_failure_record(email=str(username).strip().lower(), address=client_ip(request))


@receiver(user_logged_in)
def _clear_on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    login_failures_clear(email=user.email)


def lockout_response(request: HttpRequest, credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The page for a refused login (``AXES_LOCKOUT_CALLABLE``): axes' pair lockout, or a wait
    set by the throttle above, with the time left."""
    wait: Wait | None = getattr(request, "login_wait", None)
    if wait is None:
        context = {
            "limit": "pair",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_timedelta": timedelta(hours=settings.AXES_COOLOFF_TIME),
        }
        seconds = int(settings.AXES_COOLOFF_TIME * 3600)
    else:
        context = {"limit": wait.limit, "cooloff_timedelta": timedelta(seconds=wait.seconds)}
        seconds = wait.seconds
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
