"""Writes of the meeting engine: slots, placing, moving and cancelling meetings, the batch
planner and publishing the schedule.

Every write that decides whether a (slot, table) or a participant's slot is free takes the
grid's row lock first (``_locked_grid``, ``select_for_update`` with a bounded wait), then
checks and writes, in one transaction: two accepts for the same slot queue on the lock and the
second one sees the first one's meeting. The database constraints on ``Meeting`` (table, slot)
and ``MeetingSeat`` (participant, slot) hold the rule even for a writer that forgot the lock
(tests/meetings/test_race.py shows both). E-mails go to the outbox in the same transaction and
are sent after commit, so no I/O happens under the lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from magok.errors import DomainError
from notifications.services import Attachment, email_queue

from . import planner
from .models import (
    Meeting,
    MeetingGrid,
    MeetingKind,
    MeetingSeat,
    Participant,
    Slot,
    Table,
    Unavailability,
    parse_break,
)

if TYPE_CHECKING:
    from accounts.models import User

SEOUL = ZoneInfo("Asia/Seoul")
# PostgreSQL's lock_not_available: the row lock was not granted within lock_timeout.
LOCK_NOT_AVAILABLE = "55P03"

UNPLACED_REASONS = {
    planner.LIMIT: gettext_lazy("한쪽이 이미 최대 미팅 수에 도달했습니다."),
    planner.UNAVAILABLE: gettext_lazy("양쪽이 모두 가능한 시간대가 없습니다."),
    planner.BUSY: gettext_lazy("양쪽이 모두 가능한 시간대마다 한쪽에 이미 다른 미팅이 있습니다."),
    planner.NO_TABLE: gettext_lazy("양쪽이 비어 있는 시간대에 남은 테이블이 없습니다."),
}


class MeetingError(DomainError):
    """A rule of the meeting engine refused a change; ``message`` is shown to the person."""


class MeetingBusy(MeetingError):
    """The grid's lock was not free within ``EVENT_LOCK_TIMEOUT_MS``; nothing was written."""

    retry_after = 3

    def __init__(self) -> None:
        super().__init__(_("지금 일정 변경이 많습니다. 잠시 후 다시 시도해 주세요."), "busy")


def _locked_grid(grid_id: int) -> MeetingGrid:
    """The grid row, locked until the transaction ends. Every placement decision goes through here.

    The wait is bounded like events' ``_locked_event`` (``EVENT_LOCK_TIMEOUT_MS``); past it the
    caller gets MeetingBusy. Precondition: inside ``transaction.atomic``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(settings.EVENT_LOCK_TIMEOUT_MS)}ms"])
    try:
        return MeetingGrid.objects.select_for_update().get(pk=grid_id)
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise MeetingBusy from error
        raise


# --- Slots --------------------------------------------------------------------------------


def grid_slot_times(grid: MeetingGrid) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every slot the grid's definition gives, breaks left out. A slot is
    left out when it overlaps a break (in Seoul time)."""
    length = timedelta(minutes=grid.slot_minutes)
    breaks = [parse_break(text) for text in grid.breaks or []]
    times = []
    start = grid.first_start
    while start <= grid.last_start:
        end = start + length
        local_start = start.astimezone(SEOUL).strftime("%H:%M")
        local_end = end.astimezone(SEOUL).strftime("%H:%M")
        if not any(local_start < b_end and local_end > b_start for b_start, b_end in breaks):
            times.append((start, end))
        start = end
    return times


@transaction.atomic
def grid_slots_generate(*, grid: MeetingGrid, by: User | None) -> list[Slot]:
    """Make the grid's slots match its definition; idempotent. Slots no longer in the
    definition are deleted unless a live meeting uses them (then nothing changes and the error
    names them)."""
    grid = _locked_grid(grid.pk)
    wanted = dict(grid_slot_times(grid))
    existing = {slot.starts_at: slot for slot in grid.slots.all()}
    stale = [slot for start, slot in existing.items() if start not in wanted or wanted[start] != slot.ends_at]
    used = [s for s in stale if s.meetings.exclude(state=Meeting.State.CANCELLED).exists()]
    if used:
        raise MeetingError(
            _("미팅이 배정된 시간대는 지울 수 없습니다: %(slots)s") % {"slots": ", ".join(str(s) for s in used)},
            "slot_in_use",
        )
    for slot in stale:
        # Cancelled meetings and seats only keep history; they go with their slot.
        MeetingSeat.objects.filter(slot=slot).delete()
        slot.meetings.all().delete()
        slot.delete()
        del existing[slot.starts_at]
    Slot.objects.bulk_create(
        [Slot(grid=grid, starts_at=start, ends_at=end) for start, end in wanted.items() if start not in existing]
    )
    return list(grid.slots.order_by("starts_at"))


# --- Placing, moving, cancelling ----------------------------------------------------------


def _check_free(
    *,
    grid: MeetingGrid,
    slot: Slot,
    table: Table,
    participants: Sequence[Participant],
    ignore: Meeting | None = None,
) -> None:
    """Refuse (slot, table) when it is taken or unavailable, or a participant is busy, unavailable
    or at the maximum. Precondition: the caller holds the grid lock."""
    live = Meeting.objects.filter(grid=grid).exclude(state=Meeting.State.CANCELLED)
    if ignore is not None:
        live = live.exclude(pk=ignore.pk)
    if live.filter(slot=slot, table=table).exists():
        raise MeetingError(_("%(table)s은(는) 그 시간에 이미 미팅이 있습니다.") % {"table": table.name}, "slot_taken")
    if Unavailability.objects.filter(table=table, slot=slot).exists():
        raise MeetingError(_("%(table)s은(는) 그 시간에 쓸 수 없습니다.") % {"table": table.name}, "unavailable")
    ids = [p.pk for p in participants]
    seats = MeetingSeat.objects.filter(participant_id__in=ids, is_live=True)
    if ignore is not None:
        seats = seats.exclude(meeting=ignore)
    busy = set(seats.filter(slot=slot).values_list("participant_id", flat=True))
    names = {p.pk: p.display_name for p in participants}
    if busy:
        raise MeetingError(
            _("%(names)s 님은 그 시간에 이미 다른 미팅이 있습니다.")
            % {"names": ", ".join(names[i] for i in sorted(busy))},
            "participant_busy",
        )
    away = set(
        Unavailability.objects.filter(participant_id__in=ids, slot=slot).values_list("participant_id", flat=True)
    )
    if away:
        raise MeetingError(
            _("%(names)s 님은 그 시간에 참석할 수 없습니다.") % {"names": ", ".join(names[i] for i in sorted(away))},
            "unavailable",
        )
    if ignore is None:
        counts = dict(seats.values("participant_id").annotate(n=Count("pk")).values_list("participant_id", "n"))
        full = [i for i in ids if counts.get(i, 0) >= grid.max_meetings_per_participant]
        if full:
            raise MeetingError(
                _("%(names)s 님은 이미 최대 미팅 수(%(max)d)만큼 미팅이 있습니다.")
                % {"names": ", ".join(names[i] for i in full), "max": grid.max_meetings_per_participant},
                "meeting_limit",
            )


def _check_same_grid(*, grid: MeetingGrid, slot: Slot, table: Table, participants: Sequence[Participant]) -> None:
    if slot.grid_id != grid.pk or table.grid_id != grid.pk or any(p.grid_id != grid.pk for p in participants):
        raise MeetingError(_("시간대, 테이블, 참가자가 같은 행사의 것이 아닙니다."), "wrong_grid")
    if not participants or len({p.pk for p in participants}) != len(participants):
        raise MeetingError(_("미팅에는 서로 다른 참가자가 있어야 합니다."), "no_sides")


@transaction.atomic
def meeting_place(
    *,
    grid: MeetingGrid,
    slot: Slot,
    table: Table,
    participants: Sequence[Participant],
    kind: str = MeetingKind.CONSULTATION,
    by: User | None,
    demand_key: str = "",
    note: str = "",
    notify: bool = True,
) -> Meeting:
    """Place one meeting on (slot, table) for ``participants``, under the grid lock. Every side
    is told (``_announce``) unless ``notify`` is False: the caller tells them itself."""
    _check_same_grid(grid=grid, slot=slot, table=table, participants=participants)
    grid = _locked_grid(grid.pk)
    if (
        demand_key
        and Meeting.objects.filter(grid=grid, demand_key=demand_key).exclude(state=Meeting.State.CANCELLED).exists()
    ):
        raise MeetingError(_("이 신청에는 이미 미팅이 배정되어 있습니다."), "demand_placed")
    _check_free(grid=grid, slot=slot, table=table, participants=participants)
    meeting = Meeting.objects.create(
        grid=grid, slot=slot, table=table, kind=kind, demand_key=demand_key, note=note, created_by=by, updated_by=by
    )
    MeetingSeat.objects.bulk_create([MeetingSeat(meeting=meeting, participant=p, slot=slot) for p in participants])
    if notify:
        _announce(grid, meeting, change="placed", by=by)
    return meeting


def _locked_live_meeting(meeting: Meeting) -> tuple[MeetingGrid, Meeting]:
    grid = _locked_grid(meeting.grid_id)
    meeting = Meeting.objects.select_related("slot", "table").get(pk=meeting.pk)
    if not meeting.is_live:
        raise MeetingError(_("취소된 미팅입니다."), "meeting_cancelled")
    return grid, meeting


@transaction.atomic
def meeting_move(*, meeting: Meeting, slot: Slot, table: Table | None = None, by: User | None) -> Meeting:
    """Move a live meeting to another slot (and table); both sides are told (``_announce``)."""
    grid, meeting = _locked_live_meeting(meeting)
    table = table or meeting.table
    participants = list(Participant.objects.filter(seats__meeting=meeting).order_by("pk"))
    _check_same_grid(grid=grid, slot=slot, table=table, participants=participants)
    if slot.pk == meeting.slot_id and table.pk == meeting.table_id:
        return meeting
    _check_free(grid=grid, slot=slot, table=table, participants=participants, ignore=meeting)
    before = {"slot": meeting.slot, "table": meeting.table}
    meeting.slot, meeting.table, meeting.updated_by = slot, table, by
    meeting.save(update_fields=["slot", "table", "updated_by", "updated_at"])
    meeting.seats.update(slot=slot)
    _announce(grid, meeting, change="moved", before=before, by=by)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User | None, reason: str = "", notify: bool = True) -> Meeting:
    """Cancel a live meeting; its slot and table are free again. Both sides are told
    (``_announce``) unless ``notify`` is False: the caller tells them itself."""
    grid, meeting = _locked_live_meeting(meeting)
    meeting.state = Meeting.State.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.updated_by = by
    if reason:
        meeting.note = reason[:300]
    meeting.save(update_fields=["state", "cancelled_at", "updated_by", "note", "updated_at"])
    meeting.seats.update(is_live=False)
    if notify:
        _announce(grid, meeting, change="cancelled", by=by)
    return meeting


@transaction.atomic
def meeting_mark(*, meeting: Meeting, state: str, by: User | None) -> Meeting:
    """Record on the day that a meeting took place (DONE) or a side did not come (NO_SHOW), or
    put it back to SCHEDULED. Cancelling goes through ``meeting_cancel``."""
    if state not in (Meeting.State.SCHEDULED, Meeting.State.DONE, Meeting.State.NO_SHOW):
        raise MeetingError(_("이 상태로는 바꿀 수 없습니다."), "illegal_transition")
    _grid, meeting = _locked_live_meeting(meeting)
    meeting.state, meeting.updated_by = state, by
    meeting.save(update_fields=["state", "updated_by", "updated_at"])
    return meeting


# --- The batch planner --------------------------------------------------------------------


@dataclass
class PlanReport:
    """What ``schedule_plan`` did: meetings placed now, demands kept with their meeting, and
    the demands it could not place, with the reason code and message."""

    placed: list[Meeting] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)  # (key, code, message)
    released: int = 0  # meetings cancelled for a re-plan

    def summary(self) -> str:
        return _("새로 배정 %(placed)d건, 유지 %(kept)d건, 배정 못 함 %(unplaced)d건") % {
            "placed": len(self.placed),
            "kept": len(self.kept),
            "unplaced": len(self.unplaced),
        }


@dataclass(frozen=True)
class DemandSpec:
    """A meeting wanted on a grid: ``key`` (stable, e.g. "request:12"), the participants, the kind,
    optionally the one table it must use and the only slots it may use."""

    key: str
    participant_ids: tuple[int, ...]
    kind: str = MeetingKind.CONSULTATION
    table_id: int | None = None
    slot_ids: frozenset[int] | None = None


@transaction.atomic
def schedule_plan(
    *, grid: MeetingGrid, demands: Sequence[DemandSpec], replan: bool = False, by: User | None
) -> PlanReport:
    """Place as many ``demands`` as possible on the grid, under the grid lock; idempotent.

    A demand that has a live meeting (same ``demand_key``) keeps it; with ``replan`` those
    meetings are cancelled first and placed again (meetings placed by hand without a key, and
    meetings of keys not among ``demands``, always stay and block their slots). Each side's
    unavailable slots, taken and unavailable tables and the per-participant maximum are
    respected (``meetings.planner``). Nobody is e-mailed here: ``schedule_publish`` does that.
    """
    grid = _locked_grid(grid.pk)
    report = PlanReport()
    keys = {d.key for d in demands}
    live = Meeting.objects.filter(grid=grid).exclude(state=Meeting.State.CANCELLED)
    if replan:
        to_release = live.filter(demand_key__in=keys)
        now = timezone.now()
        MeetingSeat.objects.filter(meeting__in=to_release).update(is_live=False)
        report.released = to_release.update(state=Meeting.State.CANCELLED, cancelled_at=now, updated_by=by)
    placed_keys = set(live.filter(demand_key__in=keys).values_list("demand_key", flat=True))
    report.kept = sorted(placed_keys)

    slots = list(grid.slots.order_by("starts_at").values_list("pk", flat=True))
    tables = list(grid.tables.order_by("order", "pk").values_list("pk", flat=True))
    occupancy = planner.Occupancy(
        participant_busy=set(
            MeetingSeat.objects.filter(meeting__grid=grid, is_live=True).values_list("participant_id", "slot_id")
        ),
        participant_unavailable=set(
            Unavailability.objects.filter(participant__grid=grid).values_list("participant_id", "slot_id")
        ),
        table_taken=set(live.values_list("table_id", "slot_id")),
        table_unavailable=set(Unavailability.objects.filter(table__grid=grid).values_list("table_id", "slot_id")),
        meeting_counts=dict(
            MeetingSeat.objects.filter(meeting__grid=grid, is_live=True)
            .values("participant_id")
            .annotate(n=Count("pk"))
            .values_list("participant_id", "n")
        ),
    )
    specs = {d.key: d for d in demands if d.key not in placed_keys}
    result = planner.plan(
        slots=slots,
        tables=tables,
        demands=[
            planner.Demand(key=d.key, participants=d.participant_ids, table=d.table_id, slots=d.slot_ids)
            for d in specs.values()
        ],
        occupancy=occupancy,
        max_per_participant=grid.max_meetings_per_participant,
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                grid=grid,
                slot_id=p.slot,
                table_id=p.table,
                kind=specs[p.key].kind,
                demand_key=p.key,
                created_by=by,
                updated_by=by,
            )
            for p in result.placed
        ]
    )
    MeetingSeat.objects.bulk_create(
        [
            MeetingSeat(meeting=meeting, participant_id=pid, slot_id=meeting.slot_id)
            for meeting in meetings
            for pid in specs[meeting.demand_key].participant_ids
        ]
    )
    report.placed = meetings
    messages = {code: str(message) for code, message in UNPLACED_REASONS.items()}
    report.unplaced = [(key, code, messages[code]) for key, code in result.unplaced]
    return report


# --- Publishing, reminders, notices ------------------------------------------------------


def _schedule_digest(meetings: Sequence[Meeting]) -> str:
    text = ";".join(f"{m.pk}:{m.slot_id}:{m.table_id}:{m.state}" for m in meetings)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _schedule_email(participant: Participant, *, template: str, dedupe_key: str, context: dict | None = None) -> bool:
    from .ics import participant_schedule_ics
    from .selectors import participant_meetings

    if not participant.email:
        return False
    meetings = participant_meetings(participant=participant)
    ics = participant_schedule_ics(participant=participant, meetings=meetings, language=participant.language)
    queued = email_queue(
        to=participant.email,
        template=f"meetings/emails/{template}",
        context={"participant": participant, "grid": participant.grid, "meetings": meetings, **(context or {})},
        language=participant.language,
        attachments=(Attachment("meetings.ics", ics, "text/calendar"),),
        dedupe_key=dedupe_key,
    )
    return queued is not None


@transaction.atomic
def schedule_publish(*, grid: MeetingGrid, by: User | None) -> int:
    """Mark the schedule published and e-mail every participant who has meetings their personal
    schedule (with an .ics). Safe to run again: a participant whose schedule did not change
    since the last e-mail gets nothing (the outbox's dedupe key carries a digest of it).
    Returns the number of e-mails queued."""
    from .selectors import participant_meetings

    grid = _locked_grid(grid.pk)
    if grid.published_at is None:
        grid.published_at = timezone.now()
        grid.save(update_fields=["published_at", "updated_at"])
    queued = 0
    participants = Participant.objects.filter(grid=grid, seats__is_live=True).distinct().select_related("grid__event")
    for participant in participants:
        digest = _schedule_digest(participant_meetings(participant=participant))
        if _schedule_email(
            participant,
            template="schedule_published",
            dedupe_key=f"meetings:schedule:{participant.pk}:{digest}",
            context={"published_by": by},
        ):
            queued += 1
    return queued


# Apps that build on the engine and tell their own people about their meetings register here,
# by the prefix of the demand keys they place (the hiring camp: "hiring:<application>"). A
# handler returns True when it took care of the notice (an e-mail of its own, or a decision
# that none is due); the engine then sends nothing, so nobody gets two e-mails for one change.
NoticeHandler = Callable[..., bool]
_NOTICE_HANDLERS: dict[str, NoticeHandler] = {}


def meeting_notice_handler(prefix: str) -> Callable[[NoticeHandler], NoticeHandler]:
    """Register ``handler(*, meeting, change, before, by) -> bool`` for the meetings whose
    demand key starts with ``<prefix>:``. ``change`` is "placed", "moved" or "cancelled";
    ``before`` ({"slot", "table"}) is given for a move. Called under the grid lock, whether or
    not the schedule is published: it may only queue e-mails (deferred), no other I/O."""

    def register(handler: NoticeHandler) -> NoticeHandler:
        if _NOTICE_HANDLERS.get(prefix, handler) is not handler:
            raise ValueError(f"meeting notices for {prefix!r} are handled twice")
        _NOTICE_HANDLERS[prefix] = handler
        return handler

    return register


def _announce(
    grid: MeetingGrid, meeting: Meeting, *, change: str, before: dict | None = None, by: User | None = None
) -> None:
    """Tell the sides of a placed, moved or cancelled meeting: the app that owns the meeting's
    demand key if it registered a handler, else the engine's own e-mail once the schedule is
    published (before that, nobody has been told of any meeting)."""
    prefix, separator, _rest = meeting.demand_key.partition(":")
    handler = _NOTICE_HANDLERS.get(prefix) if separator else None
    if handler is not None and handler(meeting=meeting, change=change, before=before, by=by):
        return
    if grid.published_at:
        _notify_sides(meeting, template=f"meeting_{change}", before=before)


def _notify_sides(meeting: Meeting, *, template: str, before: dict | None = None) -> None:
    """Tell every side of ``meeting`` (placed, moved, cancelled), with their new schedule."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    for seat in meeting.seats.select_related("participant__grid__event"):
        others = [s.participant for s in meeting.seats.select_related("participant") if s.pk != seat.pk]
        _schedule_email(
            seat.participant,
            template=template,
            dedupe_key=f"meetings:{template}:{meeting.pk}:{seat.participant_id}:{stamp}",
            context={"meeting": meeting, "others": others, "before": before},
        )


def reminders_queue_due(*, now: datetime | None = None) -> int:
    """Queue the day-before reminder for every participant with live meetings on a published
    grid whose first slot starts within 24 hours. Safe to run twice (dedupe key per
    participant and day). Returns the number queued."""
    now = now or timezone.now()
    grids = MeetingGrid.objects.filter(
        published_at__isnull=False, first_start__gt=now, first_start__lte=now + timedelta(hours=24)
    )
    queued = 0
    for grid in grids:
        day = grid.first_start.astimezone(SEOUL).date().isoformat()
        participants = (
            Participant.objects.filter(grid=grid)
            .filter(Q(seats__is_live=True))
            .distinct()
            .select_related("grid__event")
        )
        for participant in participants:
            with transaction.atomic():
                if _schedule_email(
                    participant, template="schedule_reminder", dedupe_key=f"meetings:reminder:{participant.pk}:{day}"
                ):
                    queued += 1
    return queued
