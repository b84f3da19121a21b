from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Audience, Event, Registration
from tests.factories import EventFactory, EventKindFactory, RegistrationFactory
from tests.outbox import rendered_emails

from .helpers import attendee, confirm_link, register

pytestmark = pytest.mark.django_db


def test_list_shows_upcoming_with_seats_and_past(client):
    upcoming = EventFactory(title_ko="다가오는 교류회", capacity=5)
    RegistrationFactory.create_batch(2, event=upcoming)
    full = EventFactory(title_ko="꽉 찬 행사", capacity=1)
    RegistrationFactory(event=full)
    past_start = timezone.now() - timedelta(days=30)
    EventFactory(title_ko="지난 포럼", starts_at=past_start, ends_at=past_start + timedelta(hours=2), status="finished")
    EventFactory(title_ko="비공개 초안", status=Event.Status.DRAFT)
    html = client.get(reverse("events:list")).content.decode()
    assert "다가오는 교류회" in html and "잔여 3석" in html
    assert "대기 신청 가능" in html
    assert "지난 포럼" in html
    assert "비공개 초안" not in html


def test_list_filters_by_kind_and_month(client):
    concert = EventKindFactory(slug="tech-concert")
    start = timezone.now() + timedelta(days=40)
    EventFactory(kind=concert, title_ko="가을 음악회 강연", starts_at=start)
    EventFactory(title_ko="다른 행사", starts_at=start)
    html = client.get(reverse("events:list"), {"kind": "tech-concert"}).content.decode()
    assert "가을 음악회 강연" in html and "다른 행사" not in html
    local = timezone.localtime(start)
    html = client.get(reverse("events:list"), {"month": f"{local:%Y-%m}"}).content.decode()
    assert "가을 음악회 강연" in html
    other_month = local + timedelta(days=62)
    html = client.get(reverse("events:list"), {"month": f"{other_month:%Y-%m}"}).content.decode()
    assert "가을 음악회 강연" not in html


def test_month_calendar_places_events_on_their_day(client):
    start = timezone.make_aware(timezone.datetime(2027, 3, 3, 15, 0))
    EventFactory(title_ko="3월 CEO비즈포럼", starts_at=start)
    response = client.get(reverse("events:calendar"), {"month": "2027-03"})
    html = response.content.decode()
    assert "2027년 3월" in html
    assert "3월 CEO비즈포럼" in html
    assert "month=2027-02" in html and "month=2027-04" in html
    weeks = response.context["weeks"]
    assert weeks[0][0]["date"].weekday() == 6  # Sunday first
    day = next(d for week in weeks for d in week if d["date"].day == 3 and d["in_month"])
    assert [e.title_ko for e in day["events"]] == ["3월 CEO비즈포럼"]


def test_month_grid_shows_next_months_first_days_but_lists_only_this_month(client):
    # November 2026's grid (Sunday-first) runs to Saturday 5 December.
    EventFactory(title_ko="12월 CEO비즈포럼", starts_at=timezone.make_aware(timezone.datetime(2026, 12, 2, 7, 30)))
    EventFactory(title_ko="12월 둘째 주 행사", starts_at=timezone.make_aware(timezone.datetime(2026, 12, 9, 7, 30)))
    response = client.get(reverse("events:calendar"), {"month": "2026-11"})
    weeks = response.context["weeks"]
    december_2 = next(d for week in weeks for d in week if d["date"].month == 12 and d["date"].day == 2)
    assert not december_2["in_month"]
    assert [e.title_ko for e in december_2["events"]] == ["12월 CEO비즈포럼"]
    assert response.context["events"] == []
    assert "12월 둘째 주 행사" not in response.content.decode()


def test_detail_shows_agenda_speakers_and_ics_link(client):
    from events.models import AgendaItem, Speaker

    event = EventFactory(
        title_ko="2019 마곡 테크콘서트", starts_at=timezone.make_aware(timezone.datetime(2030, 12, 17, 14))
    )
    speaker = Speaker.objects.create(event=event, name_ko="홍춘욱", affiliation_ko="경제학 박사")
    AgendaItem.objects.create(event=event, starts_at="14:00", title_ko="밀레니얼 이코노미", speaker=speaker)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "홍춘욱" in html and "밀레니얼 이코노미" in html
    assert "2030년 12월 17일 (화)" in html
    assert reverse("events:ics", args=[event.pk]) in html


def test_detail_in_english(client):
    event = EventFactory(
        title_ko="한글 제목",
        title_en="English title",
        starts_at=timezone.make_aware(timezone.datetime(2030, 12, 17, 14)),
    )
    client.cookies["magok_language"] = "en"
    html = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "English title" in html
    assert "Tue, 17 December 2030" in html


def test_detail_shows_reason_when_not_allowed(client, other_member):
    event = EventFactory(audience=Audience.EXECUTIVES)
    client.force_login(other_member)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "대표·CEO만 신청할 수 있는 행사입니다" in html


def test_draft_is_404_for_public(client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_register_self_and_colleagues_through_the_form(client, representative):
    event = EventFactory(capacity=2, seat_cap_per_company=5)
    client.force_login(representative)
    url = reverse("events:register", args=[event.pk])
    assert client.get(url).status_code == 200
    data = {
        "include_self": "on",
        "phone": "010-1234-5678",
        "position": "대표이사",
        "consent": "on",
        "colleagues-TOTAL_FORMS": "3",
        "colleagues-INITIAL_FORMS": "0",
        "colleagues-0-name": "김연구",
        "colleagues-0-email": "kim@test.example.kr",
        "colleagues-1-name": "이개발",
        "colleagues-1-email": "lee@test.example.kr",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registered", args=[event.pk])
    statuses = dict(Registration.objects.filter(event=event).values_list("email", "status"))
    assert statuses == {
        "ceo@test.example.kr": "confirmed",
        "kim@test.example.kr": "confirmed",
        "lee@test.example.kr": "waitlisted",
    }
    html = client.get(response["Location"]).content.decode()
    assert "대기 1번" in html


def test_register_without_consent_shows_error(client, member, event):
    client.force_login(member)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"include_self": "on", "colleagues-TOTAL_FORMS": "0", "colleagues-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "개인정보 수집·이용에 동의해야" in response.content.decode()
    assert not Registration.objects.exists()


def test_duplicate_through_the_form_shows_clear_message(client, member, event):
    register(event, member)
    client.force_login(member)
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"include_self": "on", "consent": "on", "colleagues-TOTAL_FORMS": "0", "colleagues-INITIAL_FORMS": "0"},
    )
    assert "이미 신청한 참석자입니다" in response.content.decode()


def test_anonymous_registers_for_public_event(client, public_event):
    url = reverse("events:register", args=[public_event.pk])
    html = client.get(url).content.decode()
    assert "보유·이용 기간" in html
    response = client.post(url, {"name": "구직자", "email": "seeker@visitor.example.kr", "consent": "on"})
    assert response.status_code == 302
    assert "이메일을 확인해 주세요" in client.get(response["Location"]).content.decode()
    registration = Registration.objects.get(email="seeker@visitor.example.kr")
    assert registration.status == Registration.Status.PENDING
    assert registration.user is None and registration.company is None
    link = confirm_link(rendered_emails().get(to="seeker@visitor.example.kr"))
    assert "신청 확정하기" in client.get(link).content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING  # opening the link (a mail scanner) confirms nothing
    response = client.post(link)
    assert "참가 확정" in client.get(response["Location"]).content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert rendered_emails().filter(to="seeker@visitor.example.kr", subject__contains="참가 확정").exists()


def test_my_registrations_lists_upcoming_and_past_with_cancel(client, representative, member, event):
    regs = register(event, representative, attendee(1), attendee(2), attendee(3), attendee(4))
    past_start = timezone.now() - timedelta(days=3)
    past = EventFactory(starts_at=past_start, ends_at=past_start + timedelta(hours=1), status="finished")
    RegistrationFactory(event=past, user=member, company=member.company, attendee_name="지난참석")
    client.force_login(representative)
    response = client.get(reverse("events:my"))
    html = response.content.decode()
    assert "대기 1번" in html
    assert "지난참석" in html  # a representative sees the company's registrations
    assert html.count('class="cancel-link"') == 4
    response = client.post(reverse("events:cancel", args=[regs[0].pk]))
    assert response.status_code == 302
    assert Registration.objects.get(pk=regs[3].pk).status == "confirmed"


def test_ticket_page_shows_qr_for_confirmed(client, member, event):
    [registration] = register(event, member)
    client.force_login(member)
    html = client.get(reverse("events:ticket", args=[registration.pk])).content.decode()
    assert "data:image/png;base64," in html and registration.ticket_code in html
    png = client.get(reverse("events:ticket_qr", args=[registration.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_anonymous_registrations_are_rate_limited_per_recipient(client, settings):
    # A cache of its own: parallel test workers clear the shared Redis cache at any time.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}}
    url = reverse("events:register", args=[EventFactory(capacity=100, audience=Audience.PUBLIC).pk])
    data = {"name": "방문자", "email": "target@visitor.example.kr", "consent": "on"}
    assert client.post(url, data).status_code == 302
    for _ in range(4):  # each one sends the address an e-mail, so each counts
        assert client.post(url, data).status_code == 302
    assert "신청이 너무 많습니다" in client.post(url, data).content.decode()
    other = {**data, "email": "someone-else@visitor.example.kr"}
    assert client.post(url, other).status_code == 302
