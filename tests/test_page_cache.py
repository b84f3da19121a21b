"""The public page cache (magok/pagecache.py): anonymous visitors get cached pages, and a change
to what they show is visible on the very next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.services import profile_change_approve
from events.models import Audience
from events.services import AttendeeData, registration_create
from tests.companies.factories import ProfileChangeRequestFactory
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    company = CompanyFactory(name_ko="캐시기업")
    url = reverse("companies:detail", kwargs={"slug": company.slug})
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert "캐시기업" in second.content.decode()


def test_each_language_has_its_own_page(client):
    company = CompanyFactory(name_ko="언어기업", name_en="Language Co")
    url = reverse("companies:detail", kwargs={"slug": company.slug})
    assert '<html lang="ko">' in client.get(url).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and "Language Co" in english


def test_profile_approval_shows_at_once(client, django_capture_on_commit_callbacks):
    change = ProfileChangeRequestFactory(data={"name_en": "Approved Name", "keywords": "", "sectors": []})
    url = reverse("companies:detail", kwargs={"slug": change.company.slug})
    assert "Approved Name" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_approve(change=change, by=StaffFactory())
    assert "Approved Name" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    directory = client.get(reverse("companies:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approved Name" in directory


def test_event_change_shows_at_once(client, django_capture_on_commit_callbacks):
    event = EventFactory(title_ko="처음 제목", audience=Audience.PUBLIC)
    url = reverse("events:detail", kwargs={"pk": event.pk})
    assert "처음 제목" in client.get(url).content.decode()
    assert "처음 제목" in client.get(reverse("events:list")).content.decode()
    assert "처음 제목" in client.get(reverse("events:feed")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event.title_ko = "바뀐 제목"
        event.save()
    assert "바뀐 제목" in client.get(url).content.decode()
    assert "바뀐 제목" in client.get(reverse("events:list")).content.decode()
    assert "바뀐 제목" in client.get(reverse("events:feed")).content.decode()


def test_registration_changing_the_seats_left_shows_at_once(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5, audience=Audience.TENANTS, starts_at=timezone.now() + timedelta(days=3))
    url = reverse("events:detail", kwargs={"pk": event.pk})
    assert "잔여 5석" in client.get(url).content.decode()
    assert "잔여 5석" in client.get(reverse("events:list")).content.decode()
    member = MembershipFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            event=event,
            by=member,
            attendees=[AttendeeData(name="참석자", email=member.email)],
            consent=True,
            language="ko",
        )
    assert "잔여 4석" in client.get(url).content.decode()
    assert "잔여 4석" in client.get(reverse("events:list")).content.decode()


def test_signed_in_users_are_not_served_the_anonymous_page(client):
    company = CompanyFactory()
    url = reverse("companies:detail", kwargs={"slug": company.slug})
    client.get(url)  # cached for anonymous visitors
    member = MembershipFactory(company=company).user
    client.force_login(member)
    html = client.get(url).content.decode()
    assert member.email in html or (member.name and member.name in html)


def test_a_response_that_used_a_csrf_token_or_set_a_cookie_is_not_stored(rf, client):
    from magok.pagecache import _storable

    response = client.get(reverse("home"))
    assert _storable(rf.get("/"), response)
    with_token = rf.get("/")
    with_token.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not _storable(with_token, response)
    response.set_cookie("x", "y")
    assert not _storable(rf.get("/"), response)


def test_a_visitor_with_a_flash_message_gets_a_fresh_page(client, django_assert_max_num_queries):
    company = CompanyFactory()
    url = reverse("companies:detail", kwargs={"slug": company.slug})
    client.get(url)
    client.cookies["messages"] = "anything"
    with django_assert_max_num_queries(50) as captured:
        client.get(url)
    assert len(captured.captured_queries) > 0


def test_the_language_switch_is_a_plain_link_so_pages_carry_no_token(client, settings):
    html = client.get(reverse("home")).content.decode()
    assert 'class="lang-switch" action="/i18n/setlang/" method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    response = client.get(reverse("set_language"), {"language": "en", "next": reverse("events:list")})
    assert response.status_code == 302 and response["Location"] == reverse("events:list")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # Only paths on this site.
    response = client.get(reverse("set_language"), {"language": "ko", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_directory_total_is_kept_until_a_company_changes(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The plain list's total (companies.selectors.OneQueryPaginator) is cached with the public
    content: the API counts once, and a new or hidden company shows in the total at once."""
    from rest_framework.test import APIClient

    # An indented answer is rendered each time (not kept whole by magok.api.PublicResponseCache):
    # only the total is cached.
    api = APIClient(HTTP_ACCEPT="application/json; indent=2")
    with django_capture_on_commit_callbacks(execute=True):
        CompanyFactory.create_batch(3)
    assert api.get("/api/v1/companies/").json()["count"] == 3
    with django_assert_num_queries(2):  # the page and the sectors: no COUNT
        assert api.get("/api/v1/companies/").json()["count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        added = CompanyFactory()
    assert api.get("/api/v1/companies/").json()["count"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        added.is_public = False
        added.save()
    assert api.get("/api/v1/companies/").json()["count"] == 3
