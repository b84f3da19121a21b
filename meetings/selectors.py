"""Reads of the meeting engine and the consultations, shared by pages, the API and the admin."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat

from .models import (
    ConsultationOutcome,
    Meeting,
    MeetingGrid,
    MeetingKind,
    MeetingRequest,
    MeetingSeat,
    Participant,
    Slot,
    Table,
    Unavailability,
)


def _live_meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.exclude(state=Meeting.State.CANCELLED)
        .select_related("slot", "table", "grid__event")
        .prefetch_related(Prefetch("seats", queryset=MeetingSeat.objects.select_related("participant").order_by("pk")))
        .order_by("slot__starts_at", "table__order", "pk")
    )


def requests_awaiting_placement(*, now: datetime) -> QuerySet[MeetingRequest]:
    """Accepted consultation requests that no free common slot took at once and that wait for
    the staff's batch plan (no live meeting with their ``demand_key``), on grids whose event has
    not ended. The staff home counts them and the request admin's filter shows them."""
    placed = Meeting.objects.filter(grid=OuterRef("grid"), demand_key=OuterRef("key")).exclude(
        state=Meeting.State.CANCELLED
    )
    return (
        MeetingRequest.objects.filter(state=MeetingRequest.State.ACCEPTED, grid__event__ends_at__gt=now)
        .annotate(key=Concat(Value("request:"), Cast("pk", CharField()), output_field=CharField()))
        .filter(~Exists(placed))
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


@dataclass(frozen=True)
class BoardRow:
    slot: Slot
    cells: list[Meeting | None]  # one per table of the board, in its order


@dataclass(frozen=True)
class Board:
    tables: list[Table]
    rows: list[BoardRow]
    meeting_count: int


def grid_board(*, grid: MeetingGrid) -> Board:
    """The staff's board of the day: every slot × every table with its live meeting (sides
    prefetched). Four queries however many meetings."""
    tables = list(grid.tables.order_by("order", "pk"))
    meetings = grid_meetings(grid=grid)
    at = {(meeting.slot_id, meeting.table_id): meeting for meeting in meetings}
    rows = [
        BoardRow(slot=slot, cells=[at.get((slot.pk, table.pk)) for table in tables])
        for slot in grid.slots.order_by("starts_at", "pk")
    ]
    return Board(tables=tables, rows=rows, meeting_count=len(meetings))


def meeting_move_options(*, meeting: Meeting) -> list[tuple[Slot, Table]]:
    """Where a live meeting could move: the (slot, table) pairs of its grid where the table holds
    no other live meeting and is not unavailable, and no side has another live meeting or is
    unavailable; its own place left out. A meeting at a company's table (an interview) moves only
    among that company's tables, one at a shared table only among shared ones. Read without the
    grid lock: ``meeting_move`` checks the chosen pair again under it."""
    grid_id = meeting.grid_id
    company_id = meeting.table.company_id
    side_ids = list(meeting.seats.values_list("participant_id", flat=True))
    slots = list(Slot.objects.filter(grid_id=grid_id).order_by("starts_at", "pk"))
    tables = list(
        Table.objects.filter(grid_id=grid_id)
        .filter(Q(company_id=company_id) if company_id is not None else Q(company__isnull=True))
        .order_by("order", "pk")
    )
    table_taken = set(
        Meeting.objects.filter(grid_id=grid_id)
        .exclude(state=Meeting.State.CANCELLED)
        .exclude(pk=meeting.pk)
        .values_list("table_id", "slot_id")
    )
    side_busy = set(
        MeetingSeat.objects.filter(participant_id__in=side_ids, is_live=True)
        .exclude(meeting=meeting)
        .values_list("slot_id", flat=True)
    )
    for table_id, participant_id, slot_id in Unavailability.objects.filter(
        Q(table__grid_id=grid_id) | Q(participant_id__in=side_ids)
    ).values_list("table_id", "participant_id", "slot_id"):
        if participant_id is not None:
            side_busy.add(slot_id)
        else:
            table_taken.add((table_id, slot_id))
    return [
        (slot, table)
        for slot in slots
        if slot.pk not in side_busy
        for table in tables
        if (table.pk, slot.pk) not in table_taken and (slot.pk, table.pk) != (meeting.slot_id, meeting.table_id)
    ]


def participant_for_user(*, grid: MeetingGrid, user: Any) -> Participant | None:
    """The user's own participant row on ``grid``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(grid=grid, user=user).select_related("grid__event", "company").first()


# --- Business consultations ----------------------------------------------------------------


def consultation_grid_open_for(*, email: str, now: datetime) -> MeetingGrid | None:
    """The consultation session, taking requests at ``now``, of an event for which ``email`` has a
    confirmed registration (the soonest when several): where a new account of that address is
    sent to make its profile."""
    from events.models import Registration

    confirmed = Registration.objects.filter(
        event=OuterRef("event"),
        email=email.strip().lower(),
        status=Registration.Status.CONFIRMED,
        erased_at__isnull=True,
    )
    return (
        MeetingGrid.objects.filter(kind=MeetingKind.CONSULTATION, is_open=True)
        .filter(Q(request_deadline__isnull=True) | Q(request_deadline__gt=now))
        .filter(Exists(confirmed))
        .select_related("event")
        .order_by("first_start", "pk")
        .first()
    )


def participants_browse(*, grid: MeetingGrid, viewer: Participant | None, query: str = "") -> list[Participant]:
    """The visible participants of ``grid`` other than ``viewer``, matching ``query`` the way the
    company directory does (``companies.selectors.company_search``: any part of the Korean or
    English name or keywords, near spellings) for participants from a company, and by name,
    organisation and keywords for everyone else (hospitals, universities)."""
    from companies.selectors import company_search

    rows = (
        Participant.objects.filter(grid=grid, is_visible=True)
        .select_related("company")
        .prefetch_related("offers_sectors", "seeks_sectors")
        .order_by("display_name", "pk")
    )
    if viewer is not None:
        rows = rows.exclude(pk=viewer.pk)
    query = " ".join((query or "").split())
    if query:
        companies = company_search(query=query).values("pk")
        rows = rows.filter(
            Q(company__in=companies)
            | Q(display_name__icontains=query)
            | Q(organization__icontains=query)
            | Q(offers_keywords__icontains=query)
            | Q(seeks_keywords__icontains=query)
        )
    return list(rows)


def _matches(need: str, offer: str) -> bool:
    """A need and an offer match when one contains the other (casefolded, spaces ignored) or they
    share a word of two or more characters: "로봇 액추에이터" and "로봇" do."""
    a, b = need.casefold(), offer.casefold()
    if a.replace(" ", "") in b.replace(" ", "") or b.replace(" ", "") in a.replace(" ", ""):
        return True
    return bool({w for w in a.split() if len(w) >= 2} & {w for w in b.split() if len(w) >= 2})


@dataclass(frozen=True)
class Suggestion:
    participant: Participant
    reasons: tuple[str, ...]  # "로봇 액추에이터 ↔ 로봇": (one side's need or offer) ↔ (the other's)

    @property
    def score(self) -> int:
        return len(self.reasons)


def consultation_suggestions(*, viewer: Participant, limit: int = 6) -> list[Suggestion]:
    """Likely partners for ``viewer``: visible participants whose offers meet the viewer's needs,
    or whose needs meet the viewer's offers (keywords and sectors), best overlap first; each with
    why. Participants already asked (either way, live request) are left out."""
    asked = set(
        MeetingRequest.objects.filter(Q(sender=viewer) | Q(recipient=viewer))
        .filter(state__in=[MeetingRequest.State.PENDING, MeetingRequest.State.ACCEPTED])
        .values_list("sender_id", "recipient_id")
    )
    asked_ids = {pid for pair in asked for pid in pair}
    my_seeks, my_offers = viewer.seeks_list, viewer.offers_list
    my_seek_sectors = {s.pk: s for s in viewer.seeks_sectors.all()}
    my_offer_sectors = {s.pk: s for s in viewer.offers_sectors.all()}
    suggestions = []
    for other in participants_browse(grid=viewer.grid, viewer=viewer):
        if other.pk in asked_ids:
            continue
        reasons: list[str] = []
        for need in my_seeks:
            reasons += [f"{need} ↔ {offer}" for offer in other.offers_list if _matches(need, offer)]
        for offer in my_offers:
            reasons += [f"{offer} ↔ {need}" for need in other.seeks_list if _matches(need, offer)]
        reasons += [f"{s.name} ↔ {s.name}" for s in other.offers_sectors.all() if s.pk in my_seek_sectors]
        reasons += [f"{s.name} ↔ {s.name}" for s in other.seeks_sectors.all() if s.pk in my_offer_sectors]
        if reasons:
            suggestions.append(Suggestion(participant=other, reasons=tuple(dict.fromkeys(reasons))))
    suggestions.sort(key=lambda s: (-s.score, s.participant.display_name, s.participant.pk))
    return suggestions[:limit]


def requests_of(*, participant: Participant) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """(received, sent) requests of a participant, newest first, with both sides and outcomes."""
    rows = (
        MeetingRequest.objects.select_related("sender", "recipient", "grid__event")
        .prefetch_related("outcomes")
        .order_by("-created_at", "-pk")
    )
    return list(rows.filter(recipient=participant)), list(rows.filter(sender=participant))


def request_own_queryset(*, user: Any) -> QuerySet[MeetingRequest]:
    """Requests in which the user is a side; anyone else's are not found (404)."""
    return MeetingRequest.objects.filter(Q(sender__user=user) | Q(recipient__user=user)).select_related(
        "sender", "recipient", "grid__event"
    )


def consultation_conversion(*, grid: MeetingGrid) -> dict[str, Any]:
    """The funnel of one event's consultations, for the admin: participants, requests, accepted,
    meetings placed, then the best outcome recorded per request."""
    requests = MeetingRequest.objects.filter(grid=grid)
    counts = requests.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(state=MeetingRequest.State.ACCEPTED)),
        declined=Count("pk", filter=Q(state=MeetingRequest.State.DECLINED)),
        pending=Count("pk", filter=Q(state=MeetingRequest.State.PENDING)),
    )
    rank = {value: i for i, value in enumerate(ConsultationOutcome.Result.values)}
    best: dict[int, str] = {}
    for request_id, result in ConsultationOutcome.objects.filter(request__grid=grid).values_list(
        "request_id", "result"
    ):
        if request_id not in best or rank[result] > rank[best[request_id]]:
            best[request_id] = result
    by_result = {value: 0 for value in ConsultationOutcome.Result.values}
    for result in best.values():
        by_result[result] += 1
    meetings = Meeting.objects.filter(grid=grid, demand_key__startswith="request:").exclude(
        state=Meeting.State.CANCELLED
    )
    accepted = counts["accepted"] or 0
    return {
        "participants": Participant.objects.filter(grid=grid).count(),
        **counts,
        "meetings": meetings.count(),
        "with_outcome": len(best),
        "by_result": [(label, by_result[value]) for value, label in ConsultationOutcome.Result.choices],
        "mous_signed": by_result[ConsultationOutcome.Result.MOU_SIGNED],
        "acceptance_rate": round(100 * accepted / counts["total"]) if counts["total"] else None,
        "mou_rate": round(100 * by_result[ConsultationOutcome.Result.MOU_SIGNED] / accepted) if accepted else None,
    }


def consultation_mou_counts(*, year: int | None = None) -> dict[tuple[int, int], int]:
    """Signed MOUs from consultations per (company id, year of signing). One MOU is one request:
    counted once for each company among its two sides, however many sides recorded it (the
    earliest recorded date gives the year). Sum it with programs' ``Outcome.mous_signed``: a
    consultation MOU is never entered there (see meetings/README.md)."""
    signed: dict[int, date] = {}
    for request_id, occurred_on in ConsultationOutcome.objects.filter(
        result=ConsultationOutcome.Result.MOU_SIGNED
    ).values_list("request_id", "occurred_on"):
        if occurred_on and (request_id not in signed or occurred_on < signed[request_id]):
            signed[request_id] = occurred_on
    counts: dict[tuple[int, int], int] = defaultdict(int)
    sides = MeetingRequest.objects.filter(pk__in=signed).values_list(
        "pk", "sender__company_id", "recipient__company_id"
    )
    for request_id, sender_company, recipient_company in sides:
        signed_year = signed[request_id].year
        if year is not None and signed_year != year:
            continue
        for company_id in {sender_company, recipient_company} - {None}:
            counts[(company_id, signed_year)] += 1
    return dict(counts)


def company_outcomes_by_year(*, year: int | None = None) -> list[dict[str, Any]]:
    """Per company and year: the programmes' ``Outcome`` figures summed, the MOUs signed in
    business consultations, and the MOUs in total (programmes + consultations)."""
    from companies.models import Company
    from programs.models import OUTCOME_FIGURES, Outcome

    programme_rows = Outcome.objects.all()
    if year is not None:
        programme_rows = programme_rows.filter(year=year)
    sums = {
        (row["company_id"], row["year"]): row
        for row in programme_rows.values("company_id", "year").annotate(**{f: Sum(f) for f in OUTCOME_FIGURES})
    }
    consultation = consultation_mou_counts(year=year)
    keys = sorted(set(sums) | set(consultation), key=lambda k: (-k[1], k[0]))
    names = dict(Company.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "name_ko"))
    rows = []
    for company_id, row_year in keys:
        programmes = sums.get((company_id, row_year), {})
        figures = {f: programmes.get(f) or 0 for f in OUTCOME_FIGURES}
        meetings_mous = consultation.get((company_id, row_year), 0)
        rows.append(
            {
                "company_id": company_id,
                "company": names.get(company_id, ""),
                "year": row_year,
                "programmes": figures,
                "programme_values": [figures[f] for f in OUTCOME_FIGURES],
                "consultation_mous": meetings_mous,
                "mous_total": figures["mous_signed"] + meetings_mous,
            }
        )
    return rows
