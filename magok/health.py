"""``/healthz``: 200 when the database (and the cache and broker, where configured) answer.

The balancer and the container health checks ask for it by the container's own address, which
is not in ALLOWED_HOSTS: ``HealthzMiddleware`` (first in MIDDLEWARE) answers it before anything
validates the Host header or redirects to HTTPS. It shows only "ok"/"error" per dependency.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("healthz", "ok", 5)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> None:
    from magok.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database, "cache": _check_cache}
    if settings.REDIS_URL:
        checks["broker"] = _check_broker
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency makes the site unhealthy
            logger.warning("healthz: %s failed: %s", name, exc)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503)


@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers, whatever its dependencies do (``/healthz`` checks those).
    A container orchestrator restarts a web process that stops answering this, but must not
    restart every one of them when the database is down. It is also the benchmark's baseline:
    the whole middleware stack and nothing else (bench/http_bench.py)."""
    return JsonResponse({"ok": True})


class HealthzMiddleware:
    """Answers ``GET /healthz`` whatever the Host header, so that health checks need no public name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz" and request.method in {"GET", "HEAD"}:
            return healthz(request)
        return self.get_response(request)
