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
    RegistrationFactory(event=EventFactory(capacity=0), user=representative, company=company, status="waitlisted")
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


def _my_rows(representative, company, n: int) -> list:
    rows = []
    for _ in range(n):
        rows.append(RegistrationFactory(event=EventFactory(), user=representative, company=company))
    full = EventFactory(capacity=0)
    for _ in range(2):
        rows.append(RegistrationFactory(event=full, user=representative, company=company, status="waitlisted"))
    return rows


def test_my_registrations_signed_in_runs_three_queries(client, representative, company, django_assert_num_queries):
    """The user with their membership (accounts/backends.py; the session comes from the cache),
    the registrations with their events and companies, the waitlists of the waiting ones."""
    client.force_login(representative)
    _my_rows(representative, company, 6)
    client.get(reverse("events:my"))  # the session into the cache
    with django_assert_num_queries(3):
        response = client.get(reverse("events:my"))
    body = response.content.decode()
    assert body.count('class="registration-row') == 8
    assert "대기 1번" in body and "대기 2번" in body


def test_my_registrations_without_a_waitlisted_row_runs_two_queries(
    client, representative, company, django_assert_num_queries
):
    client.force_login(representative)
    for _ in range(3):
        RegistrationFactory(event=EventFactory(), user=representative, company=company)
    client.get(reverse("events:my"))
    with django_assert_num_queries(2):
        body = client.get(reverse("events:my")).content.decode()
    assert body.count('class="registration-row') == 3 and "대기" not in body


def test_my_registrations_links_each_row_to_its_own_pages(client, representative, company):
    client.force_login(representative)
    rows = _my_rows(representative, company, 2)
    body = client.get(reverse("events:my")).content.decode()
    for registration in rows:
        assert f'href="{registration.event.get_absolute_url()}"' in body
        assert f'href="{reverse("events:ticket", args=[registration.pk])}"' in body
        assert f'href="{reverse("events:cancel", args=[registration.pk])}"' in body


def _token_api(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def test_api_registrations_with_a_token_runs_three_queries(representative, company, django_assert_num_queries):
    """The token with its user and membership, one page of registrations (a first page that is
    not full is the whole list, so no COUNT), the waitlists of the waiting ones."""
    api = _token_api(representative)
    _my_rows(representative, company, 5)
    with django_assert_num_queries(3):
        data = api.get("/api/v1/registrations/").json()
    assert data["count"] == 7 and len(data["results"]) == 7 and data["next"] is None
    positions = sorted(row["waitlist_position"] for row in data["results"] if row["status"] == "waitlisted")
    assert positions == [1, 2]
    assert all(row["waitlist_position"] is None for row in data["results"] if row["status"] != "waitlisted")


def test_api_registrations_beyond_one_page_count_them(representative, company, django_assert_num_queries):
    api = _token_api(representative)
    _my_rows(representative, company, 21)
    with django_assert_num_queries(4):  # and the COUNT (the two waitlisted rows, the newest, are on page 1)
        data = api.get("/api/v1/registrations/").json()
    assert data["count"] == 23 and len(data["results"]) == 20 and data["next"]
    second = api.get(data["next"]).json()
    assert second["count"] == 23 and len(second["results"]) == 3 and second["next"] is None


def test_api_waitlist_positions_follow_the_queue(representative, company, member):
    """Positions count every waitlisted registration of the event, the caller's or not, in the
    order they came; a promotion moves the others up at once."""
    api = _token_api(representative)
    full = EventFactory(capacity=0)
    someone_else = RegistrationFactory(event=full, status="waitlisted")
    mine = [
        RegistrationFactory(event=full, user=representative, company=company, status="waitlisted") for _ in range(2)
    ]
    positions = {row["id"]: row["waitlist_position"] for row in api.get("/api/v1/registrations/").json()["results"]}
    assert positions == {mine[0].pk: 2, mine[1].pk: 3}
    someone_else.status = "confirmed"
    someone_else.save()
    positions = {row["id"]: row["waitlist_position"] for row in api.get("/api/v1/registrations/").json()["results"]}
    assert positions == {mine[0].pk: 1, mine[1].pk: 2}
    assert api.get(f"/api/v1/registrations/{mine[1].pk}/").json()["waitlist_position"] == 2
