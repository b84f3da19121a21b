"""iCalendar (RFC 5545) for one event and for the feed of all public events."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, Timezone
from icalendar import Event as ICalEvent

from .models import Event

SEOUL = ZoneInfo("Asia/Seoul")


def event_uid(event: Event) -> str:
    """Stable per event, so calendars update the entry instead of adding a second one."""
    return f"event-{event.pk}@magok.sba.seoul.kr"


@cache
def _vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE block of ``tzid``, built once per process: deriving it from the tz database
    takes about 25 ms, and every calendar (the feed, each confirmation e-mail) needs the same one.
    The component is only read (serialised) after this, so sharing it is safe."""
    return Timezone.from_tzid(tzid)


def _component(event: Event) -> ICalEvent:
    component = ICalEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now())
    component.add("last-modified", event.updated_at)
    component.add("dtstart", event.starts_at.astimezone(SEOUL))
    component.add("dtend", event.ends_at.astimezone(SEOUL))
    component.add("summary", event.title)
    location = ", ".join(part for part in (event.venue, event.venue_address) if part)
    component.add("location", location)
    component.add("description", event.description)
    component.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    component.add("categories", [event.kind.name])
    component.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    return component


def _calendar(events: Iterable[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//SBA//Magok portal//KO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Seoul")
    for event in events:
        calendar.add_component(_component(event))
    # A VTIMEZONE for every TZID used (Asia/Seoul), as RFC 5545 requires.
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.add_component(_vtimezone(tzid))
    return calendar.to_ical()


def event_ics(*, event: Event, language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language() or "ko"):
        return _calendar([event], event.title)


def events_feed_ics(*, events: Iterable[Event], language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language() or "ko"):
        return _calendar(events, str(translation.gettext("마곡산업단지 행사")))
