"""Reads for events and registrations, with their joins and counts (constant queries per page)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import AgendaItem, Audience, Event, Registration

if TYPE_CHECKING:
    from accounts.models import User
    from companies.models import Company

SEOUL = ZoneInfo("Asia/Seoul")
VISIBLE = (Event.Status.PUBLISHED, Event.Status.FINISHED, Event.Status.CANCELLED)
FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 400


def events_with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``seats_taken``: confirmed registrations plus seats held for registrations
    waiting for their e-mail link (see events.services).

    A correlated subquery per event row, not a join and GROUP BY over every registration of
    every event: with a LIMIT (a page of 20) PostgreSQL evaluates it only for the rows it
    returns, each an index scan of ``registration_event_status_idx``, so the cost of a page
    does not grow with the number of events or registrations."""
    taken = (
        Registration.objects.filter(event=OuterRef("pk"))
        .filter(
            Q(status=Registration.Status.CONFIRMED)
            | Q(status=Registration.Status.PENDING, hold_expires_at__gt=timezone.now())
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("kind").annotate(
        seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))
    )


def seats_left(event: Event) -> int:
    """Needs ``seats_taken`` from ``events_with_counts``."""
    return max(event.capacity - event.seats_taken, 0)  # type: ignore[attr-defined]


def event_visible_queryset(*, user: User | None = None) -> QuerySet[Event]:
    """Events the public may see; staff also see drafts."""
    queryset = Event.objects.all()
    if not (user is not None and user.is_authenticated and user.is_staff):
        queryset = queryset.filter(status__in=VISIBLE)
    return queryset


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (
        datetime.combine(first, time.min, tzinfo=SEOUL),
        datetime.combine(following, time.min, tzinfo=SEOUL),
    )


def event_list(
    *, user: User | None = None, kind: str | None = None, month: date | None = None, upcoming: bool
) -> QuerySet[Event]:
    now = timezone.now()
    queryset = event_visible_queryset(user=user)
    if upcoming:
        queryset = queryset.filter(ends_at__gte=now).exclude(status=Event.Status.FINISHED).order_by("starts_at")
    else:
        queryset = queryset.filter(Q(ends_at__lt=now) | Q(status=Event.Status.FINISHED)).order_by("-starts_at")
    if kind:
        queryset = queryset.filter(kind__slug=kind)
    if month:
        start, end = month_bounds(month)
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
    return events_with_counts(queryset)


def event_calendar(*, user: User | None, first_day: date, last_day: date, kind: str | None = None) -> list[Event]:
    """Events from the start of ``first_day`` to the end of ``last_day`` (Seoul days): the
    whole grid of a month view, including the days of the months around it."""
    start = datetime.combine(first_day, time.min, tzinfo=SEOUL)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=SEOUL)
    queryset = event_visible_queryset(user=user).filter(starts_at__gte=start, starts_at__lt=end)
    if kind:
        queryset = queryset.filter(kind__slug=kind)
    return list(events_with_counts(queryset).order_by("starts_at"))


def event_detail(*, user: User | None, pk: int) -> Event:
    return events_with_counts(event_visible_queryset(user=user)).get(pk=pk)


def event_for_page(*, user: User | None, pk: int) -> Event | None:
    """``event_detail``'s event (None: not there, or a draft and ``user`` is not staff) with what
    its page needs besides: ``has_registrations`` (any that is not cancelled: when there is none,
    no one's own registrations need reading) and, for an invited-only event, the set of
    ``invited_company_ids`` (so that ``event_registration_refusal`` reads no table). Public facts
    only: the page keeps the result under the content version (events.views.event_detail)."""
    active = Registration.objects.filter(event=OuterRef("pk")).exclude(status=Registration.Status.CANCELLED)
    event = (
        events_with_counts(event_visible_queryset(user=user))
        .annotate(has_registrations=Exists(active))
        .filter(pk=pk)
        .first()
    )
    if event is not None and event.audience == Audience.INVITED:
        ids = Event.invited_companies.through.objects.filter(event_id=event.pk).values_list("company_id", flat=True)
        event.invited_company_ids = frozenset(ids)  # type: ignore[attr-defined]
    return event


def registrations_own_for_event(*, user: User, event: Event) -> list[Registration]:
    """``user``'s registrations for ``event`` that are not cancelled (``registration_own_queryset``)
    with their ``waitlist_position`` (0 unless waitlisted): only what the event page's
    registration box shows, no event, kind or company joined (the page has the event). The
    positions are a second query, only when one of them is waitlisted."""
    own = list(
        registration_own_queryset(user=user)
        .filter(event_id=event.pk)
        .exclude(status=Registration.Status.CANCELLED)
        .only("pk", "attendee_name", "email", "status")
    )
    positions: dict[int, int] = {}
    if any(r.status == Registration.Status.WAITLISTED for r in own):
        queue = Registration.objects.filter(event_id=event.pk, status=Registration.Status.WAITLISTED)
        positions = {pk: n for n, pk in enumerate(queue.order_by("created_at", "pk").values_list("pk", flat=True), 1)}
    for registration in own:
        registration.waitlist_position = positions.get(registration.pk, 0)  # type: ignore[attr-defined]
    return own


def event_program(event: Event) -> Event:
    """``event`` with its speakers and agenda items read (two queries), for its page's programme:
    a separate step, so that a page served from the fragment cache does not read them."""
    prefetch_related_objects(
        [event], "speakers", Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("speaker"))
    )
    return event


def event_feed() -> QuerySet[Event]:
    """Public events for the subscribable calendar: published (or cancelled, so calendars drop
    them), in a window around today (FEED_PAST_DAYS back, FEED_FUTURE_DAYS ahead), so that the
    feed does not grow with the archive. A calendar keeps entries that leave the feed."""
    now = timezone.now()
    return (
        Event.objects.filter(audience=Audience.PUBLIC, status__in=VISIBLE)
        .select_related("kind")
        .filter(starts_at__gte=now - timedelta(days=FEED_PAST_DAYS))
        .filter(starts_at__lt=now + timedelta(days=FEED_FUTURE_DAYS))
        .order_by("starts_at")
    )


def _waitlist_position() -> Subquery:
    ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=Registration.Status.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk")))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def registrations_with_position(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """``registrations_for_api`` with the event and its kind, for the pages."""
    return registrations_for_api(queryset).select_related("event", "event__kind")


def _waitlist_position_if_waiting() -> Coalesce:
    """The waitlist position of a waitlisted row, 0 for the others. PostgreSQL runs a CASE
    branch's subquery only for the rows that take it: the count runs for waitlisted rows alone,
    not once per row of a list that is mostly confirmed."""
    waiting = When(status=Registration.Status.WAITLISTED, then=_waitlist_position())
    return Coalesce(Case(waiting, output_field=IntegerField()), Value(0))


def registrations_for_api(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """What ``RegistrationSerializer`` reads: the company's slug and the waitlist position (the
    event is its id), without joining the event and its kind."""
    return queryset.select_related("company").annotate(waitlist_position=_waitlist_position_if_waiting())


def registration_own_queryset(*, user: User) -> QuerySet[Registration]:
    """The user's own registrations, the ones they made, and (for a representative) all of
    their company's."""
    condition = Q(user=user) | Q(registered_by=user)
    company = user.company
    if company is not None and user.is_representative:
        condition |= Q(company=company)
    return Registration.objects.filter(condition)


def registration_owner_key(user: User) -> str:
    """What decides which registrations ``registration_own_queryset`` gives ``user``: the user,
    and their company and role (a representative sees the company's). A value kept per user's
    registrations (magok/pagecache.py ``kept_values``) names this in its key, so that joining,
    leaving or changing role in a company is a new key, not a stale value."""
    company = user.company
    role = "representative" if user.is_representative else "member"
    return f"{user.pk}:{company.pk if company is not None else ''}:{role}"


def registration_visible_queryset(*, user: User) -> QuerySet[Registration]:
    """Registrations ``user`` may see (staff with the right to view registrations: all).
    Everything else answers 404."""
    if user.is_staff and user.has_perm("events.view_registration"):
        return Registration.objects.all()
    return registration_own_queryset(user=user)


def waitlist_positions_set(registrations: list[Registration]) -> None:
    """Sets ``waitlist_position`` on each of ``registrations``: a waitlisted one's place in its
    event's waitlist (as ``_waitlist_position`` counts it: by created_at, then id), 0 on the
    others. One plain query, and only when some are waiting: the correlated subquery costs more
    to build in Python (a millisecond a request) than the waitlists cost to read."""
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    for r in registrations:
        r.waitlist_position = 0  # type: ignore[attr-defined]
    if not waiting:
        return
    queue = (
        Registration.objects.filter(event_id__in={r.event_id for r in waiting}, status=Registration.Status.WAITLISTED)
        .order_by("event_id", "created_at", "pk")
        .values_list("event_id", "pk")
    )
    position: dict[int, int] = {}
    previous, n = None, 0
    for event_id, pk in queue:
        n = n + 1 if event_id == previous else 1
        previous = event_id
        position[pk] = n
    for r in waiting:
        r.waitlist_position = position.get(r.pk, 0)  # type: ignore[attr-defined]


MY_REGISTRATION_FIELDS = ("event", "company", "attendee_name", "email", "status", "checked_in_at", "created_at")


def registration_list_for_user(*, user: User) -> tuple[list[Registration], list[Registration]]:
    """(upcoming, past) registrations of ``user`` (and their company's for a representative)."""
    # Only what the page shows: the event's title, time and status, the company's name.
    rows = list(
        registration_own_queryset(user=user)
        .select_related("event", "company")
        .only(
            *MY_REGISTRATION_FIELDS,
            *(f"event__{name}" for name in ("title_ko", "title_en", "starts_at", "ends_at", "status")),
            "company__name_ko",
            "company__name_en",
        )
        .order_by("event__starts_at", "created_at")
    )
    waitlist_positions_set(rows)
    now = timezone.now()
    upcoming: list[Registration] = []
    past: list[Registration] = []
    for r in rows:
        (upcoming if r.event.ends_at >= now and r.event.status != Event.Status.FINISHED else past).append(r)
    past.reverse()
    return upcoming, past


def event_check_in_counts(*, event: Event) -> dict[str, int]:
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        checked_in=Count("pk", filter=Q(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )


def event_check_in_search(*, event: Event, query: str, limit: int = 30) -> list[Registration]:
    query = query.strip()
    if not query:
        return []
    return list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(
            Q(attendee_name__icontains=query)
            | Q(email__icontains=query)
            | Q(company__name_ko__icontains=query)
            | Q(company__name_en__icontains=query)
            | Q(ticket_code=query)
        )
        .select_related("company")
        .order_by("attendee_name")[:limit]
    )


def event_attendance_by_company(*, event: Event) -> list[dict[str, object]]:
    """Per company: confirmed, checked in and no-shows (confirmed but never checked in)."""
    rows = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .values("company__name_ko")
        .annotate(confirmed=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)))
        .order_by("company__name_ko")
    )
    return [{**row, "no_shows": row["confirmed"] - row["checked_in"]} for row in rows]


def has_waitlist(event: Event) -> bool:
    """Someone is waiting for a seat of ``event`` (one indexed EXISTS)."""
    return Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).exists()


def registered_myself(*, event: Event, user: User) -> bool:
    """``user`` has a live registration of their own for ``event``."""
    return (
        Registration.objects.filter(event=event, email=user.email.lower())
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )


def events_upcoming_for_home(*, user: User | None, limit: int = 4) -> list[Event]:
    """The next events for the home page: public ones for everyone, and for a member of a tenant
    company also the members-only ones (an invited-only event when their company is invited)."""
    queryset = event_visible_queryset(user=user).filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
    company = user.company if user is not None and user.is_authenticated else None
    if company is None:
        queryset = queryset.filter(audience=Audience.PUBLIC)
    else:
        audiences = Q(audience__in=[Audience.PUBLIC, Audience.TENANTS])
        if user is not None and user.is_representative:
            audiences |= Q(audience=Audience.EXECUTIVES)
        audiences |= Q(audience=Audience.INVITED) & invited(company)
        queryset = queryset.filter(audiences)
    return list(events_with_counts(queryset.order_by("starts_at"))[:limit])


def invited(company: Company) -> Q:
    """The event invites ``company``: an EXISTS, not a join, so a query stays one row per event
    without a DISTINCT (which made PostgreSQL compute the seat count of every upcoming event
    before taking the first few: 80 ms for the home page at 2,000 events)."""
    return Q(Exists(Event.invited_companies.through.objects.filter(event_id=OuterRef("pk"), company=company)))


def next_registration(*, user: User) -> Registration | None:
    """The user's own next live registration (for "my next event" on the home page): only what
    that line shows (the event's title, start and end, the status and the waitlist position)."""
    return (
        registration_own_queryset(user=user)
        .filter(
            event__ends_at__gte=timezone.now(),
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
        )
        .annotate(waitlist_position=Coalesce(_waitlist_position(), Value(0)))
        .select_related("event")
        .only("status", "event__title_ko", "event__title_en", "event__starts_at", "event__ends_at")
        .order_by("event__starts_at")
        .first()
    )


def event_attendees_for_staff(*, event: Event, status: str = "") -> list[Registration]:
    """Every registration of ``event`` (cancelled ones too, so staff can restore them), optionally
    of one status, in registration order; the waitlist in its queue order."""
    rows = Registration.objects.filter(event=event).select_related("company")
    if status in Registration.Status.values:
        rows = rows.filter(status=status)
    return list(rows.order_by("created_at", "id"))
