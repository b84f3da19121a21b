"""iCalendar (RFC 5545) for one event and for the feed of all public events."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, Timezone
from icalendar import Event as ICalEvent

from .models import Event, Registration

SEOUL = ZoneInfo("Asia/Seoul")


def event_uid(event: Event) -> str:
    """Stable per event, so calendars update the entry instead of adding a second one."""
    return f"event-{event.pk}@magok.sba.seoul.kr"


def _component(event: Event, registration: Registration | None = None) -> ICalEvent:
    component = ICalEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now())
    component.add("last-modified", event.updated_at)
    component.add("dtstart", event.starts_at.astimezone(SEOUL))
    component.add("dtend", event.ends_at.astimezone(SEOUL))
    if registration is None:
        component.add("summary", event.title)
    else:  # the person's own registration, in their private feed
        component.add("summary", f"{event.title} ({registration.get_status_display()})")
    location = ", ".join(part for part in (event.venue, event.venue_address) if part)
    component.add("location", location)
    component.add("description", event.description)
    component.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    component.add("categories", [event.kind.name])
    component.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    return component


@cache
def seoul_vtimezone() -> Timezone:
    """The Asia/Seoul VTIMEZONE block that RFC 5545 requires for the TZID of every start and
    end. Building it walks the zone's history (about 25 ms), so it is built once per process
    and shared: it is only read when a calendar is written."""
    return Timezone.from_tzid("Asia/Seoul")


def _calendar(events: Iterable[Event], name: str, registrations: Mapping[int, Registration] | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//SBA//Magok portal//KO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Seoul")
    # Every DTSTART/DTEND is in Seoul time (TZID=Asia/Seoul); the other times are UTC.
    calendar.add_component(seoul_vtimezone())
    for event in events:
        calendar.add_component(_component(event, (registrations or {}).get(event.pk)))
    return calendar.to_ical()


# Each ticket e-mail carries its event's calendar file; a reminder fan-out sends thousands for
# the same few events. The worker keeps each file for a short while, keyed by what it shows.
_EVENT_ICS_SECONDS = 60.0
_event_ics_cache: dict[tuple[object, ...], tuple[float, bytes]] = {}


def event_ics(*, event: Event, language: str | None = None) -> bytes:
    language = language or translation.get_language() or "ko"
    key = (event.pk, event.updated_at, event.status, event.kind_id, language, settings.SITE_URL)
    now = time.monotonic()
    cached = _event_ics_cache.get(key)
    if cached is not None and now - cached[0] < _EVENT_ICS_SECONDS:
        return cached[1]
    with translation.override(language):
        content = _calendar([event], event.title)
    if len(_event_ics_cache) >= 256:
        _event_ics_cache.clear()
    _event_ics_cache[key] = (now, content)
    return content


def events_feed_ics(*, events: Iterable[Event], language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language() or "ko"):
        return _calendar(events, str(translation.gettext("마곡산업단지 행사")))


def personal_feed_ics(
    *, events: Iterable[Event], registrations: Mapping[int, Registration], language: str | None = None
) -> bytes:
    """A user's private feed: ``events`` with their own registrations marked in the title."""
    with translation.override(language or translation.get_language() or "ko"):
        return _calendar(events, str(translation.gettext("마곡 포털 내 행사 달력")), registrations)
