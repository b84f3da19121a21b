from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Audience
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, RepresentativeFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Factories set a password on every user; the real hasher makes the 50-user race test slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def event_kinds():
    """The kinds of the data migration (a transactional test elsewhere may have flushed them)."""
    from django.apps import apps

    importlib.import_module("events.migrations.0002_event_kinds").create_kinds(apps, None)


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def representative(company):
    return RepresentativeFactory(company=company, user=UserFactory(name="대표자", email="ceo@test.example.kr")).user


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, user=UserFactory(name="직원", email="staff@test.example.kr")).user


@pytest.fixture
def other_member():
    return MembershipFactory(user=UserFactory(name="다른회사직원", email="other@other.example.kr")).user


@pytest.fixture
def event():
    return EventFactory(capacity=3, audience=Audience.TENANTS)


@pytest.fixture
def public_event():
    return EventFactory(capacity=5, audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=7))
