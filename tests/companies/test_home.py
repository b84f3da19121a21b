"""The home page helps (issue 12): next events and open calls for everyone; my next event, my
company's applications and waiting join requests after login; the next step for a newcomer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from events.models import Audience
from tests.events.helpers import register
from tests.factories import EventFactory, MembershipFactory, UserFactory
from tests.programs.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda():
    public = EventFactory(title_ko="마곡 테크콘서트", audience=Audience.PUBLIC)
    members_only = EventFactory(title_ko="입주기업 CEO 비즈포럼", audience=Audience.TENANTS)
    call = CallFactory(title_ko="2027 수출역량 강화", closes_at=timezone.now() + timedelta(days=3, hours=1))
    return public, members_only, call


def test_anonymous_home_shows_public_events_and_open_calls_with_d_day(client, agenda):
    public, members_only, call = agenda
    html = client.get(reverse("home")).content.decode()
    assert public.title_ko in html
    assert members_only.title_ko not in html
    assert call.title_ko in html
    days = (timezone.localdate(call.closes_at) - timezone.localdate()).days
    assert f"D-{days}" in html
    assert "님의 현황" not in html


def test_member_home_shows_members_events_my_next_event_and_applications(client, agenda, member):
    public, members_only, call = agenda
    [mine] = register(members_only, member)
    ApplicationFactory(call=call, company=member.company, created_by=member)
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert members_only.title_ko in html and public.title_ko in html
    assert 'class="my-next-event"' in html and reverse("events:ticket", args=[mine.pk]) in html
    assert call.title_ko in html and 'data-status="draft"' in html


def test_representative_sees_join_requests_waiting(client, representative):
    MembershipFactory(company=representative.company, status=Membership.Status.PENDING)
    client.force_login(representative)
    html = client.get(reverse("home")).content.decode()
    assert "승인을 기다리는 소속 요청 1건" in html
    assert reverse("accounts:members") in html


def test_a_newcomer_without_a_company_is_led_to_the_join_request(client):
    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:join")}"' in html
    assert "소속 기업 요청하기" in html


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_query_count_does_not_grow_with_events_or_calls(client, member):
    client.force_login(member)
    EventFactory(audience=Audience.PUBLIC)
    CallFactory()
    _home_queries(client)  # warm: the complex statistics are cached after the first request
    few = _home_queries(client)
    for _ in range(12):
        EventFactory(audience=Audience.PUBLIC)
        EventFactory(audience=Audience.TENANTS)
        CallFactory()
    _home_queries(client)
    assert _home_queries(client) == few
    assert few <= 12
