"""Each user's private calendar feed (a revocable token URL) and holidays on the month calendar."""

from __future__ import annotations

import re
from html import unescape as html_unescape

import pytest
from django.urls import reverse

from events.feeds import calendar_feed_token, calendar_feed_urls
from events.models import Audience, Event
from tests.factories import CompanyFactory, EventFactory, UserFactory

from .helpers import register

pytestmark = pytest.mark.django_db


def _feed(client, token: str):
    return client.get(reverse("events:personal_feed", kwargs={"token": token}))


def test_feed_has_the_events_the_user_may_attend_and_their_registrations(client, member, company):
    other = CompanyFactory()
    public = EventFactory(title_ko="공개 행사", audience=Audience.PUBLIC)
    tenants = EventFactory(title_ko="입주기업 행사", audience=Audience.TENANTS)
    executives = EventFactory(title_ko="대표 전용 행사", audience=Audience.EXECUTIVES)
    invited = EventFactory(title_ko="우리 초청 행사", audience=Audience.INVITED)
    invited.invited_companies.add(company)
    not_invited = EventFactory(title_ko="남의 초청 행사", audience=Audience.INVITED)
    not_invited.invited_companies.add(other)
    draft = EventFactory(title_ko="초안 행사", status=Event.Status.DRAFT, audience=Audience.PUBLIC)
    register(tenants, member)

    response = _feed(client, calendar_feed_token(user=member).token)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode().replace("\r\n ", "")
    for event in (public, tenants, invited):
        assert f"UID:event-{event.pk}@" in text
    for event in (executives, not_invited, draft):
        assert f"UID:event-{event.pk}@" not in text
    assert "SUMMARY:입주기업 행사 (참가 확정)" in text
    assert "SUMMARY:공개 행사\r\n" in response.content.decode()
    assert text.count("BEGIN:VTIMEZONE") == 1


def test_a_representative_sees_executive_events_and_a_visitor_only_public_ones(client, representative):
    executives = EventFactory(audience=Audience.EXECUTIVES)
    tenants = EventFactory(audience=Audience.TENANTS)
    visitor = UserFactory()
    boss = _feed(client, calendar_feed_token(user=representative).token).content.decode()
    outsider = _feed(client, calendar_feed_token(user=visitor).token).content.decode()
    assert f"event-{executives.pk}@" in boss and f"event-{tenants.pk}@" in boss
    assert f"event-{executives.pk}@" not in outsider and f"event-{tenants.pk}@" not in outsider


def test_feed_query_count_does_not_grow_with_events(client, member, django_assert_max_num_queries):
    token = calendar_feed_token(user=member).token
    for _ in range(3):
        EventFactory(audience=Audience.PUBLIC)
    with django_assert_max_num_queries(8) as few:
        _feed(client, token)
    for _ in range(12):
        register(EventFactory(audience=Audience.TENANTS), member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _feed(client, token)


def test_rotating_revokes_the_old_url(client, member):
    old = calendar_feed_token(user=member).token
    client.force_login(member)

    response = client.post(reverse("events:personal_feed_rotate"))

    assert response.status_code == 302 and response["Location"].endswith("#calendar-feed")
    new = calendar_feed_token(user=member).token
    assert new != old
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200


def test_profile_page_offers_the_webcal_link_a_copy_button_and_rotate(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:profile")).content.decode()
    url, webcal = calendar_feed_urls(feed=calendar_feed_token(user=member))
    assert webcal.startswith("webcal://") and webcal.endswith(".ics")
    assert f'href="{webcal}"' in page and f'value="{url}"' in page
    assert "data-copy-target" in page and reverse("events:personal_feed_rotate") in page


def test_an_inactive_users_feed_answers_404(client, member):
    token = calendar_feed_token(user=member).token
    member.is_active = False
    member.save()
    assert _feed(client, token).status_code == 404


@pytest.mark.parametrize(("language", "name"), [("ko", "어린이날"), ("en", "Children's Day")])
def test_month_calendar_marks_public_holidays(client, settings, language, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("events:calendar"), {"month": "2027-05"})
    html = html_unescape(page.content.decode())
    assert page.status_code == 200
    # The day cell is marked, with the holiday's name, in the page's language.
    day5 = r'<td class="[^"]*\bholiday\b[^"]*">\s*<span class="day-number">5</span> <span[^>]*>([^<]+)<'
    cell = re.search(day5, html)
    assert cell and cell.group(1) == name
    plain = re.search(r'<td class="([^"]*)">\s*<span class="day-number">4</span>', html)
    assert plain and "holiday" not in plain.group(1)
    assert html.count('class="holiday-list"') == 1 and name in html.split('class="holiday-list"')[1]
