"""Reads of the meeting engine and the consultations, shared by pages, the API and the admin."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Meeting, MeetingGrid, MeetingSeat, Participant


def _live_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.exclude(state=Meeting.State.CANCELLED)
        .select_related("slot", "table", "grid__event")
        .prefetch_related(Prefetch("seats", queryset=MeetingSeat.objects.select_related("participant").order_by("pk")))
        .order_by("slot__starts_at", "table__order", "pk")
    )


def participant_meetings(*, participant: Participant) -> list[Meeting]:
    """The participant's live meetings in time order, each with its slot, table and seats."""
    return list(_live_meetings().filter(seats__participant=participant))


def grid_meetings(*, grid: MeetingGrid) -> list[Meeting]:
    """Every live meeting of the grid in time order (the staff overview and the table queues)."""
    return list(_live_meetings().filter(grid=grid))


def table_meetings(*, table_id: int) -> list[Meeting]:
    """The live meetings at one table in time order (a company's interview queue)."""
    return list(_live_meetings().filter(table_id=table_id))


def participant_for_user(*, grid: MeetingGrid, user: Any) -> Participant | None:
    """The user's own participant row on ``grid``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(grid=grid, user=user).select_related("grid__event", "company").first()
