from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _cache_per_xdist_worker(worker_id: str) -> Iterator[None]:
    """Each xdist worker gets its own Redis database for the cache: a test clears the cache
    (FLUSHDB), which must not wipe the rate-limit counts of a test running on the other worker."""
    location = django_settings.CACHES["default"].get("LOCATION", "")
    match = re.fullmatch(r"(redis://[^/]+)/(\d+)", str(location))
    if worker_id == "master" or not match:
        yield
        return
    database = int(match.group(2)) + 1 + int(worker_id.removeprefix("gw"))
    caches = {"default": {**django_settings.CACHES["default"], "LOCATION": f"{match.group(1)}/{database}"}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate limits and lockouts live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests that commit for real (live server, threads, worker processes).

    Their teardown empties the database, data migrations' rows and permissions included, so a
    plain test that ran after one on the same xdist worker would see an empty database.
    `make test` therefore runs them in a second pytest run: `-m "not transactional"`, then
    `-m transactional`.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        commits = bool(marker and marker.kwargs.get("transaction"))
        if commits or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.transactional)
