"""The list, detail and "my registrations" pages run the same number of queries at 1 and many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import AgendaItem, Speaker
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_list_page_constant(client, count_queries):
    event = EventFactory()
    RegistrationFactory(event=event)
    one = count_queries(client, reverse("events:list"))
    for _ in range(10):
        RegistrationFactory.create_batch(3, event=EventFactory())
    assert count_queries(client, reverse("events:list")) == one


def test_calendar_page_constant(client, count_queries):
    EventFactory()
    one = count_queries(client, reverse("events:calendar"))
    EventFactory.create_batch(8)
    assert count_queries(client, reverse("events:calendar")) == one


def _add_program(event, n: int) -> None:
    for i in range(n):
        speaker = Speaker.objects.create(event=event, name_ko=f"연사{i}")
        AgendaItem.objects.create(event=event, starts_at="10:00", title_ko=f"순서{i}", speaker=speaker)


def test_detail_page_constant(client, member, count_queries):
    client.force_login(member)
    small, big = EventFactory(), EventFactory()
    _add_program(small, 1)
    _add_program(big, 10)
    # Both have registrations (an event with none skips reading the user's own).
    RegistrationFactory(event=small)
    RegistrationFactory.create_batch(8, event=big)
    assert count_queries(client, big.get_absolute_url()) == count_queries(client, small.get_absolute_url())


def test_my_registrations_constant(client, representative, company, count_queries):
    client.force_login(representative)
    RegistrationFactory(event=EventFactory(), user=representative, company=company)
    one = count_queries(client, reverse("events:my"))
    for _ in range(8):
        RegistrationFactory(event=EventFactory(), user=representative, company=company)
        RegistrationFactory(event=EventFactory(capacity=0), user=representative, company=company, status="waitlisted")
    assert count_queries(client, reverse("events:my")) == one


def test_api_list_constant(client, count_queries):
    EventFactory()
    one = count_queries(client, "/api/v1/events/")
    EventFactory.create_batch(10)
    assert count_queries(client, "/api/v1/events/") == one


def test_api_registrations_constant(representative, company):
    from rest_framework.test import APIClient

    from accounts.models import User

    api = APIClient()
    RegistrationFactory(event=EventFactory(), user=representative, company=company)

    def api_queries() -> int:
        api.force_authenticate(User.objects.get(pk=representative.pk))  # fresh: no cached membership
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/registrations/").status_code == 200
        return len(ctx.captured_queries)

    one = api_queries()
    for _ in range(8):
        RegistrationFactory(event=EventFactory(), user=representative, company=company)
    assert api_queries() == one
