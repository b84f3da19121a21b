"""iCalendar (RFC 5545) for a participant's personal meeting schedule."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import Meeting, Participant

SEOUL = ZoneInfo("Asia/Seoul")


def meeting_uid(meeting: Meeting) -> str:
    """Stable per meeting, so a moved meeting updates the calendar entry instead of adding one."""
    return f"meeting-{meeting.pk}@magok.sba.seoul.kr"


def participant_schedule_ics(
    *, participant: Participant, meetings: Sequence[Meeting], language: str | None = None
) -> bytes:
    with translation.override(language or translation.get_language() or "ko"):
        event = participant.grid.event
        calendar = Calendar()
        calendar.add("prodid", "-//SBA//Magok portal meetings//KO")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("%(event)s 미팅 일정") % {"event": event.title})
        calendar.add("x-wr-timezone", "Asia/Seoul")
        url = f"{settings.SITE_URL}{reverse('meetings:schedule', kwargs={'grid_id': participant.grid_id})}"
        for meeting in meetings:
            others = ", ".join(str(s.participant) for s in meeting.seats.all() if s.participant_id != participant.pk)
            component = ICalEvent()
            component.add("uid", meeting_uid(meeting))
            component.add("dtstamp", timezone.now())
            component.add("last-modified", meeting.updated_at)
            component.add("dtstart", meeting.slot.starts_at.astimezone(SEOUL))
            component.add("dtend", meeting.slot.ends_at.astimezone(SEOUL))
            component.add("summary", _("%(kind)s: %(others)s") % {"kind": meeting.get_kind_display(), "others": others})
            component.add("location", f"{event.venue} · {meeting.table.name}")
            component.add("description", event.title)
            component.add("url", url)
            component.add("status", "CANCELLED" if meeting.state == Meeting.State.CANCELLED else "CONFIRMED")
            calendar.add_component(component)
        calendar.add_missing_timezones()
        return calendar.to_ical()
