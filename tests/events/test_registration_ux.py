"""Issue 12: what a registered person sees, the cancel confirmation step, the waitlist wording,
the event's contact and map link, and the link previews."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from events.models import Registration
from legal.policies import SBA_CONTACT
from tests.events.helpers import register
from tests.factories import EventFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event():
    return EventFactory(capacity=1, venue_address="서울특별시 강서구 마곡중앙8로 71")


def test_someone_registered_sees_their_registration_and_add_colleague_not_register(client, representative, event):
    [mine] = register(event, representative)
    client.force_login(representative)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "동료 추가 신청" in html
    assert f'href="{reverse("events:register", args=[event.pk])}">신청하기' not in html
    assert reverse("events:ticket", args=[mine.pk]) in html
    # The form then starts with "myself" unticked.
    form = client.get(reverse("events:register", args=[event.pk])).content.decode()
    assert "본인은 이미 신청했습니다" in form
    assert re.search(r'<input[^>]*name="include_self"', form)
    assert not re.search(r'<input[^>]*name="include_self"[^>]*checked', form)


def test_a_newcomer_sees_register_and_myself_ticked(client, representative, event):
    client.force_login(representative)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "동료 추가 신청" not in html and "신청하기" in html
    form = client.get(reverse("events:register", args=[event.pk])).content.decode()
    assert re.search(r'<input[^>]*name="include_self"[^>]*checked', form)
    assert 'data-colleague-rows data-start="0"' in form


def test_waitlist_position_reads_once(client, full_event):
    first, second = MembershipFactory().user, MembershipFactory().user
    register(full_event, first)
    [waiting] = register(full_event, second)
    client.force_login(second)
    for url in (full_event.get_absolute_url(), reverse("events:my"), reverse("events:ticket", args=[waiting.pk])):
        html = client.get(url).content.decode()
        assert "대기 1번" in html, url
        assert "대기 대기" not in html, url


def test_a_waitlisted_person_is_not_offered_a_ticket(client, full_event):
    register(full_event, MembershipFactory().user)
    user = MembershipFactory().user
    [waiting] = register(full_event, user)
    client.force_login(user)
    html = client.get(reverse("events:ticket", args=[waiting.pk])).content.decode()
    assert "입장 티켓</h1>" not in html and "신청 내역</h1>" in html
    assert "아직 입장 티켓이 없습니다" in html
    assert waiting.ticket_code not in html
    assert 'class="ticket-qr"' not in html


def test_cancel_asks_first_and_says_the_seat_goes_to_the_waitlist(client, full_event):
    owner, other = MembershipFactory().user, MembershipFactory().user
    [mine] = register(full_event, owner)
    [waiting] = register(full_event, other)
    client.force_login(owner)

    page = client.get(reverse("events:cancel", args=[mine.pk])).content.decode()
    assert "대기 1번에게 넘어가" in page
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED  # looking cancels nothing

    assert client.post(reverse("events:cancel", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == (Registration.Status.CANCELLED, Registration.Status.CONFIRMED)


def test_cancel_confirmation_without_anyone_waiting(client, representative, event):
    [mine] = register(event, representative)
    client.force_login(representative)
    page = client.get(reverse("events:cancel", args=[mine.pk])).content.decode()
    assert "다른 사람이 신청할 수 있게 됩니다" in page


def test_login_from_an_event_page_returns_to_its_form(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    register_url = reverse("events:register", args=[event.pk])
    assert f"?next={register_url}" in html


def test_event_page_shows_its_contact_or_sbas_and_a_map_link(client, full_event):
    html = client.get(full_event.get_absolute_url()).content.decode()
    assert "문의처" in html and SBA_CONTACT["phone"] in html
    assert "https://map.naver.com/p/search/" in html
    full_event.contact_name, full_event.contact_phone = "김담당", "02-1234-5678"
    full_event.save()
    html = client.get(full_event.get_absolute_url()).content.decode()
    assert "김담당" in html and "02-1234-5678" in html and SBA_CONTACT["phone"] not in html


def test_link_previews_and_favicon(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{event.title_ko}">' in html
    assert f'<meta property="og:url" content="http://testserver{event.get_absolute_url()}">' in html
    assert '<meta property="og:image" content="http://testserver/static/img/og-magok.png' in html
    assert 'rel="icon"' in html
