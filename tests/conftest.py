from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Membership, User
from companies.models import Company
from notifications import services as outbox
from tests.factories import CompanyFactory, MembershipFactory, RepresentativeFactory, StaffFactory, UserFactory


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
def _default_language():
    """Every test starts in the site's default language: a request in English leaves English
    active in the thread (LocaleMiddleware activates, nothing deactivates), and code that reads
    the active language (labels in import errors, e-mails) would depend on the test order."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Factories set a password on every user; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _broker_not_backed_off() -> Iterator[None]:
    """A test that simulates a broker outage must not leave the prompt back-off on for the next."""
    outbox._broker_down_until = 0.0
    yield
    outbox._broker_down_until = 0.0


@pytest.fixture
def count_queries() -> Callable[..., int]:
    """``count_queries(client, url)``: GET the page (it must answer 200) and return how many
    queries it ran."""

    def count(client: Any, url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return len(context.captured_queries)

    return count


@pytest.fixture
def company(db: None) -> Company:
    return CompanyFactory(name_ko="로보티즈", name_en="Robotis", slug="robotis")


@pytest.fixture
def other_company(db: None) -> Company:
    return CompanyFactory(name_ko="팜스빌", name_en="Pharmsville", slug="pharmsville")


@pytest.fixture
def representative(company: Company) -> User:
    return RepresentativeFactory(company=company, user=UserFactory(name="김대표", email="ceo@test.example.kr")).user


@pytest.fixture
def member(company: Company) -> User:
    """A staff member (not the representative) of ``company``."""
    user = UserFactory(name="직원", email="staff@test.example.kr")
    return MembershipFactory(company=company, user=user, role=Membership.Role.STAFF).user


@pytest.fixture
def other_representative(other_company: Company) -> User:
    return RepresentativeFactory(company=other_company, user__name="박대표").user


@pytest.fixture
def other_member(db: None) -> User:
    return MembershipFactory(user=UserFactory(name="다른회사직원", email="other@other.example.kr")).user


@pytest.fixture
def staff(db: None) -> User:
    """SBA staff (the admin)."""
    return StaffFactory()


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


@pytest.fixture(autouse=True)
def _fresh_content_type_cache() -> None:
    """A transactional test's flush recreates the content types under new ids; the cache of the
    old ones would make the next audit record point at a missing row."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def page_cache(settings: Any) -> Iterator[None]:
    """The page cache on (``PAGE_CACHE_SECONDS`` is 0 in tests) under a fresh content version, so
    that nothing another test stored is served."""
    from magok.pagecache import VERSION_KEY

    settings.PAGE_CACHE_SECONDS = 60
    cache.delete(VERSION_KEY)
    yield
    cache.delete(VERSION_KEY)
