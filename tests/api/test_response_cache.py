"""The public API reads kept rendered under the content version (magok.api.PublicResponseCache):
a repeated request runs no query, a change the public sees shows on the next request, and the
checks that guard a request (throttles) still run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from companies.services import profile_change_approve
from events.models import Audience, Event
from events.services import AttendeeData, registration_create
from tests.companies.factories import ProfileChangeRequestFactory
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

EVENTS = "/api/v1/events/"
COMPANIES = "/api/v1/companies/"


@pytest.fixture
def api():
    return APIClient()


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("path", [EVENTS, COMPANIES, "/api/v1/companies/?search=%EC%BA%90%EC%8B%9C"])
def test_a_repeated_anonymous_request_runs_no_query(api, django_assert_num_queries, path):
    EventFactory(title_ko="캐시 행사")
    company = CompanyFactory(name_ko="캐시기업")
    first = api.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = api.get(path)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert second["Vary"] == first["Vary"]
    detail = f"{COMPANIES}{company.slug}/"
    assert api.get(detail).status_code == 200
    with django_assert_num_queries(0):
        assert api.get(detail).json()["name_ko"] == "캐시기업"


def test_a_token_request_runs_only_the_token_query(django_assert_num_queries):
    EventFactory()
    client = _token_client(MembershipFactory().user)
    first = client.get(EVENTS)
    with django_assert_num_queries(1):  # the token and its user, in one query
        second = client.get(EVENTS)
    assert second.content == first.content


def test_an_event_edit_and_a_publication_show_at_once(api, django_capture_on_commit_callbacks):
    event = EventFactory(title_ko="처음 제목")
    draft = EventFactory(title_ko="초안 행사", status=Event.Status.DRAFT)
    detail = f"{EVENTS}{event.pk}/"
    assert [row["title_ko"] for row in api.get(EVENTS).json()["results"]] == ["처음 제목"]
    assert api.get(detail).json()["title_ko"] == "처음 제목"
    assert api.get(f"{EVENTS}{draft.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        event.title_ko = "바뀐 제목"
        event.save()
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Event.Status.PUBLISHED
        draft.save()
    assert {row["title_ko"] for row in api.get(EVENTS).json()["results"]} == {"바뀐 제목", "초안 행사"}
    assert api.get(detail).json()["title_ko"] == "바뀐 제목"
    assert api.get(f"{EVENTS}{draft.pk}/").status_code == 200


def test_a_registration_changing_the_seats_left_shows_at_once(api, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5, audience=Audience.TENANTS, starts_at=timezone.now() + timedelta(days=3))
    assert api.get(EVENTS).json()["results"][0]["seats_left"] == 5
    assert api.get(f"{EVENTS}{event.pk}/").json()["seats_left"] == 5
    member = MembershipFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            event=event,
            by=member,
            attendees=[AttendeeData(name="참석자", email=member.email)],
            consent=True,
            language="ko",
        )
    assert api.get(EVENTS).json()["results"][0]["seats_left"] == 4
    assert api.get(f"{EVENTS}{event.pk}/").json()["seats_left"] == 4


def test_a_profile_approval_shows_at_once(api, django_capture_on_commit_callbacks):
    change = ProfileChangeRequestFactory(data={"name_en": "Approved Name", "keywords": "", "sectors": []})
    detail = f"{COMPANIES}{change.company.slug}/"
    assert "Approved Name" not in api.get(COMPANIES).content.decode()
    assert api.get(detail).json()["name_en"] != "Approved Name"
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_approve(change=change, by=StaffFactory())
    assert [row["name_en"] for row in api.get(COMPANIES).json()["results"]] == ["Approved Name"]
    assert api.get(detail).json()["name_en"] == "Approved Name"


def test_languages_do_not_mix(api):
    CompanyFactory(size_class="startup")
    korean = api.get(COMPANIES).json()["results"][0]["size_class_display"]
    english = api.get(COMPANIES, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["size_class_display"]
    assert api.get(COMPANIES).json()["results"][0]["size_class_display"] == korean
    assert korean != english
    assert api.get(COMPANIES, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["size_class_display"] == english


def test_hosts_do_not_mix(api, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    company = CompanyFactory()
    first = api.get(COMPANIES, HTTP_HOST="a.example").json()["results"][0]["url"]
    second = api.get(COMPANIES, HTTP_HOST="b.example").json()["results"][0]["url"]
    assert first == f"http://a.example/api/v1/companies/{company.slug}/"
    assert second == f"http://b.example/api/v1/companies/{company.slug}/"


def test_a_throttled_client_is_refused_a_cached_answer(api, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"}
    )
    EventFactory()
    assert api.get(EVENTS).status_code == 200
    with django_assert_num_queries(0):
        assert api.get(EVENTS).status_code == 200  # served from the cache, and counted
    refused = api.get(EVENTS)
    assert refused.status_code == 429 and "Retry-After" in refused
    # Another client (another address) still gets the cached answer.
    assert api.get(EVENTS, REMOTE_ADDR="10.9.9.9").status_code == 200
    client = _token_client(MembershipFactory().user)
    assert [client.get(EVENTS).status_code for _ in range(3)] == [200, 200, 429]


def test_staff_are_neither_served_nor_stored(api, django_assert_max_num_queries):
    """Staff see drafts on the HTML pages: if the API ever shows them drafts too, the cache must
    not hand them to the public, nor the public's list to staff."""
    EventFactory(title_ko="공개 행사")
    staff = _token_client(StaffFactory())
    staff.get(EVENTS)
    with django_assert_max_num_queries(10) as captured:
        api.get(EVENTS)  # not stored by the staff request
    assert len(captured.captured_queries) > 0
    with django_assert_max_num_queries(10) as captured:
        staff.get(EVENTS)  # not served from the anonymous entry
    assert len(captured.captured_queries) > 1


def test_the_browsable_api_and_other_media_types_are_rendered_each_time(django_assert_max_num_queries):
    EventFactory()
    user = MembershipFactory().user
    client = APIClient()
    client.force_login(user)
    for accept in ["text/html", "application/json; indent=4"]:
        client.get(EVENTS, HTTP_ACCEPT=accept)
        with django_assert_max_num_queries(20) as captured:
            second = client.get(EVENTS, HTTP_ACCEPT=accept)
        # The list itself is read again (the session may come from the cache and the total is
        # kept with the content version, so count the events query, not all queries).
        assert any('FROM "events_event"' in q["sql"] for q in captured.captured_queries)
        assert second.status_code == 200 and second["Content-Type"].startswith(accept.split(";")[0])


def test_a_long_query_string_is_answered_but_not_stored(api, django_assert_max_num_queries):
    EventFactory()
    path = f"{EVENTS}?padding={'x' * 300}"
    assert api.get(path).status_code == 200
    with django_assert_max_num_queries(10) as captured:
        assert api.get(path).status_code == 200
    assert len(captured.captured_queries) > 0


def test_the_schema_is_kept_rendered_and_still_leaves_itself_out(api, django_assert_num_queries):
    first = api.get("/api/schema/", {"format": "json"})
    with django_assert_num_queries(0):
        second = api.get("/api/schema/", {"format": "json"})
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    paths = second.json()["paths"]
    assert "/api/v1/events/" in paths and "/api/schema/" not in paths
    yaml = api.get("/api/schema/")
    assert yaml.status_code == 200 and yaml.content.startswith(b"openapi:")


def test_the_event_total_is_kept_until_an_event_changes(django_assert_num_queries, django_capture_on_commit_callbacks):
    # An indented answer is rendered each time: only the total is cached.
    api = APIClient(HTTP_ACCEPT="application/json; indent=2")
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory.create_batch(3)
        draft = EventFactory(status=Event.Status.DRAFT)
    assert api.get(EVENTS).json()["count"] == 3
    with django_assert_num_queries(1):  # the page: no COUNT
        assert api.get(EVENTS).json()["count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Event.Status.PUBLISHED
        draft.save()
    assert api.get(EVENTS).json()["count"] == 4
    assert api.get(EVENTS, {"status": "draft"}).json()["count"] == 0


def test_event_urls_are_their_pages(api):
    events = EventFactory.create_batch(2)
    rows = api.get(EVENTS).json()["results"]
    assert sorted(row["url"] for row in rows) == sorted(event.get_absolute_url() for event in events)
    assert api.get(f"{EVENTS}{events[0].pk}/").json()["url"] == events[0].get_absolute_url()


def test_a_view_with_an_object_permission_is_never_cached(rf):
    """On a hit ``get_object()`` does not run, so its object permission would not either."""
    from rest_framework.permissions import AllowAny, BasePermission
    from rest_framework.request import Request

    from events.api.views import EventViewSet

    class OwnObjectsOnly(BasePermission):
        def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
            return False

    def key(permissions: list[type[BasePermission]]) -> str | None:
        view = EventViewSet(action="list", permission_classes=permissions, format_kwarg=None)
        request = Request(rf.get(EVENTS))
        view.request = request
        request.accepted_renderer, request.accepted_media_type = view.perform_content_negotiation(request)
        return view._cache_key(request)

    assert key([AllowAny]) is not None
    assert key([AllowAny, OwnObjectsOnly]) is None


REGISTRATIONS = "/api/v1/registrations/"


def test_my_registrations_are_kept_per_owner_and_follow_every_change_at_once(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The caller's own list is kept under a key of the user, company and role: a hit reads only
    the token; a registration, a cancellation by someone ahead, and a hand-over show at once; no
    caller is ever answered another's list."""
    from accounts.services import membership_hand_over
    from events.services import registration_cancel

    representative = MembershipFactory(role="representative")
    colleague = MembershipFactory(company=representative.company)
    outsider = MembershipFactory()
    event = EventFactory(capacity=1, starts_at=timezone.now() + timedelta(days=3))
    clients = {m.pk: _token_client(m.user) for m in (representative, colleague, outsider)}

    def names(membership) -> list[str]:
        response = clients[membership.pk].get(REGISTRATIONS)
        assert response.status_code == 200
        return [(row["attendee_name"], row["status"], row["waitlist_position"]) for row in response.json()["results"]]

    assert names(representative) == names(colleague) == names(outsider) == []
    with django_capture_on_commit_callbacks(execute=True):
        [ahead] = registration_create(
            event=event, by=outsider.user, attendees=[AttendeeData(name="남", email=outsider.user.email)],
            consent=True, language="ko",
        )  # fmt: skip
        registration_create(
            event=event, by=colleague.user, attendees=[AttendeeData(name="동료", email=colleague.user.email)],
            consent=True, language="ko",
        )  # fmt: skip
    assert names(colleague) == [("동료", "waitlisted", 1)]
    assert names(representative) == [("동료", "waitlisted", 1)]  # the company's, for its representative
    assert names(outsider) == [("남", "confirmed", None)]
    with django_assert_num_queries(1):  # the token with its user: the list is kept
        assert names(colleague) == [("동료", "waitlisted", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=ahead, by=outsider.user)
    assert names(colleague) == names(representative) == [("동료", "confirmed", None)]
    assert names(outsider) == [("남", "cancelled", None)]
    with django_capture_on_commit_callbacks(execute=True):
        membership_hand_over(membership=colleague, by=representative.user)
    assert names(representative) == []  # a member now: only their own
    assert names(colleague) == [("동료", "confirmed", None)]
