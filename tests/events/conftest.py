from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Audience
from tests.factories import EventFactory


@pytest.fixture
def event_kinds():
    """The kinds of the data migration (a transactional test elsewhere may have flushed them)."""
    from django.apps import apps

    importlib.import_module("events.migrations.0002_event_kinds").create_kinds(apps, None)


@pytest.fixture
def event():
    return EventFactory(capacity=3, audience=Audience.TENANTS)


@pytest.fixture
def public_event():
    return EventFactory(capacity=5, audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=7))
