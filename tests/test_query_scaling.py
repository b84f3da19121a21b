"""No page's or API list's query count grows with the data (issue 11): the same number of
queries for 10 and 200 companies and for 20 and 200 events with their registrations. The
benchmark (bench/http_bench.py) runs the same pages at 10,000 companies and 2,000 events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Audience, Registration
from tests.factories import (
    CompanyFactory,
    EventFactory,
    EventKindFactory,
    MembershipFactory,
    RegistrationFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

COMPANY_PAGES = ["/", "/companies/", "/companies/?q=%ED%85%8C%EC%8A%A4%ED%8A%B8", "/api/v1/companies/"]
EVENT_PAGES = ["/events/", "/events/calendar/", "/events/feed.ics", "/api/v1/events/"]


def _companies(n: int) -> None:
    sectors = [SectorFactory() for _ in range(3)]
    for i in range(n):
        CompanyFactory().sectors.add(sectors[i % 3])


def _events(n: int) -> None:
    kind = EventKindFactory()
    now = timezone.now()
    for i in range(n):
        # Half ahead (this month and later), half past: the list shows both kinds.
        starts = now + timedelta(days=(i % 40) - 20, hours=1)
        event = EventFactory(kind=kind, starts_at=starts, audience=Audience.PUBLIC)
        RegistrationFactory(event=event)
        RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)


def _counts(client, count_queries, pages: list[str]) -> dict[str, int]:
    for page in pages:  # the first visit creates the complex profile row (get-or-create)
        client.get(page)
    return {page: count_queries(client, page) for page in pages}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_directory_pages_run_the_same_queries_for_10_and_200_companies(client, count_queries, signed_in):
    if signed_in:
        client.force_login(MembershipFactory().user)
    _companies(10)
    small = _counts(client, count_queries, COMPANY_PAGES)
    _companies(190)
    assert _counts(client, count_queries, COMPANY_PAGES) == small


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_event_pages_run_the_same_queries_for_20_and_200_events(client, count_queries, signed_in):
    if signed_in:
        client.force_login(MembershipFactory().user)
    _events(20)
    small = _counts(client, count_queries, EVENT_PAGES)
    _events(180)
    assert _counts(client, count_queries, EVENT_PAGES) == small


def test_event_list_reads_a_bounded_number_of_events(client, django_assert_max_num_queries):
    """The seat counts are a subquery per row shown, not a join over every registration."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _events(30)
    with CaptureQueriesContext(connection) as context:
        client.get("/api/v1/events/")
    listing = [q["sql"] for q in context.captured_queries if "LIMIT" in q["sql"] and "events_event" in q["sql"]]
    assert listing, context.captured_queries
    assert all("GROUP BY \"events_event\"" not in sql for sql in listing)
