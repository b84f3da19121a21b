"""The hiring camp on the meetings engine: interview slots at a company's table, coaching
sessions, schedules, the queue and the calendar files.

Interviews and coaching sessions are ``meetings.Meeting`` rows on the camp event's grid, placed
only through ``meetings.services.meeting_place`` (which takes the grid lock and re-checks that the
table and every side are free), so the database's one-live-seat-per-slot constraints and the
engine's lock keep an interview from overlapping another meeting of the seeker or the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from meetings import services as meeting_services
from meetings.models import Meeting, MeetingGrid, MeetingKind, MeetingSeat, Participant, Slot, Table

from .models import Camp, CampCompany, CoachingTable, JobApplication, Seeker

if TYPE_CHECKING:
    from accounts.models import User

SEOUL = ZoneInfo("Asia/Seoul")

# Refusals of meeting_place that only mean "this (slot, table) went meanwhile": try the next one.
_TAKEN_MEANWHILE = {"slot_taken", "participant_busy", "unavailable"}


def _error(message: str, code: str) -> Exception:
    from .services import HiringError

    return HiringError(message, code)


def camp_grid(camp: Camp) -> MeetingGrid:
    grid = MeetingGrid.objects.filter(event_id=camp.event_id).first()
    if grid is None:
        raise _error(
            _("이 채용캠프에는 아직 면접 시간표(미팅 그리드)가 없습니다. SBA 담당자에게 문의해 주세요."), "no_free_slot"
        )
    return grid


def camp_company_seat(*, participation: CampCompany) -> CampCompany:
    """Make sure the company has its interview table and its participant on the camp's grid
    (created on first use, named after the company)."""
    if participation.table_id and participation.participant_id:
        return participation
    grid = camp_grid(participation.camp)
    company = participation.company
    if participation.table_id is None:
        order = grid.tables.count() + 1
        participation.table, _created = Table.objects.get_or_create(
            grid=grid,
            name=_("면접 테이블 · %(company)s") % {"company": company.name_ko},
            defaults={"company": company, "order": order},
        )
    if participation.participant_id is None:
        participation.participant = Participant.objects.create(
            grid=grid,
            company=company,
            display_name=company.name_ko,
            organization=company.name_ko,
            role=Participant.Role.COMPANY,
            is_visible=False,
        )
    participation.save(update_fields=["table", "participant"])
    return participation


def seeker_participant(seeker: Seeker) -> Participant:
    """The seeker's participant row on the camp's grid (made on first use; never visible to
    other participants)."""
    if seeker.participant_id:
        return seeker.participant  # type: ignore[return-value]
    grid = camp_grid(seeker.camp)
    participant, _created = Participant.objects.get_or_create(
        grid=grid,
        user=seeker.user,
        defaults={
            "display_name": seeker.display_name,
            "email": seeker.user.email,
            "language": seeker.user.language,
            "role": Participant.Role.SEEKER,
            "is_visible": False,
        },
    )
    Seeker.objects.filter(pk=seeker.pk).update(participant=participant)
    seeker.participant = participant
    return participant


def _participant_id(seeker: Seeker) -> int | None:
    """The seeker's participant id as stored (another instance may have just set it)."""
    if seeker.participant_id:
        return seeker.participant_id
    return Seeker.objects.filter(pk=seeker.pk).values_list("participant_id", flat=True).first()


def _first_free(*, grid: MeetingGrid, table: Table, participants: Sequence[Participant]) -> list[Slot]:
    """The grid's slots in time order where the table and every participant look free (read
    without the lock: meeting_place decides under it)."""
    now = timezone.now()
    # On the day (a walk-in), only slots still ahead; before or after it, the whole grid.
    on_the_day = grid.first_start <= now <= grid.last_start
    since = now if on_the_day else grid.first_start
    taken_by_table = Meeting.objects.filter(table=table).exclude(state=Meeting.State.CANCELLED).values("slot_id")
    busy = MeetingSeat.objects.filter(participant__in=participants, is_live=True).values("slot_id")
    return list(
        grid.slots.filter(starts_at__gte=since)
        .exclude(pk__in=taken_by_table)
        .exclude(pk__in=busy)
        .exclude(unavailabilities__table=table)
        .exclude(unavailabilities__participant__in=participants)
        .order_by("starts_at")
    )


def _place_first_free(
    *, grid: MeetingGrid, table: Table, participants: list[Participant], kind: str, demand_key: str, by: object
) -> Meeting:
    for slot in _first_free(grid=grid, table=table, participants=participants):
        try:
            with transaction.atomic():
                return meeting_services.meeting_place(
                    grid=grid,
                    slot=slot,
                    table=table,
                    participants=participants,
                    kind=kind,
                    by=by,  # type: ignore[arg-type]
                    demand_key=demand_key,
                    notify=False,  # the hiring services tell the seeker themselves
                )
        except meeting_services.MeetingError as error:
            if error.code not in _TAKEN_MEANWHILE:
                raise
            # Another placement took this slot after we read it: the lock saw it; try the next.
    raise _error(_("면접관 테이블과 구직자 모두 비어 있는 시간대가 남아 있지 않습니다."), "no_free_slot")


def interview_place(*, application: JobApplication, by: object) -> Meeting:
    """Give a matched application the first free interview slot at its company's table. Keeps
    the application's live meeting if it has one. Precondition: inside a transaction."""
    if application.meeting_id and application.meeting.is_live:  # type: ignore[union-attr]
        return application.meeting  # type: ignore[return-value]
    position = application.position
    participation = CampCompany.objects.select_related("camp", "company").get(
        camp_id=position.camp_id, company_id=position.company_id
    )
    participation = camp_company_seat(participation=participation)
    grid = camp_grid(participation.camp)
    seeker = application.seeker
    meeting = _place_first_free(
        grid=grid,
        table=participation.table,  # type: ignore[arg-type]
        participants=[seeker_participant(seeker), participation.participant],  # type: ignore[list-item]
        kind=MeetingKind.INTERVIEW,
        demand_key=f"hiring:{application.pk}",
        by=by,
    )
    application.meeting = meeting
    application.save(update_fields=["meeting"])
    return meeting


def interview_cancel(*, application: JobApplication, by: object, reason: str = "") -> Meeting | None:
    """Cancel the application's live interview (its slot is free again) and return it; None
    when there was none. Nobody is e-mailed here: the calling service decides what to say."""
    meeting = application.meeting
    cancelled = None
    if meeting is not None and meeting.is_live:
        cancelled = meeting_services.meeting_cancel(
            meeting=meeting,
            by=by,  # type: ignore[arg-type]
            reason=reason or _("지원 취소로 면접 취소"),
            notify=False,
        )
    if application.meeting_id:
        application.meeting = None
        application.save(update_fields=["meeting"])
    return cancelled


# The table's queue states as the engine's meeting states (the engine's "happened" record).
_MEETING_STATE = {
    JobApplication.Queue.DONE: Meeting.State.DONE,
    JobApplication.Queue.NO_SHOW: Meeting.State.NO_SHOW,
}


def interview_mark(*, application: JobApplication, by: object) -> None:
    meeting = application.meeting
    if meeting is None or not meeting.is_live:
        return
    state = _MEETING_STATE.get(application.queue_status, Meeting.State.SCHEDULED)  # type: ignore[call-overload]
    if meeting.state != state:
        meeting_services.meeting_mark(meeting=meeting, state=state, by=by)  # type: ignore[arg-type]


# --- coaching -------------------------------------------------------------------------------


@transaction.atomic
def coaching_table_add(
    *, camp: Camp, coach_name: str, coach_email: str = "", topic: str = "", by: User | None
) -> CoachingTable:
    """Set up a job-readiness coaching table on the camp's grid: the grid's table ("코칭 테이블
    N · topic"), the coach's participant (told by the engine of the sessions booked once the
    grid is published, if an e-mail is given) and the ``CoachingTable``; seekers can book its
    free slots at once. ``by`` None is the system (demo data); a person needs to be hiring staff
    allowed to change camps. The camp row is locked so that two tables added at once get
    different numbers."""
    from .services import is_hiring_staff

    if by is not None and not is_hiring_staff(by, "change_camp"):
        raise _error(_("코칭 테이블은 SBA 담당자만 추가할 수 있습니다."), "forbidden")
    coach_name, coach_email, topic = coach_name.strip(), coach_email.strip(), topic.strip()
    if not coach_name:
        raise _error(_("코치 이름을 입력해 주세요."), "invalid_answer")
    if coach_email:
        try:
            validate_email(coach_email)
        except ValidationError:
            raise _error(_("코치 이메일 주소를 확인해 주세요."), "invalid_answer") from None
    camp = Camp.objects.select_for_update().get(pk=camp.pk)
    grid = camp_grid(camp)
    taken = set(grid.tables.values_list("name", flat=True))
    number = camp.coaching_tables.count() + 1
    while True:
        name = _("코칭 테이블 %(number)d") % {"number": number}
        if topic:
            name = f"{name} · {topic}"[:100]
        if name not in taken:
            break
        number += 1
    last_order = grid.tables.order_by("-order").values_list("order", flat=True).first() or 0
    table = Table.objects.create(grid=grid, name=name, order=last_order + 1)
    coach = Participant.objects.create(
        grid=grid,
        display_name=coach_name[:100],
        email=coach_email,
        role=Participant.Role.COACH,
        is_visible=False,
    )
    return CoachingTable.objects.create(camp=camp, table=table, coach=coach, topic=topic[:200], created_by=by)


@dataclass(frozen=True)
class FreeCoaching:
    slot: Slot
    coaching: CoachingTable


def coaching_free(*, camp: Camp, seeker: Seeker) -> list[FreeCoaching]:
    grid = MeetingGrid.objects.filter(event_id=camp.event_id).first()
    if grid is None:
        return []
    participant_id = _participant_id(seeker)
    participants = list(Participant.objects.filter(pk=participant_id)) if participant_id else []
    free = []
    for coaching in CoachingTable.objects.filter(camp=camp).select_related("table", "coach"):
        for slot in _first_free(grid=grid, table=coaching.table, participants=[*participants, coaching.coach]):
            free.append(FreeCoaching(slot=slot, coaching=coaching))
    return sorted(free, key=lambda f: (f.slot.starts_at, f.coaching.table.order))


def coaching_booked(*, seeker: Seeker) -> Meeting | None:
    if not seeker.participant_id:
        return None
    return (
        Meeting.objects.filter(
            seats__participant_id=seeker.participant_id, kind=MeetingKind.COACHING, seats__is_live=True
        )
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("slot", "table")
        .first()
    )


@transaction.atomic
def coaching_book(*, seeker: Seeker, table_id: int, slot_id: int, by: object) -> Meeting:
    """Book one coaching session for the seeker at (slot, coaching table), through the engine's
    lock. One session per seeker and camp (the demand key says so)."""
    if not seeker.has_consent and not seeker.display_name:
        raise _error(_("구직자 정보가 파기되었습니다."), "camp_closed")
    coaching = (
        CoachingTable.objects.filter(camp_id=seeker.camp_id, table_id=table_id).select_related("table", "coach").first()
    )
    if coaching is None:
        raise _error(_("이 캠프의 코칭 테이블이 아닙니다."), "no_free_slot")
    grid = camp_grid(seeker.camp)
    slot = Slot.objects.filter(grid=grid, pk=slot_id).first()
    if slot is None:
        raise _error(_("시간대를 다시 골라 주세요."), "no_free_slot")
    return meeting_services.meeting_place(
        grid=grid,
        slot=slot,
        table=coaching.table,
        participants=[seeker_participant(seeker), coaching.coach],
        kind=MeetingKind.COACHING,
        by=by,  # type: ignore[arg-type]
        demand_key=f"coaching:{seeker.pk}",
    )


# --- schedules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    meeting: Meeting
    title: str
    application: JobApplication | None = None

    @property
    def slot(self) -> Slot:
        return self.meeting.slot


def _live(queryset: object) -> list[Meeting]:
    return list(
        Meeting.objects.filter(queryset)  # type: ignore[arg-type]
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("slot", "table", "hiring_application__position__company", "hiring_application__seeker")
        .prefetch_related("seats__participant")
        .order_by("slot__starts_at", "table__order")
        .distinct()
    )


def schedule_for_seeker(*, seeker: Seeker) -> list[Entry]:
    participant_id = _participant_id(seeker)
    if not participant_id:
        return []
    entries = []
    for meeting in _live(Q(seats__participant_id=participant_id)):
        application = getattr(meeting, "hiring_application", None)
        if application is not None:
            title = _("면접: %(company)s · %(position)s") % {
                "company": application.position.company.name_ko,
                "position": application.position.title,
            }
        else:
            title = _("취업 코칭: %(table)s") % {"table": meeting.table.name}
        entries.append(Entry(meeting=meeting, title=title, application=application))
    return entries


def schedule_for_company(*, participation: CampCompany) -> list[Entry]:
    if not participation.table_id:
        return []
    entries = []
    for meeting in _live(Q(table_id=participation.table_id)):
        application = getattr(meeting, "hiring_application", None)
        who = str(application.seeker) if application is not None else _("(배정)")
        position = application.position.title if application is not None else ""
        entries.append(Entry(meeting=meeting, title=f"{who} · {position}".strip(" ·"), application=application))
    return entries


def queue_for_company(*, participation: CampCompany) -> list[Entry]:
    """The interviews at the company's table today, in slot order (only ones with an application)."""
    return [e for e in schedule_for_company(participation=participation) if e.application is not None]


def schedule_ics(*, camp: Camp, entries: Sequence[Entry], language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language() or "ko"):
        event = camp.event
        calendar = Calendar()
        calendar.add("prodid", "-//SBA//Magok portal hiring camp//KO")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("%(camp)s 면접 일정") % {"camp": event.title})
        calendar.add("x-wr-timezone", "Asia/Seoul")
        url = f"{settings.SITE_URL}{reverse('hiring:camp_detail', kwargs={'pk': camp.pk})}"
        for entry in entries:
            meeting = entry.meeting
            component = ICalEvent()
            component.add("uid", f"meeting-{meeting.pk}@magok.sba.seoul.kr")
            component.add("dtstamp", timezone.now())
            component.add("last-modified", meeting.updated_at)
            component.add("dtstart", meeting.slot.starts_at.astimezone(SEOUL))
            component.add("dtend", meeting.slot.ends_at.astimezone(SEOUL))
            component.add("summary", entry.title)
            component.add("location", f"{event.venue} · {meeting.table.name}")
            component.add("description", str(event.title))
            component.add("url", url)
            component.add("status", "CONFIRMED")
            calendar.add_component(component)
        calendar.add_missing_timezones()
        return bytes(calendar.to_ical())
