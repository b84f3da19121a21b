"""Writes for events and registrations.

Seats are guarded by a row lock on the event (``select_for_update``) taken as late as possible
inside one transaction: every path that confirms a seat (registering, promoting from the
waitlist after a cancellation or a capacity raise) takes it, counts, and decides. E-mails are
only written to the outbox here, as a kind and the registration's id (``events/emails.py``):
the worker renders them (text, HTML, QR code, calendar file) when it sends them after commit,
so under the lock there is no I/O and no rendering, only the seat decision and small INSERTs.

A registration without an account is PENDING until its address is proven by the e-mailed link
(``registration_confirm``). It holds a seat for ``EVENT_PENDING_HOLD_MINUTES`` at most: the seat
counts (``_seats``) read the hold time, so an expired hold frees its seat at once, and
``registration_holds_release`` (periodic) promotes whoever waits behind it.
"""

from __future__ import annotations

import copy
import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_entry, record, record_many, snapshot
from magok.errors import DomainError
from magok.pagecache import public_content_changed
from notifications.models import OutboundEmail

from .consent import REGISTRATION_CONSENT_VERSION
from .emails import registration_email_queue
from .models import AgendaItem, Audience, Event, Registration, Speaker

if TYPE_CHECKING:
    from accounts.models import User
    from companies.models import Company

LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
# What the audit trail keeps of a registration when it is made or its seat changes.
REGISTRATION_AUDIT_FIELDS = ("status", "email", "company", "confirmed_at", "cancelled_at", "checked_in_at")
# What a visitor's confirmation through the e-mailed link changes.
REGISTRATION_CONFIRM_AUDIT_FIELDS = ("status", "confirmed_at", "hold_expires_at", "user")


class RegistrationError(DomainError):
    """A business rule refused a registration change; ``message`` is shown to the user."""


class EventBusy(RegistrationError):
    """The event's seat lock was not free within ``EVENT_LOCK_TIMEOUT_MS``: try again shortly.
    The API answers 409 with ``code: busy`` and a Retry-After header."""

    retry_after = 3

    def __init__(self) -> None:
        super().__init__(_("지금 신청이 많습니다. 잠시 후 다시 시도해 주세요."), "busy")


@dataclass(frozen=True)
class AttendeeData:
    name: str
    email: str
    phone: str = ""
    position: str = ""


@dataclass(frozen=True)
class CheckInResult:
    status: str  # checked_in / already_checked_in / not_confirmed / cancelled / not_found
    registration: Registration | None


# --- Eligibility ----------------------------------------------------------------------


def event_registration_refusal(*, event: Event, user: User | None, now: datetime | None = None) -> str | None:
    """Why ``user`` (None: an anonymous visitor) may not register for ``event``, or None if they may.

    Anonymous visitors may register for PUBLIC events only (with the same consent, confirmed
    by e-mail); every other audience needs an account with an approved company membership.
    """
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("취소된 행사입니다.")
    if event.status == Event.Status.FINISHED or event.ends_at <= now:
        return _("종료된 행사입니다.")
    if event.status != Event.Status.PUBLISHED:
        return _("이 행사는 신청을 받지 않습니다.")
    if event.starts_at <= now or (event.registration_closes_at and event.registration_closes_at <= now):
        return _("신청이 마감되었습니다.")
    if event.registration_opens_at and event.registration_opens_at > now:
        return _("아직 신청 기간이 아닙니다.")
    if event.audience == Audience.PUBLIC:
        return None
    if user is None or not user.is_authenticated:
        return _("로그인한 입주기업 임직원만 신청할 수 있습니다.")
    company = user.company
    if company is None:
        return _("입주기업 소속이 승인된 사용자만 신청할 수 있는 행사입니다.")
    if event.audience == Audience.EXECUTIVES and not user.is_representative:
        return _("입주기업 대표·CEO만 신청할 수 있는 행사입니다.")
    if event.audience == Audience.INVITED and not _invited(event, company.pk):
        return _("초청받은 기업만 신청할 수 있는 행사입니다.")
    return None


def _invited(event: Event, company_id: int) -> bool:
    # The event page's event carries the ids it read with the row (selectors.event_for_page).
    ids = getattr(event, "invited_company_ids", None)
    if ids is not None:
        return company_id in ids
    return event.invited_companies.filter(pk=company_id).exists()


def registration_can_manage(*, registration: Registration, user: User | None) -> bool:
    """The attendee, the person who registered them, their company's representative and SBA staff
    with the right to change registrations (``is_staff`` alone is not enough)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("events.change_registration"):
        return True
    if user.pk in (registration.user_id, registration.registered_by_id):
        return True
    return user.represents(registration.company_id)


# --- Registration ---------------------------------------------------------------------

# PostgreSQL's lock_not_available: the row lock was not granted within lock_timeout.
LOCK_NOT_AVAILABLE = "55P03"
CONFIRM_LINK_SALT = "events.registration.confirm"


def _locked_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends. Every seat decision goes through here.

    The wait is bounded, as pretix bounds its locks: when the lock is not granted within
    ``EVENT_LOCK_TIMEOUT_MS`` (many people registering at once, or a long staff update), the
    request raises EventBusy ("busy, try again") instead of holding a web worker. SQLite
    (``make run``) has no row locks and no lock_timeout. Precondition: inside
    ``transaction.atomic``; the ``SET LOCAL`` lasts until that transaction ends.
    """
    try:
        if connection.vendor != "postgresql":
            return Event.objects.select_for_update().get(pk=event_id)
        # The bound and the lock in one round trip (both statements in one call: the row comes
        # from the last), as every round trip under the lock counts for a registration rush.
        table, pk = connection.ops.quote_name(Event._meta.db_table), connection.ops.quote_name(Event._meta.pk.column)  # type: ignore[union-attr]
        timeout = int(settings.EVENT_LOCK_TIMEOUT_MS)
        sql = f"SET LOCAL lock_timeout = '{timeout}ms'; SELECT * FROM {table} WHERE {pk} = %s FOR UPDATE"  # nosec B608 - our table, an int
        found = list(Event.objects.raw(sql, [event_id]))
        if not found:
            raise Event.DoesNotExist
        return found[0]
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise EventBusy from error
        raise


@dataclass
class _Seats:
    """The seats of a locked event. A confirmed registration takes a seat, and so does a
    pending one until its hold expires; nobody overtakes the waitlist except a valid hold."""

    capacity: int
    taken: int
    waitlisted: int

    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    def take(self, *, held: bool = False) -> str:
        if self.taken < self.capacity and (held or self.waitlisted == 0):
            self.taken += 1
            return Registration.Status.CONFIRMED
        self.waitlisted += 1
        return Registration.Status.WAITLISTED


def _seats(event: Event, *, now: datetime, exclude: Registration | None = None) -> _Seats:
    """Precondition: the caller holds the lock on ``event``. Counting reads the hold times
    itself, so an expired hold never takes a seat, whether or not it was released yet."""
    rows = Registration.objects.filter(event=event)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    counts = rows.aggregate(
        taken=Count(
            "pk",
            filter=Q(status=Registration.Status.CONFIRMED)
            | Q(status=Registration.Status.PENDING, hold_expires_at__gt=now),
        ),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    return _Seats(capacity=event.capacity, taken=counts["taken"], waitlisted=counts["waitlisted"])


def _link_validity() -> timedelta:
    return timedelta(hours=settings.EVENT_CONFIRM_LINK_HOURS)


def _release_lapsed_holds(event: Event, *, now: datetime) -> None:
    """Give the seats of expired holds to the waitlist, and cancel pending registrations whose
    link has expired (so their address may register again). Each registration changed is
    recorded in the audit trail as done by the system.

    Precondition: the caller holds the lock on ``event``.
    """
    link_deadline = now - _link_validity()
    due = list(
        Registration.objects.filter(event=event, status=Registration.Status.PENDING)
        .filter(Q(hold_expires_at__lte=now) | Q(created_at__lte=link_deadline))
        .select_related("event")
    )
    if not due:
        return
    lapsed = [registration for registration in due if registration.created_at <= link_deadline]
    released = [registration for registration in due if registration.created_at > link_deadline]
    if lapsed:
        Registration.objects.filter(pk__in=[r.pk for r in lapsed]).update(
            status=Registration.Status.CANCELLED, cancelled_at=now, hold_expires_at=None, updated_at=now
        )
    if released:
        Registration.objects.filter(pk__in=[r.pk for r in released]).update(hold_expires_at=None, updated_at=now)
    for registration in lapsed:
        record(
            action=AuditAction.REGISTRATION_EXPIRE,
            obj=registration,
            by=None,
            before={"status": registration.status, "hold_expires_at": registration.hold_expires_at},
            after={"status": Registration.Status.CANCELLED, "cancelled_at": now, "hold_expires_at": None},
        )
    for registration in released:
        record(
            action=AuditAction.REGISTRATION_HOLD_RELEASE,
            obj=registration,
            by=None,
            before={"hold_expires_at": registration.hold_expires_at},
            after={"hold_expires_at": None},
        )
    # A bulk UPDATE sends no signal: the seats left on the public pages changed.
    public_content_changed()
    if released:
        _promote_from_waitlist(event)


def registration_holds_release(*, now: datetime | None = None) -> int:
    """Release expired holds and expired pending registrations of every event (periodic).

    The seat counts ignore expired holds by themselves; this run promotes the people waiting
    behind them when nobody else touches the event. Safe to run twice or concurrently (each
    event under its lock). Returns how many events it released holds of.
    """
    now = now or timezone.now()
    event_ids = (
        Registration.objects.filter(status=Registration.Status.PENDING)
        .filter(Q(hold_expires_at__lte=now) | Q(created_at__lte=now - _link_validity()))
        .values_list("event_id", flat=True)
        .distinct()
    )
    released = 0
    for event_id in sorted(set(event_ids)):
        try:
            with transaction.atomic():
                _release_lapsed_holds(_locked_event(event_id), now=now)
        except EventBusy:
            continue  # someone is registering: the lock holder counts correctly; next run releases
        released += 1
    return released


@dataclass(frozen=True)
class PlannedAttendee:
    data: AttendeeData
    email: str  # normalised
    # Linked only when the address is known to be the registrant's own or a colleague's.
    account: User | None


@dataclass(frozen=True)
class RegistrationPlan:
    """What ``registration_create_check`` decided before any lock: who registers whom."""

    event: Event
    by: User | None
    company: Company | None
    attendees: list[PlannedAttendee]
    language: str
    # An anonymous visitor's registration waits until the address is proven.
    needs_proof: bool


def _attendee_account(email: str, user: User | None, company: Company | None) -> User | None:
    """The account a registration is linked to: the registrant's own, or an approved member of
    the registrant's company. Any other address (a visitor's typed address, another company's
    member, an account without a company) is registered unlinked, and the answer is the same
    whether or not an account has it: it must not tell who has an account where."""
    from accounts.models import Membership, User

    if user is None:
        return None
    if email == user.email.lower():
        return user
    if company is None:
        return None
    return User.objects.filter(
        email__iexact=email, memberships__company=company, memberships__status=Membership.Status.APPROVED
    ).first()


def _check_attendee_list(*, event: Event, user: User | None, company: Company | None, emails: list[str]) -> None:
    if len(set(emails)) != len(emails):
        raise RegistrationError(_("같은 이메일의 참석자를 두 번 입력했습니다."), "duplicate")
    self_only = len(emails) == 1 and user is not None and emails[0] == user.email.lower()
    if company is None and (len(emails) > 1 or (user is not None and not self_only)):
        raise RegistrationError(_("동료 직원은 입주기업 소속이 승인된 사용자만 함께 신청할 수 있습니다."), "colleagues")
    if event.audience == Audience.EXECUTIVES and not self_only:
        raise RegistrationError(_("대표·CEO 대상 행사는 본인만 신청할 수 있습니다."), "executives_self_only")
    if event.seat_cap_per_company and company is not None and len(emails) > event.seat_cap_per_company:
        raise RegistrationError(
            _("이 행사는 기업당 %(cap)s명까지 신청할 수 있습니다.") % {"cap": event.seat_cap_per_company}, "seat_cap"
        )


def registration_create_check(
    *, event: Event, by: User | None, attendees: list[AttendeeData], consent: bool, language: str
) -> RegistrationPlan:
    """Apply every rule that needs no lock (consent, audience, window, who may register whom,
    the per-company cap on one request) and return the plan. Writes nothing; raises
    RegistrationError with a message for the user."""
    if not consent:
        raise RegistrationError(_("개인정보 수집·이용에 동의해야 신청할 수 있습니다."), "consent_required")
    if not attendees:
        raise RegistrationError(_("참석자를 한 명 이상 입력하세요."), "no_attendees")
    user = by if by is not None and by.is_authenticated else None
    refusal = event_registration_refusal(event=event, user=user)
    if refusal:
        raise RegistrationError(refusal, "not_allowed")
    emails = [a.email.strip().lower() for a in attendees]
    company = user.company if user is not None else None
    _check_attendee_list(event=event, user=user, company=company, emails=emails)
    return RegistrationPlan(
        event=event,
        by=user,
        company=company,
        attendees=[
            PlannedAttendee(data=a, email=email, account=_attendee_account(email, user, company))
            for a, email in zip(attendees, emails, strict=True)
        ],
        language=language if language in ("ko", "en") else "ko",
        needs_proof=user is None,
    )


@dataclass
class _Tally:
    """What a signed-in registration needs to know of a locked event's registrations, read in
    one query: the seats, whether expired holds or lapsed links wait to be released, and how
    many registrations of the request's addresses (pending, live) and of the company (live) exist."""

    seats: _Seats
    lapsed: int
    pending_of_these: int
    live_of_these: int
    live_of_company: int


# The conditions of ``_seats`` (taken, waitlisted) and ``_release_lapsed_holds`` (lapsed), in
# one statement. Written out in SQL because it runs under the event's lock, serialised per event:
# the ORM spent about a millisecond compiling the same aggregate while every other registrant of
# the event waited (tests/events/test_registration_queries.py checks that the two agree).
_TALLY_SQL = """
SELECT
    count(CASE WHEN status = %(confirmed)s OR (status = %(pending)s AND hold_expires_at > %(now)s) THEN 1 END),
    count(CASE WHEN status = %(waitlisted)s THEN 1 END),
    count(CASE WHEN status = %(pending)s AND (hold_expires_at <= %(now)s OR created_at <= %(link_deadline)s)
          THEN 1 END),
    count(CASE WHEN status = %(pending)s AND email IN ({emails}) THEN 1 END),
    count(CASE WHEN status IN (%(confirmed)s, %(waitlisted)s) AND email IN ({emails}) THEN 1 END),
    count(CASE WHEN status IN (%(confirmed)s, %(waitlisted)s) AND company_id = %(company)s THEN 1 END)
FROM events_registration
WHERE event_id = %(event)s
"""


def _tally(event: Event, *, now: datetime, emails: list[str], company: Company | None) -> _Tally:
    """Precondition: the caller holds the lock on ``event``."""
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {
        "event": event.pk,
        "company": company.pk if company is not None else None,
        "now": adapt(now),
        "link_deadline": adapt(now - _link_validity()),
        "confirmed": Registration.Status.CONFIRMED.value,
        "waitlisted": Registration.Status.WAITLISTED.value,
        "pending": Registration.Status.PENDING.value,
        **{f"email{i}": email for i, email in enumerate(emails)},
    }
    # (No addresses, "IN (NULL)", matches nothing; "IN ()" would not parse.)
    sql = _TALLY_SQL.format(emails=", ".join(f"%(email{i})s" for i in range(len(emails))) or "NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        taken, waitlisted, lapsed, pending_of_these, live_of_these, live_of_company = cursor.fetchone()
    return _Tally(
        seats=_Seats(capacity=event.capacity, taken=taken, waitlisted=waitlisted),
        lapsed=lapsed,
        pending_of_these=pending_of_these,
        live_of_these=live_of_these,
        live_of_company=live_of_company,
    )


def _duplicate(emails: list[str]) -> RegistrationError:
    return RegistrationError(
        _("이미 신청한 참석자입니다: %(emails)s") % {"emails": ", ".join(sorted(emails))}, "duplicate"
    )


def _refuse_taken_seats(*, plan: RegistrationPlan, event: Event, tally: _Tally) -> None:
    """The duplicate and per-company cap rules that depend on the registrations so far.
    Precondition: the caller holds the lock on ``event``."""
    emails = [a.email for a in plan.attendees]
    if tally.live_of_these:
        live = Registration.objects.filter(event=event, status__in=LIVE, email__in=emails)
        raise _duplicate(list(live.values_list("email", flat=True)))
    cap = event.seat_cap_per_company
    if cap and plan.company is not None and tally.live_of_company + len(emails) > cap:
        raise RegistrationError(
            _("이 행사는 기업당 %(cap)s명까지 신청할 수 있습니다. 남은 인원: %(left)s명")
            % {"cap": cap, "left": max(cap - tally.live_of_company, 0)},
            "seat_cap",
        )


def _registration_row(
    *,
    plan: RegistrationPlan,
    event: Event,
    attendee: PlannedAttendee,
    status: str,
    now: datetime,
    hold_expires_at: datetime | None = None,
) -> Registration:
    """The registration ``plan`` makes for ``attendee``, unsaved."""
    return Registration(
        event=event,
        user=attendee.account,
        registered_by=plan.by,
        company=plan.company,
        attendee_name=attendee.data.name.strip(),
        email=attendee.email,
        phone=attendee.data.phone.strip(),
        position=attendee.data.position.strip(),
        language=plan.language,
        status=status,
        confirmed_at=now if status == Registration.Status.CONFIRMED else None,
        hold_expires_at=hold_expires_at,
        consent_version=REGISTRATION_CONSENT_VERSION,
        consented_at=now,
    )


def _registration_write(registration: Registration) -> Registration:
    """Save one row made by ``_registration_row``; a live registration of its address already
    there is a RegistrationError, not an IntegrityError."""
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # The partial unique constraint: a live registration of this e-mail exists.
        raise RegistrationError(
            _("이미 신청한 참석자입니다: %(emails)s") % {"emails": registration.email}, "duplicate"
        ) from None
    return registration


def registration_confirm_url(*, registration: Registration) -> str:
    """The link that proves a pending registration's address (signed; see ``registration_confirm``)."""
    token = signing.dumps(registration.pk, salt=CONFIRM_LINK_SALT)
    return settings.SITE_URL + reverse("events:confirm", kwargs={"token": token})


def _hold_for_proof(*, plan: RegistrationPlan, event: Event, now: datetime) -> list[Registration]:
    """An anonymous visitor's registration: PENDING until the address is proven by the link in
    the e-mail, never linked to an account before that. It holds a seat (if one is free) for
    ``EVENT_PENDING_HOLD_MINUTES`` only, so typed addresses cannot fill the event.

    The visitor gets the same answer ("check your e-mail") whether or not the address is
    registered already or has an account; the address's owner learns the rest by e-mail. Asking
    again sends a new link but never extends the hold. Precondition: holding the event lock.
    """
    [attendee] = plan.attendees
    existing = (
        Registration.objects.filter(event=event, email=attendee.email)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    stamp = f"{now.timestamp():.6f}"
    if existing is not None and existing.status != Registration.Status.PENDING:
        _registrant_email(
            existing, "registration_exists", dedupe_key=f"events:registration:{existing.pk}:exists:{stamp}"
        )
        return []
    if existing is None:
        hold = now + timedelta(minutes=settings.EVENT_PENDING_HOLD_MINUTES)
        existing = _registration_write(
            _registration_row(
                plan=plan,
                event=event,
                attendee=attendee,
                status=Registration.Status.PENDING,
                now=now,
                hold_expires_at=hold if _seats(event, now=now).take() == Registration.Status.CONFIRMED else None,
            )
        )
    _registrant_email(
        existing,
        "registration_verify",
        dedupe_key=f"events:registration:{existing.pk}:verify:{stamp}",
        confirm_url=registration_confirm_url(registration=existing),
        # What is left, not the full lengths: asking again sends a new e-mail but neither the
        # link (from the first request) nor the hold is extended.
        hold_minutes=math.ceil((existing.hold_expires_at - now).total_seconds() / 60)
        if existing.hold_expires_at and existing.hold_expires_at > now
        else 0,
        link_hours=min(
            settings.EVENT_CONFIRM_LINK_HOURS,
            max(1, math.ceil((existing.created_at + _link_validity() - now).total_seconds() / 3600)),
        ),
    )
    return [existing]


def registration_create_do(*, plan: RegistrationPlan, event: Event) -> list[Registration]:
    """Write what ``plan`` says: each attendee is confirmed while seats last, then waitlisted;
    an anonymous visitor's registration waits for proof of the address (``_hold_for_proof``).
    E-mails go to the outbox only (sent after commit, rendered by the worker).

    This runs under the event's lock, so everything here is serialised per event: it is one
    read of the registrations (``_tally``), one INSERT of the registrations, one of their
    audit entries and the outbox rows. What needs no lock is in ``registration_create_check``.

    Precondition: called inside ``transaction.atomic`` holding the lock on ``event``
    (``_locked_event(plan.event.pk)``). A RegistrationError may leave that transaction unusable
    (the duplicate INSERT has no savepoint of its own): let it leave the atomic block.
    """
    # Staff may have cancelled or unpublished the event meanwhile.
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationError(_("이 행사는 신청을 받지 않습니다."), "not_allowed")
    now = timezone.now()
    if plan.needs_proof:
        _release_lapsed_holds(event, now=now)
        return _hold_for_proof(plan=plan, event=event, now=now)
    emails = [a.email for a in plan.attendees]
    tally = _tally(event, now=now, emails=emails, company=plan.company)
    if tally.lapsed or tally.pending_of_these:
        # Rare: rows change before the seats are decided, so they are counted again.
        if tally.lapsed:
            _release_lapsed_holds(event, now=now)
        # An unproven registration of the same address never blocks a signed-in registrant.
        Registration.objects.filter(event=event, email__in=emails, status=Registration.Status.PENDING).update(
            status=Registration.Status.CANCELLED, cancelled_at=now, hold_expires_at=None, updated_at=now
        )
        tally = _tally(event, now=now, emails=emails, company=plan.company)
    _refuse_taken_seats(plan=plan, event=event, tally=tally)
    seats = tally.seats
    created: list[Registration] = []
    for attendee in plan.attendees:
        status = seats.take()
        registration = _registration_row(plan=plan, event=event, attendee=attendee, status=status, now=now)
        # Shown in the answer, on the confirmation page and in the e-mail without another query.
        position = seats.waitlisted if status == Registration.Status.WAITLISTED else None
        setattr(registration, "waitlist_position", position)  # noqa: B010
        created.append(registration)
    try:
        # No savepoint (two statements fewer under the lock): the refusal below leaves the
        # caller's atomic block, which rolls back.
        Registration.objects.bulk_create(created)
    except IntegrityError:
        # The partial unique constraint: a live registration of one of these addresses was
        # written without the lock (the count above saw none), e.g. by a data import.
        raise _duplicate(emails) from None
    # bulk_create sends no post_save: the seats left on the public pages changed.
    public_content_changed()
    record_many(
        [
            audit_entry(
                action=AuditAction.REGISTRATION_CREATE,
                obj=registration,
                by=plan.by,
                after=snapshot(registration, REGISTRATION_AUDIT_FIELDS),
            )
            for registration in created
        ]
    )
    for registration in created:
        _notify_registration(registration)
    return created


def registration_create(
    *,
    event: Event,
    by: User | None,
    attendees: list[AttendeeData],
    consent: bool,
    language: str,
) -> list[Registration]:
    """Register ``attendees`` for ``event``: each is confirmed while seats last, then waitlisted.

    ``by`` is the logged-in user registering (None: an anonymous visitor, PUBLIC events only,
    one attendee, held until the address is proven: the result is then the pending
    registration, or nothing when the address is registered already). A company member may
    register colleagues of the same company up to ``seat_cap_per_company`` live registrations
    of that company. Raises RegistrationError with a message for the user, EventBusy when the
    event's lock is not free in time.
    """
    plan = registration_create_check(event=event, by=by, attendees=attendees, consent=consent, language=language)
    with transaction.atomic():
        return registration_create_do(plan=plan, event=_locked_event(event.pk))


def registration_pending_from_token(*, token: str) -> Registration:
    """The registration a confirmation link names. Raises RegistrationError for a link that was
    altered, has expired, or whose registration was cancelled or replaced meanwhile."""
    expired = RegistrationError(
        _("확인 링크의 유효 기간이 지났습니다. 행사 페이지에서 다시 신청해 주세요."), "link_expired"
    )
    try:
        pk = signing.loads(token, salt=CONFIRM_LINK_SALT, max_age=_link_validity())
    except signing.SignatureExpired:
        raise expired from None
    except signing.BadSignature:
        pk = None
    registration = Registration.objects.select_related("event").filter(pk=pk).first() if pk else None
    if registration is None:
        raise RegistrationError(_("올바른 확인 링크가 아닙니다. 이메일의 링크를 그대로 열어 주세요."), "link_invalid")
    pending = registration.status == Registration.Status.PENDING
    if registration.status == Registration.Status.CANCELLED or (
        pending and registration.created_at <= timezone.now() - _link_validity()
    ):
        raise expired
    return registration


def registration_confirm(*, token: str) -> Registration:
    """Prove a pending registration's address by its link: the normal seat decision runs now,
    under the lock (a seat while its hold lasts or one is free, else the waitlist), and the
    registration is linked to the account with that address, which the click has proven.
    A second click changes nothing."""
    registration = registration_pending_from_token(token=token)
    if registration.status != Registration.Status.PENDING:
        return registration
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        now = timezone.now()
        _release_lapsed_holds(event, now=now)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Registration.Status.PENDING:
            return registration_pending_from_token(token=token)  # cancelled meanwhile: says why
        refusal = event_registration_refusal(event=event, user=None)
        if refusal:
            raise RegistrationError(refusal, "not_allowed")
        audit_before = snapshot(current, REGISTRATION_CONFIRM_AUDIT_FIELDS)
        held = current.hold_expires_at is not None and current.hold_expires_at > now
        seats = _seats(event, now=now, exclude=current)
        current.status = seats.take(held=held)
        current.confirmed_at = now if current.status == Registration.Status.CONFIRMED else None
        current.hold_expires_at = None
        current.user = _account_with_email(current.email)
        fields = ["status", "confirmed_at", "hold_expires_at", "user", "updated_at"]
        if current.status == Registration.Status.WAITLISTED:
            # The waitlist is ordered by created_at: an unproven registration joins the queue
            # when its address is proven, behind those who joined while its link lay unopened.
            current.created_at = now
            fields.append("created_at")
        current.save(update_fields=fields)
        current.event = event
        # The visitor proved their own address: the system's record, or the account's it joined.
        record(
            action=AuditAction.REGISTRATION_CONFIRM,
            obj=current,
            by=current.user,
            before=audit_before,
            after=snapshot(current, REGISTRATION_CONFIRM_AUDIT_FIELDS),
        )
        if current.status == Registration.Status.WAITLISTED:
            setattr(current, "waitlist_position", seats.waitlisted)  # noqa: B010
        _notify_registration(current)
    return current


def _account_with_email(email: str) -> User | None:
    from accounts.models import User

    return User.objects.filter(email__iexact=email).first()


def registration_waitlist_position(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(event_id=registration.event_id, status=Registration.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lte=registration.pk)
        )
        .count()
    )


def _registrant_email(
    registration: Registration, template: str, *, dedupe_key: str, **context: Any
) -> OutboundEmail | None:
    """Queue ``events/emails/<template>`` to the registrant, in their language, once per
    ``dedupe_key``. Nothing is rendered here: the worker renders it with the registration,
    its event and ``context`` (JSON values) when it sends it."""
    return registration_email_queue(registration, template, dedupe_key=dedupe_key, **context)


def _notify_registration(registration: Registration) -> None:
    if registration.status == Registration.Status.CONFIRMED:
        _registrant_email(
            registration, "registration_confirmed", dedupe_key=f"events:registration:{registration.pk}:confirmed"
        )
    else:
        _registrant_email(
            registration,
            "registration_waitlisted",
            dedupe_key=f"events:registration:{registration.pk}:waitlisted",
            position=getattr(registration, "waitlist_position", None)
            or registration_waitlist_position(registration=registration),
        )


def _promote_from_waitlist(event: Event) -> list[Registration]:
    """Confirm waitlisted registrations (first come, first served) while seats are free.

    Only while the event is published and has not started: a seat freed during or after the
    event (a staff cancel) must not send anyone a ticket for an event that is running or over.

    Precondition: the caller holds the lock on ``event`` (``_locked_event``).
    """
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return []
    free = _seats(event, now=now).free()
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .select_related("event")
        .order_by("created_at", "id")[:free]
    )
    if not promoted:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Registration.Status.CONFIRMED, confirmed_at=now, updated_at=now
    )
    public_content_changed()  # a bulk UPDATE sends no signal
    for registration in promoted:
        registration.status, registration.confirmed_at = Registration.Status.CONFIRMED, now
        # The seat was freed by someone else's change: the system promotes, first come first served.
        record(
            action=AuditAction.REGISTRATION_PROMOTE,
            obj=registration,
            by=None,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": Registration.Status.CONFIRMED, "confirmed_at": now},
        )
        _registrant_email(
            registration, "registration_promoted", dedupe_key=f"events:registration:{registration.pk}:promoted"
        )
    return promoted


def registration_cancel(*, registration: Registration, by: User | None, via_link: bool = False) -> Registration:
    """Cancel a registration before the event starts; a freed seat goes to the first waitlisted.

    ``by`` must be allowed to manage the registration, unless ``via_link``: the signed cancel
    link of the registrant's e-mail proved the right (``events.links``), and ``by`` is whoever
    is logged in, or None. Idempotent: cancelling a cancelled registration returns it unchanged.
    """
    if not via_link and not registration_can_manage(registration=registration, user=by):
        raise RegistrationError(_("이 신청을 취소할 권한이 없습니다."), "forbidden")
    if registration.event.starts_at <= timezone.now() and not (
        by is not None and by.is_staff and by.has_perm("events.change_registration")
    ):
        raise RegistrationError(_("이미 시작한 행사의 신청은 취소할 수 없습니다."), "started")
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return current
        before = snapshot(current, ("status", "cancelled_at"))
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        record(
            action=AuditAction.REGISTRATION_CANCEL,
            obj=current,
            by=by,
            before=before,
            after=snapshot(current, ("status", "cancelled_at")),
        )
        current.event = event
        _registrant_email(current, "registration_cancelled", dedupe_key=f"events:registration:{current.pk}:cancelled")
        _promote_from_waitlist(event)
    return current


# --- Events (staff) -------------------------------------------------------------------

NOTIFY_ON_CHANGE = ("starts_at", "ends_at", "venue_ko", "venue_en", "venue_address")


def event_update(*, event: Event, by: User, **changes: Any) -> Event:
    """Apply ``changes`` to the event. A capacity raise confirms waitlisted registrations; a new
    time or venue is announced to everyone registered. Setting the status to cancelled cancels."""
    if changes.get("status") == Event.Status.CANCELLED and event.status != Event.Status.CANCELLED:
        rest = {k: v for k, v in changes.items() if k != "status"}
        if rest:
            event = event_update(event=event, by=by, **rest)
        return event_cancel(event=event, by=by, message="")
    with transaction.atomic():
        locked = _locked_event(event.pk)
        before = {field: getattr(locked, field) for field in NOTIFY_ON_CHANGE}
        audit_before = snapshot(locked, changes)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.full_clean(exclude=["kind", "series"])
        locked.save()
        audit_after = snapshot(locked, changes)
        if audit_after != audit_before:
            record(action=AuditAction.EVENT_UPDATE, obj=locked, by=by, before=audit_before, after=audit_after)
        if locked.status == Event.Status.PUBLISHED:
            _promote_from_waitlist(locked)
        changed = [field for field in NOTIFY_ON_CHANGE if before[field] != getattr(locked, field)]
        if changed and locked.status == Event.Status.PUBLISHED:
            stamp = locked.updated_at.timestamp()
            before_json = {
                field: value.isoformat() if isinstance(value, datetime) else value for field, value in before.items()
            }
            for registration in Registration.objects.filter(event=locked, status__in=LIVE):
                _registrant_email(
                    registration,
                    "event_changed",
                    dedupe_key=f"events:event:{locked.pk}:changed:{stamp}:{registration.pk}",
                    before=before_json,
                )
    return locked


def event_cancel(*, event: Event, by: User, message: str) -> Event:
    """Cancel the event and every live registration; everyone registered is told, with ``message``."""
    with transaction.atomic():
        locked = _locked_event(event.pk)
        if locked.status == Event.Status.CANCELLED:
            return locked
        locked.status = Event.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        registrations = list(Registration.objects.filter(event=locked, status__in=LIVE))
        # Pending registrations end too, without an e-mail: their address was never proven.
        ended = Registration.objects.filter(event=locked, status__in=[*LIVE, Registration.Status.PENDING]).update(
            status=Registration.Status.CANCELLED, cancelled_at=timezone.now(), hold_expires_at=None
        )
        record(
            action=AuditAction.EVENT_CANCEL,
            obj=locked,
            by=by,
            before={"status": event.status},
            after={"status": locked.status, "registrations_cancelled": ended, "message": message},
        )
        for registration in registrations:
            _registrant_email(
                registration,
                "event_cancelled",
                dedupe_key=f"events:event:{locked.pk}:cancelled:{registration.pk}",
                message=message,
            )
    return locked


def event_message_send(*, event: Event, by: User, subject: str, body: str) -> int:
    """Queue a message from staff to every confirmed registrant. Returns how many were queued.

    Each e-mail's dedupe key is (event, registration, hash of subject and body): submitting the
    same message twice (a double click, the browser's back button) sends it once; a registrant
    confirmed since the first send still gets it.
    """
    digest = hashlib.sha256(f"{subject}\0{body}".encode()).hexdigest()[:24]
    count = 0
    with transaction.atomic():
        for registration in Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED):
            queued = _registrant_email(
                registration,
                "event_message",
                dedupe_key=f"events:event:{event.pk}:message:{digest}:{registration.pk}",
                subject=subject,
                body=body,
            )
            if queued is not None:
                count += 1
        record(
            action=AuditAction.EVENT_MESSAGE,
            obj=event,
            by=by,
            after={"subject": subject, "body": body, "recipients": count},
        )
    return count


def event_duplicate(*, event: Event, by: User) -> Event:
    """A draft copy of the event with its speakers, agenda and invited companies (no registrations)."""
    with transaction.atomic():
        duplicate = copy.copy(event)
        duplicate.pk = None
        duplicate.id = None
        duplicate._state = copy.copy(event._state)
        duplicate._state.adding = True
        duplicate.title_ko = f"{event.title_ko} (사본)"
        duplicate.title_en = f"{event.title_en} (copy)" if event.title_en else ""
        duplicate.status = Event.Status.DRAFT
        duplicate.series = None
        duplicate.occurrence_date = None
        duplicate.save()
        duplicate.invited_companies.set(event.invited_companies.all())
        speaker_map: dict[int, Speaker] = {}
        for speaker in event.speakers.all():
            old_pk = speaker.pk
            speaker.pk = None
            speaker.event = duplicate
            speaker._state.adding = True
            speaker.save()
            speaker_map[old_pk] = speaker
        for item in AgendaItem.objects.filter(event=event):
            item.pk = None
            item.event = duplicate
            item._state.adding = True
            item.speaker = speaker_map.get(item.speaker_id) if item.speaker_id else None
            item.save()
        record(action=AuditAction.EVENT_DUPLICATE, obj=event, by=by, after={"copy": duplicate.pk})
        record(action=AuditAction.EVENT_DUPLICATE, obj=duplicate, by=by, before={"source": event.pk})
    return duplicate


def registration_check_in(
    *, by: User, event: Event, ticket_code: str | None = None, registration: Registration | None = None
) -> CheckInResult:
    """Check an attendee in at the door by ticket code or registration. Safe to repeat: a second
    scan answers ``already_checked_in`` with the first time."""
    if registration is None:
        code = (ticket_code or "").strip()
        # The QR code may hold the check-in URL; the code is its last part.
        code = code.rstrip("/").rsplit("/", 1)[-1].rsplit("=", 1)[-1]
        registration = (
            Registration.objects.select_related("company").filter(event=event, ticket_code=code).first()
            if code
            else None
        )
    if registration is None or registration.event_id != event.pk:
        return CheckInResult("not_found", None)
    now = timezone.now()
    with transaction.atomic():  # the check-in and its audit record, or neither
        updated = Registration.objects.filter(
            pk=registration.pk, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
        ).update(checked_in_at=now)
        if updated:
            record(
                action=AuditAction.REGISTRATION_CHECK_IN,
                obj=registration,
                by=by,
                before={"checked_in_at": None},
                after={"checked_in_at": now},
            )
    registration.refresh_from_db(fields=["status", "checked_in_at"])
    if updated:
        return CheckInResult("checked_in", registration)
    if registration.status == Registration.Status.CANCELLED:
        return CheckInResult("cancelled", registration)
    if registration.status in (Registration.Status.WAITLISTED, Registration.Status.PENDING):
        return CheckInResult("not_confirmed", registration)
    return CheckInResult("already_checked_in", registration)


# --- Per-attendee work (SBA staff, from the event's admin page) ---------------------------
#
# Each of these takes the event lock like the attendees' own paths, so capacity, the per-company
# cap and the waitlist stay correct. Going over capacity or over the cap is only possible with an
# explicit ``override_reason``, which the audit trail records with the change.


def _check_staff(by: User) -> None:
    if not (by.is_staff and by.has_perm("events.change_registration")):
        raise RegistrationError(_("참가자를 관리할 권한이 없습니다."), "forbidden")


def _refuse_unless_override(*, over: str | None, override_reason: str) -> None:
    """``over``: why the change needs an override ("capacity" or "seat_cap"), or None."""
    if over is None or override_reason.strip():
        return
    if over == "seat_cap":
        raise RegistrationError(
            _("기업당 최대 인원을 넘습니다. 넘겨서 처리하려면 사유를 입력하세요."), "seat_cap_override_required"
        )
    raise RegistrationError(
        _("정원이 찼습니다. 정원을 넘겨서 확정하려면 사유를 입력하세요."), "capacity_override_required"
    )


def _overrides(*, seat_cap: bool, capacity: bool) -> list[str]:
    """The limits a change went past, for the audit record."""
    return [name for name, over in (("seat_cap", seat_cap), ("capacity", capacity)) if over]


def _over_seat_cap(*, event: Event, company_id: int | None, exclude: Registration | None = None) -> bool:
    """Whether one more live registration of ``company_id`` would pass the per-company cap.
    Precondition: holding the event lock."""
    cap = event.seat_cap_per_company
    if not cap or company_id is None:
        return False
    live = Registration.objects.filter(event=event, company_id=company_id, status__in=LIVE)
    if exclude is not None:
        live = live.exclude(pk=exclude.pk)
    return live.count() + 1 > cap


def _staff_event(event_id: int) -> Event:
    """The locked event, refused when it takes no attendees at all (a draft, a cancelled event).
    Staff may add people after registration closed and while the event runs (at the door)."""
    event = _locked_event(event_id)
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationError(_("게시된 행사에만 참가자를 추가할 수 있습니다."), "not_published")
    return event


def registration_staff_add(
    *,
    event: Event,
    by: User,
    attendee: AttendeeData,
    company: Company | None = None,
    check_in: bool = False,
    override_reason: str = "",
    language: str = "ko",
) -> Registration:
    """Register someone on their behalf: a phone registration (confirmed while seats last, else
    waitlisted) or a walk-in at the door (``check_in``: confirmed and checked in at once, so a
    full event needs the override). The person's consent was asked by staff (the form says so).

    ``override_reason`` lets staff confirm beyond the capacity or the per-company cap; it is
    recorded. Raises RegistrationError (duplicate, not published, override required).
    """
    _check_staff(by)
    email = attendee.email.strip().lower()
    if not email or not attendee.name.strip():
        raise RegistrationError(_("참석자 이름과 이메일을 입력하세요."), "no_attendees")
    with transaction.atomic():
        locked = _staff_event(event.pk)
        now = timezone.now()
        _release_lapsed_holds(locked, now=now)
        Registration.objects.filter(event=locked, email=email, status=Registration.Status.PENDING).update(
            status=Registration.Status.CANCELLED, cancelled_at=now, hold_expires_at=None, updated_at=now
        )
        if Registration.objects.filter(event=locked, email=email, status__in=LIVE).exists():
            raise RegistrationError(_("이미 신청한 참석자입니다: %(emails)s") % {"emails": email}, "duplicate")
        over_cap = _over_seat_cap(event=locked, company_id=company.pk if company else None)
        _refuse_unless_override(over="seat_cap" if over_cap else None, override_reason=override_reason)
        seats = _seats(locked, now=now)
        status: str
        if check_in:
            # A walk-in is at the door: confirmed (beyond the capacity only by override) or not at
            # all. Once the event runs nobody is promoted, so a free seat is theirs.
            full = seats.free() <= 0
            status = Registration.Status.CONFIRMED
        else:
            status = seats.take()
            full = status == Registration.Status.WAITLISTED
        if full and (check_in or override_reason.strip()):
            _refuse_unless_override(over="capacity", override_reason=override_reason)
            status = Registration.Status.CONFIRMED
        account = _account_with_email(email) if company is not None else None
        if account is not None and not account.is_member_of(company.pk if company else None):
            account = None
        plan = RegistrationPlan(
            event=locked,
            by=by,
            company=company,
            attendees=[PlannedAttendee(data=attendee, email=email, account=account)],
            language=language if language in ("ko", "en") else "ko",
            needs_proof=False,
        )
        registration = _registration_write(
            _registration_row(plan=plan, event=locked, attendee=plan.attendees[0], status=status, now=now)
        )
        if check_in:
            registration.checked_in_at = now
            registration.save(update_fields=["checked_in_at", "updated_at"])
        overrides = _overrides(seat_cap=over_cap, capacity=full and status == Registration.Status.CONFIRMED)
        record(
            action=AuditAction.REGISTRATION_STAFF_ADD,
            obj=registration,
            by=by,
            after={**snapshot(registration, REGISTRATION_AUDIT_FIELDS), "override": overrides},
            reason=override_reason if overrides else "",
        )
        if not check_in:  # a walk-in checked in at the door needs no ticket
            _notify_registration(registration)
    return registration


def registration_restore(*, registration: Registration, by: User, override_reason: str = "") -> Registration:
    """Bring a cancelled registration back: confirmed while seats last, else to the end of the
    waitlist (with ``override_reason``: confirmed beyond the capacity). The attendee is told."""
    _check_staff(by)
    with transaction.atomic():
        locked = _staff_event(registration.event_id)
        now = timezone.now()
        _release_lapsed_holds(locked, now=now)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Registration.Status.CANCELLED:
            raise RegistrationError(_("취소된 신청만 복원할 수 있습니다."), "not_cancelled")
        if Registration.objects.filter(event=locked, email=current.email, status__in=LIVE).exists():
            raise RegistrationError(_("이미 신청한 참석자입니다: %(emails)s") % {"emails": current.email}, "duplicate")
        over_cap = _over_seat_cap(event=locked, company_id=current.company_id)
        _refuse_unless_override(over="seat_cap" if over_cap else None, override_reason=override_reason)
        before = snapshot(current, REGISTRATION_AUDIT_FIELDS)
        status = _seats(locked, now=now, exclude=current).take()
        full = status == Registration.Status.WAITLISTED
        if full and override_reason.strip():
            status = Registration.Status.CONFIRMED
        current.status = status
        current.cancelled_at = None
        current.confirmed_at = now if status == Registration.Status.CONFIRMED else None
        fields = ["status", "cancelled_at", "confirmed_at", "updated_at"]
        if status == Registration.Status.WAITLISTED:
            current.created_at = now  # joins the end of the queue
            fields.append("created_at")
        try:
            with transaction.atomic():
                current.save(update_fields=fields)
        except IntegrityError:
            raise RegistrationError(
                _("이미 신청한 참석자입니다: %(emails)s") % {"emails": current.email}, "duplicate"
            ) from None
        overrides = _overrides(seat_cap=over_cap, capacity=full and status == Registration.Status.CONFIRMED)
        record(
            action=AuditAction.REGISTRATION_RESTORE,
            obj=current,
            by=by,
            before=before,
            after={**snapshot(current, REGISTRATION_AUDIT_FIELDS), "override": overrides},
            reason=override_reason if overrides else "",
        )
        current.event = locked
        _notify_registration(current)
    return current


def registration_promote(*, registration: Registration, by: User, override_reason: str = "") -> Registration:
    """Move a waitlisted registration to confirmed now. With a free seat this is the waitlist's
    normal move; without one it is an override and needs ``override_reason``."""
    _check_staff(by)
    with transaction.atomic():
        locked = _locked_event(registration.event_id)
        now = timezone.now()
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("대기 중인 신청만 확정할 수 있습니다."), "not_waitlisted")
        full = _seats(locked, now=now).free() <= 0
        _refuse_unless_override(over="capacity" if full else None, override_reason=override_reason)
        current.status = Registration.Status.CONFIRMED
        current.confirmed_at = now
        current.save(update_fields=["status", "confirmed_at", "updated_at"])
        record(
            action=AuditAction.REGISTRATION_PROMOTE,
            obj=current,
            by=by,
            before={"status": Registration.Status.WAITLISTED, "confirmed_at": None},
            after={"status": current.status, "confirmed_at": now, "override": ["capacity"] if full else []},
            reason=override_reason if full else "",
        )
        current.event = locked
        _registrant_email(current, "registration_promoted", dedupe_key=f"events:registration:{current.pk}:promoted")
    return current


def registration_ticket_resend(*, registration: Registration, by: User) -> OutboundEmail | None:
    """E-mail the ticket (QR code and calendar file, rendered by the worker) of a confirmed
    registration again."""
    _check_staff(by)
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("참가 확정된 신청만 티켓을 보낼 수 있습니다."), "not_confirmed")
    with transaction.atomic():
        queued = _registrant_email(
            registration,
            "registration_confirmed",
            dedupe_key=f"events:registration:{registration.pk}:resent:{timezone.now().timestamp():.6f}",
        )
        record(
            action=AuditAction.REGISTRATION_TICKET_RESEND,
            obj=registration,
            by=by,
            after={"email": registration.email, "outbox": queued.pk if queued else None},
        )
    return queued


def registration_check_in_undo(*, registration: Registration, by: User) -> bool:
    """Take back a check-in (scanned by mistake). Returns False when it was not checked in."""
    _check_staff(by)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.checked_in_at is None:
            return False
        before = current.checked_in_at
        current.checked_in_at = None
        current.save(update_fields=["checked_in_at", "updated_at"])
        record(
            action=AuditAction.REGISTRATION_CHECK_IN_UNDO,
            obj=current,
            by=by,
            before={"checked_in_at": before},
            after={"checked_in_at": None},
        )
    registration.checked_in_at = None
    return True
