"""Writes of the business consultations (비즈니스 상담회): profiles, meeting requests, accepting
(which places the meeting at once when a slot is free, else leaves it to the batch planner),
outcomes, and planning the grid from the accepted requests.

Who takes part: confirmed registrants of the event (tenant members, or people who registered on
the public path and have an account with the registered address). ``participants_invite`` tells
each of them how, with a link to sign up with that address when there is no account yet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Sector
from events.models import Registration
from notifications.services import email_queue

from .models import ConsultationOutcome, Meeting, MeetingGrid, MeetingKind, MeetingRequest, Participant
from .services import DemandSpec, MeetingError, PlanReport, _locked_grid, schedule_plan


@dataclass(frozen=True)
class ProfileData:
    display_name: str
    organization: str
    role: str
    is_visible: bool
    offers_keywords: str
    seeks_keywords: str
    offers_sectors: Sequence[Sector] = ()
    seeks_sectors: Sequence[Sector] = ()
    introduction: str = ""


def confirmed_registration(*, grid: MeetingGrid, user: User) -> Registration | None:
    """The user's confirmed registration for the grid's event: their own (linked to the account)
    or one made for their address (a colleague's, or the public path)."""
    return (
        Registration.objects.filter(event_id=grid.event_id, status=Registration.Status.CONFIRMED)
        .filter(Q(user=user) | Q(email=user.email.strip().lower()))
        .order_by("-user_id", "pk")
        .first()
    )


def latest_registration(*, grid: MeetingGrid, user: User) -> Registration | None:
    """The user's most recent registration for the grid's event in any status, their own or one
    made for their address (erased ones left out)."""
    return (
        Registration.objects.filter(event_id=grid.event_id, erased_at__isnull=True)
        .filter(Q(user=user) | Q(email=user.email.strip().lower()))
        .order_by("-created_at", "-pk")
        .first()
    )


def registration_refusal(registration: Registration | None, *, user: User) -> str:
    """Why a registration in this state (or none at all) does not let ``user`` take part."""
    status = registration.status if registration is not None else None
    if status == Registration.Status.WAITLISTED:
        return _("이 행사에 대기자로 접수되어 있습니다. 참가가 확정되면 상담회에 참여할 수 있습니다.")
    if status == Registration.Status.PENDING:
        return _("참가 신청의 이메일 확인이 끝나지 않았습니다. 신청 확인 메일의 링크를 열어 주세요.")
    if status == Registration.Status.CANCELLED:
        return _("이 행사의 참가 신청이 취소되어 상담회에 참여할 수 없습니다.")
    return _(
        "%(email)s 주소로 이 행사에 참가가 확정된 신청이 없습니다. 상담회에는 참가가 확정된 분만 참여할 수 "
        "있습니다. 다른 이메일 주소로 신청했다면 그 주소로 가입하거나 로그인해 주세요."
    ) % {"email": user.email}


def participation_refusal(*, grid: MeetingGrid, user: User) -> str | None:
    """Why ``user`` cannot take part in the consultations of ``grid``, for the pages to say so
    instead of a bare 404; None when they can (a profile already, or a confirmed registration
    while the grid takes requests)."""
    if Participant.objects.filter(grid=grid, user=user).exists():
        return None
    if confirmed_registration(grid=grid, user=user) is not None:
        return None if grid.requests_open(timezone.now()) else _("미팅 신청이 마감되었습니다.")
    return registration_refusal(latest_registration(grid=grid, user=user), user=user)


def profile_initial(*, grid: MeetingGrid, user: User) -> ProfileData:
    """A new profile pre-filled from the user's company profile, where there is one."""
    company = user.company
    registration = confirmed_registration(grid=grid, user=user)
    name = (registration.attendee_name if registration else "") or user.name or user.email
    if company is None:
        return ProfileData(
            display_name=name,
            organization="",
            role=Participant.Role.OTHER,
            is_visible=True,
            offers_keywords="",
            seeks_keywords="",
        )
    return ProfileData(
        display_name=name,
        organization=company.name_ko,
        role=Participant.Role.COMPANY,
        is_visible=True,
        offers_keywords=company.keywords,
        seeks_keywords="",
        offers_sectors=list(company.sectors.all()),
        introduction=company.description_ko[:2000],
    )


@transaction.atomic
def participant_profile_save(*, grid: MeetingGrid, user: User, data: ProfileData) -> Participant:
    """Create or update the user's consultation profile on ``grid``. Only confirmed registrants
    of the event take part, and only while the grid takes requests."""
    if not grid.requests_open(timezone.now()):
        raise MeetingError(_("미팅 신청이 마감되었습니다."), "requests_closed")
    registration = confirmed_registration(grid=grid, user=user)
    if registration is None:
        raise MeetingError(_("이 행사에 참가가 확정된 분만 상담회 프로필을 만들 수 있습니다."), "not_participant")
    participant = Participant.objects.filter(grid=grid, user=user).first() or Participant(grid=grid, user=user)
    participant.registration = registration
    participant.company = user.company
    participant.email = user.email
    participant.language = user.language or "ko"
    participant.display_name = data.display_name.strip()[:100] or user.name or user.email
    participant.organization = data.organization.strip()[:200]
    participant.role = data.role
    participant.is_visible = data.is_visible
    participant.offers_keywords = _normalise_keywords(data.offers_keywords)
    participant.seeks_keywords = _normalise_keywords(data.seeks_keywords)
    participant.introduction = data.introduction[:2000]
    participant.save()
    participant.offers_sectors.set(data.offers_sectors)
    participant.seeks_sectors.set(data.seeks_sectors)
    return participant


def _normalise_keywords(text: str) -> str:
    seen: dict[str, str] = {}
    for word in Participant.split_keywords(text.replace("，", ",").replace("、", ",")):
        seen.setdefault(word.casefold(), word[:60])
    return ", ".join(seen.values())[:500]


@transaction.atomic
def meeting_request_create(*, sender: Participant, recipient: Participant, message: str, by: User) -> MeetingRequest:
    """Ask ``recipient`` for a consultation. Refused: to oneself, to a hidden participant or one of
    another grid, twice between the same two (either direction), after the request deadline."""
    grid = sender.grid
    if sender.user_id != by.pk:
        raise MeetingError(_("본인의 프로필로만 미팅을 신청할 수 있습니다."), "forbidden")
    if sender.pk == recipient.pk:
        raise MeetingError(_("자기 자신에게는 미팅을 신청할 수 없습니다."), "self_request")
    if recipient.grid_id != grid.pk or not recipient.is_visible:
        raise MeetingError(_("미팅을 신청할 수 없는 참가자입니다."), "not_visible")
    if not grid.requests_open(timezone.now()):
        raise MeetingError(_("미팅 신청이 마감되었습니다."), "requests_closed")
    duplicate = MeetingRequest.objects.filter(
        Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender),
        state__in=[MeetingRequest.State.PENDING, MeetingRequest.State.ACCEPTED],
    ).first()
    if duplicate is not None:
        if duplicate.sender_id == sender.pk:
            text = _("%(name)s 님에게 이미 미팅을 신청했습니다.") % {"name": recipient.display_name}
        else:
            text = _("%(name)s 님이 이미 미팅을 신청했습니다. 받은 신청에서 수락해 주세요.") % {
                "name": recipient.display_name
            }
        raise MeetingError(text, "request_duplicate")
    try:
        with transaction.atomic():
            return MeetingRequest.objects.create(grid=grid, sender=sender, recipient=recipient, message=message[:500])
    except IntegrityError as error:
        # Another request between the two was written meanwhile (request_one_live_per_pair).
        raise MeetingError(_("두 참가자 사이에 이미 미팅 신청이 있습니다."), "request_duplicate") from error


def _request_demand(request: MeetingRequest) -> DemandSpec:
    return DemandSpec(
        key=request.demand_key,
        participant_ids=(request.sender_id, request.recipient_id),
        kind=MeetingKind.CONSULTATION,
    )


@transaction.atomic
def meeting_request_decide(*, request: MeetingRequest, accept: bool, by: User) -> tuple[MeetingRequest, Meeting | None]:
    """The recipient accepts or declines. An accepted request is placed at once in the first slot
    where both sides and a table are free (under the grid lock, like every placement); when none
    is, it waits for the staff's batch plan. Returns the request and the meeting, if placed."""
    grid = _locked_grid(request.grid_id)
    request = MeetingRequest.objects.select_for_update().select_related("recipient", "sender").get(pk=request.pk)
    if request.recipient.user_id != by.pk:
        raise MeetingError(_("받은 미팅 신청에만 응답할 수 있습니다."), "forbidden")
    if request.state != MeetingRequest.State.PENDING:
        raise MeetingError(_("이미 응답한 미팅 신청입니다."), "already_decided")
    if not grid.requests_open(timezone.now()):
        raise MeetingError(_("미팅 신청이 마감되었습니다."), "requests_closed")
    request.state = MeetingRequest.State.ACCEPTED if accept else MeetingRequest.State.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_at", "updated_at"])
    if not accept:
        return request, None
    report = schedule_plan(grid=grid, demands=[_request_demand(request)], by=by)
    return request, (report.placed[0] if report.placed else None)


@transaction.atomic
def meeting_request_withdraw(*, request: MeetingRequest, by: User) -> MeetingRequest:
    """The sender withdraws a pending request."""
    request = MeetingRequest.objects.select_for_update().select_related("sender").get(pk=request.pk)
    if request.sender.user_id != by.pk:
        raise MeetingError(_("보낸 미팅 신청만 철회할 수 있습니다."), "forbidden")
    if request.state != MeetingRequest.State.PENDING:
        raise MeetingError(_("이미 응답한 미팅 신청입니다."), "already_decided")
    request.state = MeetingRequest.State.WITHDRAWN
    request.save(update_fields=["state", "updated_at"])
    return request


def consultation_schedule_plan(*, grid: MeetingGrid, replan: bool = False, by: User | None) -> PlanReport:
    """Staff's batch plan: every accepted request of the grid, as ``schedule_plan`` demands."""
    accepted = MeetingRequest.objects.filter(grid=grid, state=MeetingRequest.State.ACCEPTED).order_by(
        "created_at", "pk"
    )
    return schedule_plan(grid=grid, demands=[_request_demand(r) for r in accepted], replan=replan, by=by)


@transaction.atomic
def consultation_outcome_record(
    *,
    request: MeetingRequest,
    participant: Participant,
    result: str,
    occurred_on: date | None,
    note: str,
    by: User,
) -> ConsultationOutcome:
    """One side records (or corrects) what came of an accepted consultation, once the event has
    started. A signed MOU needs its date."""
    if participant.user_id != by.pk or participant.pk not in (request.sender_id, request.recipient_id):
        raise MeetingError(_("참여한 상담의 결과만 기록할 수 있습니다."), "forbidden")
    if request.state != MeetingRequest.State.ACCEPTED:
        raise MeetingError(_("수락된 미팅만 결과를 기록할 수 있습니다."), "illegal_transition")
    if request.grid.event.starts_at > timezone.now():
        raise MeetingError(_("상담 결과는 행사가 시작된 뒤에 기록할 수 있습니다."), "outcome_too_early")
    if result not in ConsultationOutcome.Result.values:
        raise MeetingError(_("알 수 없는 결과입니다."), "invalid_answer")
    if result == ConsultationOutcome.Result.MOU_SIGNED and occurred_on is None:
        raise MeetingError(_("MOU 체결일을 적어 주세요."), "mou_date_required")
    outcome, _created = ConsultationOutcome.objects.update_or_create(
        request=request,
        participant=participant,
        defaults={"result": result, "occurred_on": occurred_on, "note": note[:500], "recorded_by": by},
    )
    return outcome


# --- Inviting the registrants -----------------------------------------------------------------


@dataclass(frozen=True)
class InviteReport:
    """What ``participants_invite`` did, counted in addresses."""

    queued: int  # invitations queued now
    already_invited: int  # invited before (the outbox's dedupe key): nothing sent again
    joined: int  # have a profile on the grid already: nothing to tell them
    without_account: int  # of those queued, how many got the sign-up link

    def summary(self) -> str:
        return _(
            "참여 안내 %(queued)d통 발송 (그중 가입 안내 %(signup)d통), 이미 안내한 주소 %(again)d개, "
            "이미 참여 중 %(joined)d명"
        ) % {
            "queued": self.queued,
            "signup": self.without_account,
            "again": self.already_invited,
            "joined": self.joined,
        }


def _invite_dedupe_key(grid: MeetingGrid, address: str) -> str:
    # A digest, not the address: the outbox keeps keys after a registrant's data is erased.
    return f"meetings:invite:{grid.pk}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


@transaction.atomic
def participants_invite(*, grid: MeetingGrid, by: User | None) -> InviteReport:
    """E-mail every confirmed registrant of the grid's event how to take part in the
    consultations: one e-mail per distinct address (several registrations with one address get
    one), in the language of its first registration, with a link to log in to the profile page,
    or, when no account has the address, to sign up with it and land there. Waitlisted, pending,
    cancelled and erased registrations get nothing, nor addresses that already have a profile.

    Safe to run again: an address invited before for this grid is not e-mailed twice (the
    outbox's dedupe key), so staff can re-run it after new confirmations. Refused on a grid
    that is not a consultation session or no longer takes requests. ``by`` is not recorded:
    like the other grid actions (planning, publishing) it leaves no audit entry."""
    grid = MeetingGrid.objects.select_related("event").get(pk=grid.pk)
    if grid.kind != MeetingKind.CONSULTATION:
        raise MeetingError(_("비즈니스 상담회에서만 참여 안내를 보낼 수 있습니다."), "not_consultation")
    if not grid.requests_open(timezone.now()):
        raise MeetingError(_("미팅 신청이 마감되었습니다."), "requests_closed")
    registrations = Registration.objects.filter(
        event_id=grid.event_id, status=Registration.Status.CONFIRMED, erased_at__isnull=True
    ).order_by("created_at", "pk")
    first_by_address: dict[str, Registration] = {}
    for registration in registrations:
        first_by_address.setdefault(registration.email.strip().lower(), registration)
    addresses = list(first_by_address)
    joined = {
        address
        for pair in Participant.objects.filter(grid=grid)
        .annotate(own=Lower("email"), registered=Lower("registration__email"))
        .values_list("own", "registered")
        for address in pair
        if address
    }
    with_account = set(
        User.objects.annotate(address=Lower("email")).filter(address__in=addresses).values_list("address", flat=True)
    )
    profile_path = reverse("meetings:profile", kwargs={"grid_id": grid.pk})
    queued = already = signup = 0
    for address, registration in first_by_address.items():
        if address in joined:
            continue
        has_account = address in with_account
        if has_account:
            link_path = f"{reverse('accounts:login')}?{urlencode({'next': profile_path})}"
        else:
            link_path = f"{reverse('accounts:signup')}?{urlencode({'email': address, 'next': profile_path})}"
        row = email_queue(
            to=address,
            template="meetings/emails/consultation_invite",
            context={
                "name": registration.attendee_name,
                "address": address,
                "grid": grid,
                "event": grid.event,
                "ends_at": grid.last_start + timedelta(minutes=grid.slot_minutes),
                "has_account": has_account,
                "link_path": link_path,
            },
            language=registration.language if registration.language in ("ko", "en") else "ko",
            dedupe_key=_invite_dedupe_key(grid, address),
        )
        if row is None:
            already += 1
            continue
        queued += 1
        signup += not has_account
    return InviteReport(
        queued=queued,
        already_invited=already,
        joined=len(joined & set(addresses)),
        without_account=signup,
    )
