"""Writes for events and registrations.

Seats are guarded by a row lock on the event (``select_for_update``) taken as late as possible
inside one transaction: every path that confirms a seat (registering, promoting from the
waitlist after a cancellation or a capacity raise) takes it, counts, and decides. E-mails are
only written to the outbox here; they are sent after commit, so no I/O happens under the lock.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from magok.errors import DomainError
from notifications.services import Attachment, email_queue

from .consent import REGISTRATION_CONSENT_VERSION
from .models import AgendaItem, Audience, Event, Registration, Speaker

if TYPE_CHECKING:
    from accounts.models import User

LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


class RegistrationError(DomainError):
    """A business rule refused a registration change; ``message`` is shown to the user."""


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
    if event.audience == Audience.INVITED and not event.invited_companies.filter(pk=company.pk).exists():
        return _("초청받은 기업만 신청할 수 있는 행사입니다.")
    return None


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


def _locked_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends. Every seat decision goes through here."""
    return Event.objects.select_for_update().get(pk=event_id)


def _attendee_user(email: str, by: User | None) -> User | None:
    from accounts.models import User

    if by is not None and by.email.lower() == email:
        return by
    return User.objects.filter(email__iexact=email).first()


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
    one attendee). A company member may register colleagues of the same company up to
    ``seat_cap_per_company`` live (confirmed or waitlisted) registrations of that company.
    Raises RegistrationError with a message for the user.
    """
    if not consent:
        raise RegistrationError(_("개인정보 수집·이용에 동의해야 신청할 수 있습니다."), "consent_required")
    if not attendees:
        raise RegistrationError(_("참석자를 한 명 이상 입력하세요."), "no_attendees")
    user = by if by is not None and by.is_authenticated else None
    refusal = event_registration_refusal(event=event, user=user)
    if refusal:
        raise RegistrationError(refusal, "not_allowed")
    emails = [a.email.strip().lower() for a in attendees]
    if len(set(emails)) != len(emails):
        raise RegistrationError(_("같은 이메일의 참석자를 두 번 입력했습니다."), "duplicate")
    company = user.company if user is not None else None
    if company is None and (len(attendees) > 1 or (user is not None and emails[0] != user.email.lower())):
        raise RegistrationError(_("동료 직원은 입주기업 소속이 승인된 사용자만 함께 신청할 수 있습니다."), "colleagues")
    if event.audience == Audience.EXECUTIVES and (len(attendees) > 1 or emails[0] != user.email.lower()):  # type: ignore[union-attr]
        raise RegistrationError(_("대표·CEO 대상 행사는 본인만 신청할 수 있습니다."), "executives_self_only")
    if event.seat_cap_per_company and company is not None and len(attendees) > event.seat_cap_per_company:
        raise RegistrationError(
            _("이 행사는 기업당 %(cap)s명까지 신청할 수 있습니다.") % {"cap": event.seat_cap_per_company}, "seat_cap"
        )
    now = timezone.now()
    attendee_users = [_attendee_user(email, user) for email in emails]
    # Only a logged-in registrant adds colleagues; a visitor without an account registering for
    # a public event is not told whether an address belongs to a tenant company.
    for attendee_user in attendee_users if user is not None else []:
        other = attendee_user.company if attendee_user is not None and attendee_user != user else None
        if other is not None and (company is None or other.pk != company.pk):
            raise RegistrationError(
                _("%(email)s 님은 다른 기업 소속입니다. 같은 기업의 동료만 함께 신청할 수 있습니다.")
                % {"email": attendee_user.email},  # type: ignore[union-attr]
                "other_company",
            )

    created: list[Registration] = []
    with transaction.atomic():
        locked = _locked_event(event.pk)
        # Staff may have cancelled or unpublished the event meanwhile.
        if locked.status != Event.Status.PUBLISHED:
            raise RegistrationError(_("이 행사는 신청을 받지 않습니다."), "not_allowed")
        live = Registration.objects.filter(event=locked, status__in=LIVE)
        taken = list(live.filter(email__in=emails).values_list("email", flat=True))
        if taken:
            raise RegistrationError(
                _("이미 신청한 참석자입니다: %(emails)s") % {"emails": ", ".join(sorted(taken))}, "duplicate"
            )
        if locked.seat_cap_per_company and company is not None:
            used = live.filter(company=company).count()
            if used + len(attendees) > locked.seat_cap_per_company:
                raise RegistrationError(
                    _("이 행사는 기업당 %(cap)s명까지 신청할 수 있습니다. 남은 인원: %(left)s명")
                    % {"cap": locked.seat_cap_per_company, "left": max(locked.seat_cap_per_company - used, 0)},
                    "seat_cap",
                )
        confirmed = live.filter(status=Registration.Status.CONFIRMED).count()
        waitlisted = live.filter(status=Registration.Status.WAITLISTED).count()
        for attendee, email, attendee_user in zip(attendees, emails, attendee_users, strict=True):
            if confirmed < locked.capacity and waitlisted == 0:
                status = Registration.Status.CONFIRMED
                confirmed += 1
            else:
                status = Registration.Status.WAITLISTED
                waitlisted += 1
            registration = Registration(
                event=locked,
                user=attendee_user,
                registered_by=user,
                company=company,
                attendee_name=attendee.name.strip(),
                email=email,
                phone=attendee.phone.strip(),
                position=attendee.position.strip(),
                language=language if language in ("ko", "en") else "ko",
                status=status,
                confirmed_at=now if status == Registration.Status.CONFIRMED else None,
                consent_version=REGISTRATION_CONSENT_VERSION,
                consented_at=now,
            )
            try:
                with transaction.atomic():
                    registration.save()
            except IntegrityError:
                # The partial unique constraint: a live registration of this e-mail exists.
                raise RegistrationError(
                    _("이미 신청한 참석자입니다: %(emails)s") % {"emails": email}, "duplicate"
                ) from None
            # Shown on the confirmation page and in the e-mail without another query.
            setattr(registration, "waitlist_position", waitlisted if status == Registration.Status.WAITLISTED else None)  # noqa: B010
            created.append(registration)
        for registration in created:
            _notify_registration(registration)
    return created


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


def _notify_registration(registration: Registration) -> None:
    from .tickets import ticket_attachments

    event = registration.event
    if registration.status == Registration.Status.CONFIRMED:
        email_queue(
            to=registration.email,
            template="events/emails/registration_confirmed",
            context={"registration": registration, "event": event},
            language=registration.language,
            attachments=ticket_attachments(registration=registration),
            dedupe_key=f"events:registration:{registration.pk}:confirmed",
        )
    else:
        email_queue(
            to=registration.email,
            template="events/emails/registration_waitlisted",
            context={
                "registration": registration,
                "event": event,
                "position": getattr(registration, "waitlist_position", None)
                or registration_waitlist_position(registration=registration),
            },
            language=registration.language,
            dedupe_key=f"events:registration:{registration.pk}:waitlisted",
        )


def _promote_from_waitlist(event: Event) -> list[Registration]:
    """Confirm waitlisted registrations (first come, first served) while seats are free.

    Only while the event is published and has not started: a seat freed during or after the
    event (a staff cancel) must not send anyone a ticket for an event that is running or over.

    Precondition: the caller holds the lock on ``event`` (``_locked_event``).
    """
    if event.status != Event.Status.PUBLISHED or event.starts_at <= timezone.now():
        return []
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    free = event.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .select_related("event")
        .order_by("created_at", "id")[:free]
    )
    if not promoted:
        return []
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=Registration.Status.CONFIRMED, confirmed_at=now, updated_at=now
    )
    from .tickets import ticket_attachments

    for registration in promoted:
        registration.status, registration.confirmed_at = Registration.Status.CONFIRMED, now
        email_queue(
            to=registration.email,
            template="events/emails/registration_promoted",
            context={"registration": registration, "event": event},
            language=registration.language,
            attachments=ticket_attachments(registration=registration),
            dedupe_key=f"events:registration:{registration.pk}:promoted",
        )
    return promoted


def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Cancel a registration before the event starts; a freed seat goes to the first waitlisted.

    Idempotent: cancelling a cancelled registration returns it unchanged.
    """
    if not registration_can_manage(registration=registration, user=by):
        raise RegistrationError(_("이 신청을 취소할 권한이 없습니다."), "forbidden")
    if registration.event.starts_at <= timezone.now() and not (
        by.is_staff and by.has_perm("events.change_registration")
    ):
        raise RegistrationError(_("이미 시작한 행사의 신청은 취소할 수 없습니다."), "started")
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return current
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        current.event = event
        email_queue(
            to=current.email,
            template="events/emails/registration_cancelled",
            context={"registration": current, "event": event},
            language=current.language,
            dedupe_key=f"events:registration:{current.pk}:cancelled",
        )
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
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.full_clean(exclude=["kind", "series"])
        locked.save()
        if locked.status == Event.Status.PUBLISHED:
            _promote_from_waitlist(locked)
        changed = [field for field in NOTIFY_ON_CHANGE if before[field] != getattr(locked, field)]
        if changed and locked.status == Event.Status.PUBLISHED:
            from .ics import event_ics

            stamp = locked.updated_at.timestamp()
            for registration in Registration.objects.filter(event=locked, status__in=LIVE):
                email_queue(
                    to=registration.email,
                    template="events/emails/event_changed",
                    context={"registration": registration, "event": locked, "before": before},
                    language=registration.language,
                    attachments=(Attachment("event.ics", event_ics(event=locked), "text/calendar"),),
                    dedupe_key=f"events:event:{locked.pk}:changed:{stamp}:{registration.pk}",
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
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
        )
        from .ics import event_ics

        for registration in registrations:
            email_queue(
                to=registration.email,
                template="events/emails/event_cancelled",
                context={"registration": registration, "event": locked, "message": message},
                language=registration.language,
                attachments=(Attachment("event.ics", event_ics(event=locked), "text/calendar"),),
                dedupe_key=f"events:event:{locked.pk}:cancelled:{registration.pk}",
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
            queued = email_queue(
                to=registration.email,
                template="events/emails/event_message",
                context={"registration": registration, "event": event, "subject": subject, "body": body},
                language=registration.language,
                dedupe_key=f"events:event:{event.pk}:message:{digest}:{registration.pk}",
            )
            if queued is not None:
                count += 1
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
    updated = Registration.objects.filter(
        pk=registration.pk, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=timezone.now())
    registration.refresh_from_db(fields=["status", "checked_in_at"])
    if updated:
        return CheckInResult("checked_in", registration)
    if registration.status == Registration.Status.CANCELLED:
        return CheckInResult("cancelled", registration)
    if registration.status == Registration.Status.WAITLISTED:
        return CheckInResult("not_confirmed", registration)
    return CheckInResult("already_checked_in", registration)
