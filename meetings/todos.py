"""The consultations' item on the staff home (``backoffice.todos``): accepted requests that wait
for the staff's batch plan. Imported from ``MeetingsConfig.ready``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from backoffice.todos import Todo, changelist, todo_provider

from .selectors import requests_awaiting_placement


@todo_provider(order=55)
def consultations_to_place(user: Any, now: datetime) -> list[Todo]:
    if not user.has_perm("meetings.plan_schedule"):
        return []
    count = requests_awaiting_placement(now=now).count()
    url = changelist("meetings.meetingrequest", awaiting="1")
    return [Todo("meeting_requests_to_place", _("일정 배정 대기 상담"), count, url)]
