from __future__ import annotations

import json

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.models import Audience, Event
from events.services import registration_check_in
from tests.factories import EventFactory, StaffFactory, UserFactory

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def test_event_ics_parses_with_seoul_timezone(client):
    event = EventFactory(title_ko="M-밸리포럼", venue_ko="롯데호텔", venue_address="서울 강서구 마곡동")
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.pk}@magok.sba.seoul.kr"
    assert str(vevent["SUMMARY"]) == "M-밸리포럼"
    assert "롯데호텔" in str(vevent["LOCATION"])
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert str(vevent.decoded("DTSTART").tzinfo) == "Asia/Seoul"
    assert vevent["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert "DTSTAMP" in vevent and str(vevent["URL"]).endswith(event.get_absolute_url())
    [timezone_component] = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Asia/Seoul"


def test_cancelled_event_ics_has_status_cancelled(client):
    event = EventFactory(status=Event.Status.CANCELLED)
    [vevent] = parse(client.get(reverse("events:ics", args=[event.pk])).content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_feed_has_public_events_only(client):
    public = EventFactory(audience=Audience.PUBLIC, title_ko="공개 콘서트")
    EventFactory(audience=Audience.TENANTS, title_ko="입주기업 전용")
    EventFactory(audience=Audience.PUBLIC, status=Event.Status.DRAFT, title_ko="초안")
    calendar = parse(client.get(reverse("events:feed")).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["공개 콘서트"]
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"event-{public.pk}@magok.sba.seoul.kr"]
    assert calendar.walk("VTIMEZONE")


def test_check_in_is_idempotent(event, member):
    staff = StaffFactory()
    [registration] = register(event, member)
    first = registration_check_in(by=staff, event=event, ticket_code=registration.ticket_code)
    assert first.status == "checked_in"
    second = registration_check_in(by=staff, event=event, ticket_code=registration.ticket_code)
    assert second.status == "already_checked_in"
    assert second.registration.checked_in_at == first.registration.checked_in_at


def test_check_in_refuses_other_events_and_waitlisted(event, representative):
    staff = StaffFactory()
    regs = register(event, representative, *(attendee(i) for i in range(4)))
    assert registration_check_in(by=staff, event=EventFactory(), ticket_code=regs[0].ticket_code).status == "not_found"
    assert registration_check_in(by=staff, event=event, ticket_code=regs[3].ticket_code).status == "not_confirmed"
    assert registration_check_in(by=staff, event=event, ticket_code="nope").status == "not_found"


def test_check_in_accepts_a_url_in_the_qr_code(event, member):
    [registration] = register(event, member)
    result = registration_check_in(
        by=StaffFactory(), event=event, ticket_code=f"https://magok.example.kr/t/{registration.ticket_code}"
    )
    assert result.status == "checked_in"


def test_check_in_json_endpoint_and_counts(client, event, member):
    [registration] = register(event, member)
    client.force_login(StaffFactory())
    url = reverse("events:check_in_scan", args=[event.pk])
    data = client.post(url, json.dumps({"code": registration.ticket_code}), content_type="application/json").json()
    assert data["status"] == "checked_in" and data["name"] == registration.attendee_name
    assert data["counts"] == {"confirmed": 1, "checked_in": 1, "waitlisted": 0}
    data = client.post(url, json.dumps({"code": registration.ticket_code}), content_type="application/json").json()
    assert data["status"] == "already_checked_in" and data["checked_in_at"]
    assert client.get(reverse("events:check_in_counts", args=[event.pk])).json()["checked_in"] == 1


def test_check_in_page_search_and_one_tap_without_js(client, event, member):
    [registration] = register(event, member)
    client.force_login(StaffFactory())
    url = reverse("events:check_in", args=[event.pk])
    html = client.get(url, {"q": registration.attendee_name}).content.decode()
    assert registration.attendee_name in html and "check-in-button" in html
    html = client.post(url, {"registration": registration.pk, "q": registration.attendee_name}).content.decode()
    assert "입장 확인 완료" in html
    assert "checked-in-badge" in html
    html = client.post(url, {"registration": registration.pk}).content.decode()
    assert "이미 입장 확인됨" in html


def test_check_in_needs_the_right_to_change_registrations(client, event):
    # is_staff alone (e.g. a staff account for another team) does not open the door page.
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("events:check_in", kwargs={"pk": event.pk})).status_code == 403
    assert client.get(reverse("events:check_in_counts", kwargs={"pk": event.pk})).status_code == 403
    assert client.get(reverse("admin:events_event_attendance", kwargs={"pk": event.pk})).status_code == 403


@pytest.mark.parametrize("body", ["[1]", '{"registration": "abc"}', '"text"', "{}"])
def test_malformed_scan_answers_not_found_instead_of_a_server_error(client, event, body):
    client.force_login(StaffFactory())
    response = client.post(
        reverse("events:check_in_scan", kwargs={"pk": event.pk}), body, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "not_found"
