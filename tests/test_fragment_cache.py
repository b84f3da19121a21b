"""The public fragments of signed-in pages (magok/pagecache.py ``public_fragments``): a change the
public sees shows at once, a hit skips the fragment's queries, and nothing of one user's is ever
in another user's page."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.services import membership_approve, membership_hand_over, membership_request
from companies.services import profile_change_approve
from events.models import Audience, Event, Registration
from events.services import AttendeeData, registration_cancel, registration_create
from magok.pagecache import render_public_fragment
from programs.models import Application
from tests.companies.factories import ProfileChangeRequestFactory
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.programs.factories import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def _register(event: Event, user, name: str = "") -> Registration:
    """``user`` registers themselves (as ``name``, else their own name); returns the registration."""
    [registration] = registration_create(
        event=event,
        by=user,
        attendees=[AttendeeData(name=name or user.name, email=user.email)],
        consent=True,
        language="ko",
    )
    return registration


def test_a_fragment_is_rendered_without_the_request_so_it_cannot_hold_a_token_or_a_user(tmp_path, settings):
    """The guarantee every fragment rests on: no context processor runs for it."""
    (tmp_path / "probe.html").write_text("[{% csrf_token %}][{{ user }}][{{ request.path }}][{{ messages }}][{{ x }}]")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert render_public_fragment("probe.html", {"x": "public"}) == "[][][][][public]"


def test_directory_hit_skips_the_search_and_shows_an_approval_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    change = ProfileChangeRequestFactory(data={"name_en": "Approved Name", "keywords": "", "sectors": []})
    client.force_login(MembershipFactory().user)
    url = reverse("companies:list")
    miss = _page(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Approved Name" not in miss
    # The user with their company for the menu, one query (the session is in the cache,
    # magok/sessions.py; the membership comes with the user, accounts/backends.py): the
    # companies, their sectors, the sector menu and the statistics are not read.
    with django_assert_num_queries(1):
        hit = _page(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert hit.count("company-item") == miss.count("company-item") > 0
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_approve(change=change, by=StaffFactory())
    assert "Approved Name" in _page(client, url, HTTP_ACCEPT_LANGUAGE="en")


def test_directory_search_and_language_have_their_own_fragments(client):
    CompanyFactory(name_ko="검색기업", name_en="Search Co")
    CompanyFactory(name_ko="다른기업", name_en="Other Co")
    client.force_login(MembershipFactory().user)
    url = reverse("companies:list")
    assert "다른기업" in _page(client, url)
    searched = _page(client, url, data={"q": "검색"})
    assert "검색기업" in searched and "다른기업" not in searched
    english = _page(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english and ">Other Co</a>" in english
    assert ">다른기업</a>" in _page(client, url)


def test_event_list_hit_skips_the_events_and_shows_changes_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    event = EventFactory(title_ko="처음 제목", capacity=5, starts_at=timezone.now() + timedelta(days=3))
    member = MembershipFactory().user
    client.force_login(member)
    url = reverse("events:list")
    assert "처음 제목" in _page(client, url) and "잔여 5석" in _page(client, url)
    # The user with their company for the menu (one query): no event, kind or seat count.
    with django_assert_num_queries(1):
        _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        event.title_ko = "바뀐 제목"
        event.save()
    assert "바뀐 제목" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, member)
    assert "잔여 4석" in _page(client, url)


def test_event_page_hit_skips_the_programme_and_shows_seats_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=5, audience=Audience.PUBLIC, description_ko="행사 소개 글")
    member = MembershipFactory().user
    client.force_login(member)
    url = reverse("events:detail", kwargs={"pk": event.pk})
    first = _page(client, url)
    assert "잔여 5석" in first and "행사 소개 글" in first
    # The user with their company for the menu (one query): the event with its seats is kept,
    # no speakers or agenda, and the user's registrations are not read while the event has none.
    with django_assert_num_queries(1):
        _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, member)
    page = _page(client, url)
    assert "잔여 4석" in page
    assert "이미 신청했습니다" in page  # the registration box is the user's
    with django_assert_num_queries(1):  # the user's registrations are kept too, under their own key
        assert "이미 신청했습니다" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        event.description_ko = "바뀐 소개 글"
        event.save()
    assert "바뀐 소개 글" in _page(client, url)


def test_event_page_reads_the_registrations_of_each_user_not_the_first_ones(client, django_capture_on_commit_callbacks):
    """The kept event says only whether it has registrations: whose they are is read per user."""
    event = EventFactory(capacity=5, audience=Audience.PUBLIC)
    a = MembershipFactory(user__name="에이사용자").user
    b = MembershipFactory(user__name="비사용자").user
    url = reverse("events:detail", kwargs={"pk": event.pk})
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, a)
    client.force_login(a)
    assert "이미 신청했습니다" in _page(client, url)
    client.force_login(b)
    page = _page(client, url)
    assert "이미 신청했습니다" not in page and "신청하기" in page and a.email not in page


def test_event_page_shows_the_users_waitlist_places_and_their_moves_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=3))
    first, ahead = MembershipFactory().user, MembershipFactory().user
    representative = RepresentativeFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, first)
        waiting = _register(event, ahead, "앞사람")
        registration_create(
            event=event,
            by=representative,
            attendees=[
                AttendeeData(name="둘째", email="second@test.example.kr"),
                AttendeeData(name="셋째", email="third@test.example.kr"),
            ],
            consent=True,
            language="ko",
        )
    client.force_login(representative)
    url = reverse("events:detail", kwargs={"pk": event.pk})
    page = _page(client, url)
    assert "대기 2번" in page and "대기 3번" in page and "대기 1번" not in page and "앞사람" not in page
    with django_assert_num_queries(1):  # the menu's user and company: their registrations and places are kept
        _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=waiting, by=ahead)
    page = _page(client, url)
    assert "대기 1번" in page and "대기 2번" in page and "대기 3번" not in page


def test_event_page_drafts_are_staffs_only_whoever_comes_first(client, django_capture_on_commit_callbacks):
    event = EventFactory(title_ko="초안 행사", status=Event.Status.DRAFT)
    url = reverse("events:detail", kwargs={"pk": event.pk})
    member = MembershipFactory().user
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    staff_page = _page(client, url)
    assert "초안 행사" in staff_page and "입장 확인" in staff_page
    client.force_login(member)
    assert client.get(url).status_code == 404  # the staff's event is not the member's
    client.logout()
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.PUBLISHED
        event.save()
    client.force_login(member)
    page = _page(client, url)
    assert "초안 행사" in page and "입장 확인" not in page  # the staff links are not in the public facts
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.DRAFT
        event.save()
    assert client.get(url).status_code == 404  # unpublished: gone at once


def test_event_page_link_preview_is_shared_escaped_and_follows_an_edit(client, django_capture_on_commit_callbacks):
    event = EventFactory(venue_ko="마곡홀", description_ko='소개 <b>"굵게"</b> ' + "가" * 200)
    client.force_login(MembershipFactory().user)
    url = reverse("events:detail", kwargs={"pk": event.pk})
    _page(client, url)
    page = _page(client, url)  # from the fragments
    description = re.search(r'<meta name="description" content="([^"]*)">', page).group(1)
    preview = re.search(r'<meta property="og:description" content="([^"]*)">', page).group(1)
    assert description.endswith(" · 마곡홀")
    assert preview.startswith(description + " · 소개 &lt;b&gt;&quot;굵게&quot;&lt;/b&gt; 가") and preview.endswith("…")
    with django_capture_on_commit_callbacks(execute=True):
        event.venue_ko = "새 홀"
        event.save()
    page = _page(client, url)
    assert re.search(r'<meta name="description" content="[^"]* · 새 홀">', page) and "마곡홀" not in page


def test_event_page_404_is_not_kept(client, django_assert_num_queries):
    """No cache entry per made-up id: each miss reads the table again."""
    client.force_login(MembershipFactory().user)
    url = reverse("events:detail", kwargs={"pk": 987654})
    assert client.get(url).status_code == 404
    with django_assert_num_queries(2):  # the menu's user and company (one query), and the event again
        assert client.get(url).status_code == 404


def test_invited_event_page_checks_the_invitation_without_a_query_and_follows_it_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    event = EventFactory(audience=Audience.INVITED, starts_at=timezone.now() + timedelta(days=3))
    member = MembershipFactory()
    client.force_login(member.user)
    url = reverse("events:detail", kwargs={"pk": event.pk})
    assert "초청받은 기업만" in _page(client, url)
    with django_assert_num_queries(1):  # the menu's user and company (one query): no invitation read
        assert "초청받은 기업만" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        event.invited_companies.add(member.company)
    page = _page(client, url)
    assert "초청받은 기업만" not in page and "신청하기" in page
    with django_capture_on_commit_callbacks(execute=True):
        event.invited_companies.remove(member.company)
    assert "초청받은 기업만" in _page(client, url)


def test_home_calls_and_statistics_show_changes_at_once(client, django_capture_on_commit_callbacks):
    client.force_login(MembershipFactory().user)
    url = reverse("home")
    page = _page(client, url)
    assert "새 공고 제목" not in page
    assert 'data-figure="total">1개 기업' in page
    with django_capture_on_commit_callbacks(execute=True):
        CallFactory(title_ko="새 공고 제목")
        CompanyFactory()
    page = _page(client, url)
    assert "새 공고 제목" in page
    assert 'data-figure="total">2개 기업' in page


@pytest.mark.parametrize("factory", [MembershipFactory, RepresentativeFactory])
def test_home_hit_reads_only_the_user_and_their_membership(client, django_assert_num_queries, factory):
    user = factory().user
    RegistrationFactory(event=EventFactory(), user=user, registered_by=user)
    ApplicationFactory(company=user.company)
    client.force_login(user)
    first = _page(client, reverse("home"))
    assert 'class="my-next-event"' in first and "my-applications" in first
    # The user with their membership in one query (the session is in the cache): the next registration, the
    # company's applications and join requests are kept, and no events, calls or statistics.
    with django_assert_num_queries(1), mock.patch("magok.pagecache.cache.get_many", wraps=cache.get_many) as fetch:
        hit = _page(client, reverse("home"))
    assert CSRF_INPUT.sub("", hit) == CSRF_INPUT.sub("", first)
    assert fetch.call_count == 1  # every block of the page in one round trip


def _mine(client, url: str) -> str:
    """The signed-in visitor's own section of the home page (the public blocks follow it)."""
    return _page(client, url).split('class="grid home-next"')[0]


def test_home_my_next_event_follows_registration_and_cancellation_at_once(client, django_capture_on_commit_callbacks):
    member = MembershipFactory().user
    later = EventFactory(title_ko="나중 행사", starts_at=timezone.now() + timedelta(days=9))
    sooner = EventFactory(title_ko="먼저 행사", starts_at=timezone.now() + timedelta(days=2))
    client.force_login(member)
    url = reverse("home")
    assert "신청한 행사가 없습니다" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        _register(later, member)
    page = _page(client, url)
    assert "나중 행사" in page.split("home-next")[0] and "신청한 행사가 없습니다" not in page
    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(sooner, member)
    assert "먼저 행사" in _page(client, url).split("home-next")[0]
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration, by=member)
    mine = _page(client, url).split("home-next")[0]
    assert "나중 행사" in mine and "먼저 행사" not in mine
    with django_capture_on_commit_callbacks(execute=True):
        later.title_ko = "바뀐 나중 행사"
        later.save()
    assert "바뀐 나중 행사" in _page(client, url).split("home-next")[0]


def test_home_my_waitlist_position_moves_when_someone_ahead_cancels(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first, ahead, member = (MembershipFactory().user for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, first)
        ahead_registration = _register(event, ahead)
        _register(event, member)
    client.force_login(member)
    url = reverse("home")
    assert "대기 2번" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=ahead_registration, by=ahead)
    assert "대기 1번" in _page(client, url)


def test_home_my_next_event_moves_on_when_it_ends(client):
    """Time alone changes the next event: the kept one is served only until its event ends."""
    member = MembershipFactory().user
    soon = EventFactory(title_ko="곧 끝날 행사", starts_at=timezone.now() + timedelta(hours=1))
    later = EventFactory(title_ko="다음 주 행사", starts_at=timezone.now() + timedelta(days=7))
    for event in (soon, later):
        RegistrationFactory(event=event, user=member, registered_by=member)
    client.force_login(member)
    url = reverse("home")
    assert "곧 끝날 행사" in _page(client, url).split("home-next")[0]
    after_it = timezone.now() + timedelta(hours=4)
    with mock.patch("django.utils.timezone.now", return_value=after_it):
        mine = _page(client, url).split("home-next")[0]
    assert "다음 주 행사" in mine and "곧 끝날 행사" not in mine


def test_home_one_members_next_event_is_not_another_members(client):
    """The company's part is shared by its members; "my next event" is each user's own."""
    a = MembershipFactory(user__name="에이사용자").user
    b = MembershipFactory(user__name="비사용자", company=a.company).user
    RegistrationFactory(event=EventFactory(title_ko="에이의 행사"), user=a, registered_by=a)
    ApplicationFactory(company=a.company, call__title_ko="함께 보는 공고")
    url = reverse("home")
    client.force_login(a)
    page_a = _mine(client, url)
    assert "에이의 행사" in page_a and "함께 보는 공고" in page_a
    client.force_login(b)
    page_b = _mine(client, url)
    assert "에이의 행사" not in page_b and "신청한 행사가 없습니다" in page_b
    assert "함께 보는 공고" in page_b


def test_home_company_applications_and_join_requests_show_changes_at_once(client, django_capture_on_commit_callbacks):
    representative = RepresentativeFactory().user
    member = MembershipFactory(company=representative.company).user
    outsider = MembershipFactory().user
    url = reverse("home")
    client.force_login(member)
    assert "신청서가 없습니다" in _mine(client, url)
    client.force_login(representative)
    assert "승인을 기다리는 소속 요청" not in _mine(client, url)
    client.force_login(outsider)
    _mine(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory(company=representative.company, call__title_ko="새 신청 공고")
        request = membership_request(user=UserFactory(), company=representative.company)
    page = _mine(client, url)  # the outsider: another company's part
    assert "새 신청 공고" not in page and "승인을 기다리는 소속 요청" not in page
    client.force_login(member)
    page = _mine(client, url)
    assert "새 신청 공고" in page and 'data-status="draft"' in page
    assert "승인을 기다리는 소속 요청" not in page  # the count is for the representative only
    client.force_login(representative)
    assert "승인을 기다리는 소속 요청 1건" in _mine(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        application.status = Application.Status.SUBMITTED
        application.save()
        membership_approve(membership=request, by=representative)
    page = _mine(client, url)
    assert 'data-status="submitted"' in page and "승인을 기다리는 소속 요청" not in page
    with django_capture_on_commit_callbacks(execute=True):
        application.delete()
    client.force_login(member)
    assert "새 신청 공고" not in _mine(client, url)


def test_home_events_are_kept_per_company_and_role(client, django_capture_on_commit_callbacks):
    """The upcoming events on the home page differ by company (invitations) and role (events for
    executives): that fragment is never shared across them."""
    invited = MembershipFactory().user
    invitation = EventFactory(title_ko="초청 행사", audience=Audience.INVITED)
    invitation.invited_companies.add(invited.company)
    executives = EventFactory(title_ko="대표 행사", audience=Audience.EXECUTIVES)
    representative = RepresentativeFactory(company=invited.company).user
    outsider = MembershipFactory().user
    url = reverse("home")

    client.force_login(representative)
    page = _page(client, url)
    assert "초청 행사" in page and "대표 행사" in page
    client.force_login(invited)
    page = _page(client, url)
    assert "초청 행사" in page and "대표 행사" not in page
    client.force_login(outsider)
    page = _page(client, url)
    assert "초청 행사" not in page and "대표 행사" not in page
    with django_capture_on_commit_callbacks(execute=True):
        invitation.invited_companies.add(outsider.company)
        executives.title_ko = "바뀐 대표 행사"
        executives.save()
    assert "초청 행사" in _page(client, url)
    client.force_login(representative)
    assert "바뀐 대표 행사" in _page(client, url)


@pytest.mark.parametrize(
    "url_name",
    ["home", "companies:list", "events:list", "events:detail"],
)
def test_one_users_page_never_shows_in_anothers(client, url_name):
    """User A (a representative, registered for the event) renders each page first, then user B
    (of another company) gets the same URL: nothing of A's may be in B's page."""
    event = EventFactory(audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=3))
    a = RepresentativeFactory(user__name="에이사용자", company__name_ko="에이기업").user
    b = MembershipFactory(user__name="비사용자").user
    RegistrationFactory(event=event, user=a, registered_by=a, attendee_name="에이참석자", email=a.email)
    url = reverse(url_name, kwargs={"pk": event.pk} if url_name == "events:detail" else None)

    client.force_login(a)
    with CaptureQueriesContext(connection) as queries_a:
        page_a = _page(client, url)
    tokens_a = CSRF_INPUT.findall(page_a)
    assert "에이사용자" in page_a and tokens_a  # the markers are there to be leaked
    if url_name == "events:detail":
        assert "에이참석자" in page_a

    client.force_login(b)
    with CaptureQueriesContext(connection) as queries_b:
        page_b = _page(client, url)
    assert "비사용자" in page_b
    assert len(queries_b) < len(queries_a)  # B was served the fragments A's visit stored
    for marker in ["에이사용자", a.email, "에이참석자", "기업 정보 수정", *tokens_a]:
        assert marker not in page_b
    if url_name == "companies:list":
        assert "에이기업" in page_b  # A's company is public in the directory: the fragment is shared


def test_staff_see_drafts_in_the_list_and_others_do_not(client):
    EventFactory(title_ko="초안 행사", status=Event.Status.DRAFT)
    EventFactory(title_ko="공개 행사")
    url = reverse("events:list")
    client.force_login(StaffFactory())
    staff_page = _page(client, url)
    assert "초안 행사" in staff_page and "공개 행사" in staff_page
    client.force_login(MembershipFactory().user)
    page = _page(client, url)
    assert "초안 행사" not in page and "공개 행사" in page
    assert "입장 확인" not in page


def test_without_the_page_cache_fragments_are_rendered_every_time(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    event = EventFactory(title_ko="처음 제목")
    client.force_login(MembershipFactory().user)
    url = reverse("events:list")
    assert "처음 제목" in _page(client, url)
    with django_assert_num_queries(4):  # as the first time (a hit is 1): nothing is kept
        _page(client, url)
    event.title_ko = "바뀐 제목"
    event.save()  # no commit needed: nothing is cached
    assert "바뀐 제목" in _page(client, url)


def test_with_redis_down_pages_are_rendered_and_current(client, django_capture_on_commit_callbacks):
    down = {
        "default": {
            "BACKEND": "magok.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    event = EventFactory(title_ko="처음 제목", capacity=5, audience=Audience.PUBLIC)
    member = MembershipFactory().user
    with override_settings(CACHES=down):
        client.force_login(member)
        for url in [reverse("home"), reverse("companies:list"), reverse("events:list")]:
            _page(client, url)
        detail = reverse("events:detail", kwargs={"pk": event.pk})
        assert "잔여 5석" in _page(client, detail)
        with django_capture_on_commit_callbacks(execute=True):
            _register(event, member)
            event.title_ko = "바뀐 제목"
            event.save()
        page = _page(client, detail)
        assert "잔여 4석" in page and "바뀐 제목" in page


def test_a_long_query_string_is_rendered_not_stored(client, django_assert_max_num_queries):
    client.force_login(MembershipFactory().user)
    url = reverse("companies:list") + "?q=" + "가" * 30 + "&x=" + "y" * 250
    _page(client, url)
    with django_assert_max_num_queries(20) as captured:
        _page(client, url)
    assert any("companies_company" in query["sql"] for query in captured.captured_queries)


def test_the_menus_kept_per_process_follow_the_language_the_page_and_sign_in(client):
    """The menus and the footer (``{% cache %}`` in base.html) vary on all they depend on."""
    events, companies, meetings = reverse("events:list"), reverse("companies:list"), reverse("meetings:index")
    anonymous = _page(client, events)
    assert f'href="{events}" aria-current="page"' in anonymous and f'href="{meetings}"' not in anonymous
    page = _page(client, companies)
    assert f'href="{companies}" aria-current="page"' in page and f'href="{events}" aria-current' not in page
    client.force_login(MembershipFactory().user)
    signed_in = _page(client, events)
    assert f'href="{meetings}"' in signed_in and f'href="{events}" aria-current="page"' in signed_in
    english = _page(client, events, HTTP_ACCEPT_LANGUAGE="en")
    assert ">채용캠프</a>" in signed_in and ">채용캠프</a>" not in english
    assert ">개인정보처리방침</strong>" in signed_in and ">개인정보처리방침</strong>" not in english


def test_the_account_links_kept_per_process_follow_the_kind_of_account(client):
    """The account menu's links are kept per language, page and kind of account: a member never
    gets a representative's or staff's links, and the name and logout token stay each user's."""
    url = reverse("events:list")
    representative = RepresentativeFactory(user__name="대표사용자").user
    client.force_login(representative)
    page = _page(client, url)
    assert "기업 정보 수정" in page and "대표사용자" in page and ">관리</a>" not in page
    token = CSRF_INPUT.findall(page.split('class="account-nav"')[1])
    member = MembershipFactory(user__name="직원사용자").user
    client.force_login(member)
    page = _page(client, url)
    assert "기업 정보 수정" not in page and "지원사업 신청서" in page and "직원사용자" in page
    assert "대표사용자" not in page and CSRF_INPUT.findall(page.split('class="account-nav"')[1]) != token
    client.force_login(UserFactory(name="무소속사용자"))
    page = _page(client, url)
    assert "지원사업 신청서" not in page and "무소속사용자" in page
    client.force_login(StaffFactory())
    assert ">관리</a>" in _page(client, url)
    client.force_login(member)
    mine = _page(client, reverse("events:my"))
    assert f'href="{reverse("events:my")}" aria-current="page"' in mine
    english = _page(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert ">My event registrations</a>" in english and "내 행사 신청" not in english


# --- A user's own registrations, kept under their own key -----------------------------------


def _mine_table(client) -> str:
    return _page(client, reverse("events:my")).split("<h1>", 1)[1]


def test_my_registrations_hit_reads_only_the_user_and_follows_every_change_at_once(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    event = EventFactory(title_ko="내 행사", capacity=1, starts_at=timezone.now() + timedelta(days=3))
    first, ahead, member = (MembershipFactory().user for _ in range(3))
    client.force_login(member)
    assert "신청 내역이 없습니다" in _mine_table(client)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, first)
        ahead_registration = _register(event, ahead)
        mine = _register(event, member, "나참석")
    table = _mine_table(client)
    assert "내 행사" in table and "나참석" in table and "대기 2번" in table
    with django_assert_num_queries(1):  # the user with their membership: the table is kept
        assert "대기 2번" in _mine_table(client)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=ahead_registration, by=ahead)  # someone else's cancellation
    assert "대기 1번" in _mine_table(client)
    with django_capture_on_commit_callbacks(execute=True):
        event.title_ko = "바뀐 내 행사"
        event.save()
    assert "바뀐 내 행사" in _mine_table(client)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=mine, by=member)
    table = _mine_table(client)
    assert "취소" in table and "신청 취소" not in table  # cancelled: no ticket or cancel link


def test_my_registrations_follow_the_time_an_event_starts_and_ends(client):
    member = MembershipFactory().user
    starts = timezone.now() + timedelta(hours=1)
    event = EventFactory(title_ko="곧 시작할 행사", starts_at=starts, ends_at=starts + timedelta(hours=2))
    RegistrationFactory(event=event, user=member, registered_by=member)
    client.force_login(member)
    upcoming, past = _mine_table(client).split('id="my-past"')
    assert "곧 시작할 행사" in upcoming and "신청 취소" in upcoming
    with mock.patch("django.utils.timezone.now", return_value=starts + timedelta(minutes=5)):
        upcoming, past = _mine_table(client).split('id="my-past"')
    assert "곧 시작할 행사" in upcoming and "신청 취소" not in upcoming  # it has started: no more cancelling
    with mock.patch("django.utils.timezone.now", return_value=starts + timedelta(hours=3)):
        upcoming, past = _mine_table(client).split('id="my-past"')
    assert "곧 시작할 행사" not in upcoming and "곧 시작할 행사" in past


def test_my_registrations_are_each_users_and_follow_a_role_change_at_once(client, django_capture_on_commit_callbacks):
    """Colleagues see only their own rows, a representative the company's; the kept tables are
    per user, company and role, so a hand-over shows at once and no one is served another's."""
    representative = RepresentativeFactory(user__name="대표자")
    colleague = MembershipFactory(company=representative.company, user__name="동료")
    outsider = MembershipFactory(user__name="다른회사")
    event = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    RegistrationFactory(
        event=event, user=colleague.user, registered_by=colleague.user, company=colleague.company,
        attendee_name="동료참석자",
    )  # fmt: skip
    client.force_login(representative.user)
    assert "동료참석자" in _mine_table(client) and "대표자는 회사 임직원의" in _mine_table(client)
    for other in (colleague.user, outsider.user):
        client.force_login(other)
        _mine_table(client)
    client.force_login(outsider.user)
    assert "동료참석자" not in _mine_table(client)
    client.force_login(colleague.user)
    assert "동료참석자" in _mine_table(client) and "대표자는 회사 임직원의" not in _mine_table(client)
    with django_capture_on_commit_callbacks(execute=True):
        membership_hand_over(membership=colleague, by=representative.user)
    client.force_login(representative.user)
    table = _mine_table(client)
    assert "동료참석자" not in table and "대표자는 회사 임직원의" not in table  # a member now
    client.force_login(colleague.user)
    assert "대표자는 회사 임직원의" in _mine_table(client)


def test_my_registrations_are_kept_per_language(client):
    member = MembershipFactory().user
    RegistrationFactory(event=EventFactory(starts_at=timezone.now() + timedelta(days=3)), user=member)
    client.force_login(member)
    assert "다가오는 행사" in _page(client, reverse("events:my"), HTTP_ACCEPT_LANGUAGE="ko")
    english = _page(client, reverse("events:my"), HTTP_ACCEPT_LANGUAGE="en")
    assert ">Upcoming</h2>" in english and "다가오는 행사" not in english


def test_erasing_registrations_shows_at_once_in_the_kept_tables(client, django_capture_on_commit_callbacks):
    """The retention task erases by bulk UPDATE, which sends no signal: it replaces the version itself."""
    from events.privacy import registrations_erase_for

    member = MembershipFactory().user
    ended = timezone.now() - timedelta(days=2)
    RegistrationFactory(
        event=EventFactory(starts_at=ended, ends_at=ended + timedelta(hours=1), status=Event.Status.FINISHED),
        user=member, registered_by=member, company=member.company, attendee_name="지울이름",
    )  # fmt: skip
    representative = RepresentativeFactory(company=member.company).user  # sees the member's rows
    client.force_login(representative)
    assert "지울이름" in _mine_table(client)
    with django_capture_on_commit_callbacks(execute=True):
        registrations_erase_for(member)
    assert "지울이름" not in _mine_table(client)


def test_event_page_own_registrations_follow_a_role_change_at_once(client, django_capture_on_commit_callbacks):
    representative = RepresentativeFactory()
    colleague = MembershipFactory(company=representative.company)
    event = EventFactory(audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, colleague.user, "동료참석자")
    url = reverse("events:detail", kwargs={"pk": event.pk})
    client.force_login(representative.user)
    assert "동료참석자" in _page(client, url)  # the company's, for its representative
    with django_capture_on_commit_callbacks(execute=True):
        membership_hand_over(membership=colleague, by=representative.user)
    assert "동료참석자" not in _page(client, url)
