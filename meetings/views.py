"""Pages of the business consultations and the personal schedule. Every page is the signed-in
participant's own; another participant's requests and schedules answer 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Registration
from events.selectors import event_visible_queryset
from magok.http import AuthenticatedRequest
from magok.inputs import parse_text

from . import selectors
from .consultations import (
    confirmed_registration,
    consultation_outcome_record,
    latest_registration,
    meeting_request_create,
    meeting_request_decide,
    meeting_request_withdraw,
    participant_profile_save,
    participation_refusal,
    profile_initial,
    registration_refusal,
)
from .forms import OutcomeForm, ProfileForm, RequestForm
from .ics import participant_schedule_ics
from .models import MeetingGrid, MeetingRequest, Participant
from .services import MeetingError


def _grid(grid_id: int) -> MeetingGrid:
    return get_object_or_404(MeetingGrid.objects.select_related("event"), pk=grid_id)


def _own_participant(request: AuthenticatedRequest, grid_id: int) -> Participant:
    """The user's participant row on the grid; without one the page does not exist for them."""
    participant = selectors.participant_for_user(grid=_grid(grid_id), user=request.user)
    if participant is None:
        raise Http404
    return participant


def _own_request(request: AuthenticatedRequest, pk: int) -> MeetingRequest:
    return get_object_or_404(selectors.request_own_queryset(user=request.user), pk=pk)


@login_required
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The consultation sessions the user takes part in or may join (confirmed for the event), and
    open ones they registered for but cannot join yet, with the reason (waitlisted, unconfirmed)."""
    now = timezone.now()
    grids = MeetingGrid.objects.filter(event__ends_at__gte=now - timedelta(days=180)).select_related("event")
    rows: list[dict[str, Any]] = []
    for grid in grids.order_by("first_start"):
        participant = selectors.participant_for_user(grid=grid, user=request.user)
        if participant is not None:
            rows.append({"grid": grid, "participant": participant})
            continue
        if not grid.requests_open(now):
            continue
        if confirmed_registration(grid=grid, user=request.user) is not None:
            rows.append({"grid": grid, "participant": None})
            continue
        registration = latest_registration(grid=grid, user=request.user)
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            rows.append({"grid": grid, "refusal": registration_refusal(registration, user=request.user)})
    return render(request, "meetings/index.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest, grid_id: int) -> HttpResponse:
    grid = _grid(grid_id)
    participant = selectors.participant_for_user(grid=grid, user=request.user)
    if participant is None:
        if not event_visible_queryset(user=request.user).filter(pk=grid.event_id).exists():
            raise Http404
        refusal = participation_refusal(grid=grid, user=request.user)
        if refusal is not None:
            # Say why (the usual case: registered with another address), not a bare 404.
            return render(request, "meetings/not_participant.html", {"grid": grid, "refusal": refusal}, status=403)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                participant_profile_save(grid=grid, user=request.user, data=form.profile_data())
            except MeetingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("상담회 프로필을 저장했습니다."))
                return redirect("meetings:participants", grid_id=grid.pk)
    elif participant is not None:
        form = ProfileForm(
            initial={
                "display_name": participant.display_name,
                "organization": participant.organization,
                "role": participant.role,
                "offers_keywords": participant.offers_keywords,
                "seeks_keywords": participant.seeks_keywords,
                "offers_sectors": list(participant.offers_sectors.all()),
                "seeks_sectors": list(participant.seeks_sectors.all()),
                "introduction": participant.introduction,
                "is_visible": participant.is_visible,
            }
        )
    else:
        data = profile_initial(grid=grid, user=request.user)
        form = ProfileForm(initial={**data.__dict__, "offers_sectors": list(data.offers_sectors)})
    return render(request, "meetings/profile.html", {"grid": grid, "form": form, "participant": participant})


@login_required
@require_GET
def participants(request: AuthenticatedRequest, grid_id: int) -> HttpResponse:
    participant = _own_participant(request, grid_id)
    query = parse_text(request.GET.get("q"), max_length=100) or ""
    context: dict[str, Any] = {
        "participant": participant,
        "grid": participant.grid,
        "query": query,
        "results": selectors.participants_browse(grid=participant.grid, viewer=participant, query=query),
        "suggestions": selectors.consultation_suggestions(viewer=participant),
        "request_form": RequestForm(),
    }
    return render(request, "meetings/participants.html", context)


@login_required
@require_POST
def request_create(request: AuthenticatedRequest, grid_id: int, pk: int) -> HttpResponse:
    participant = _own_participant(request, grid_id)
    recipient = get_object_or_404(Participant, grid=participant.grid, pk=pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("메시지는 500자까지 쓸 수 있습니다."))
        return redirect("meetings:participants", grid_id=grid_id)
    try:
        meeting_request_create(
            sender=participant, recipient=recipient, message=form.cleaned_data["message"], by=request.user
        )
    except MeetingError as error:
        messages.error(request, error.message)
        return redirect("meetings:participants", grid_id=grid_id)
    messages.success(request, _("%(name)s 님에게 미팅을 신청했습니다.") % {"name": recipient.display_name})
    return redirect("meetings:requests", grid_id=grid_id)


@login_required
@require_GET
def requests(request: AuthenticatedRequest, grid_id: int) -> HttpResponse:
    participant = _own_participant(request, grid_id)
    received, sent = selectors.requests_of(participant=participant)
    for item in received + sent:
        # The outcome this participant recorded (the other side's is theirs to see).
        item.my_outcome = next((o for o in item.outcomes.all() if o.participant_id == participant.pk), None)  # type: ignore[attr-defined]
    started = participant.grid.event.starts_at <= timezone.now()
    return render(
        request,
        "meetings/requests.html",
        {
            "participant": participant,
            "grid": participant.grid,
            "received": received,
            "sent": sent,
            "outcome_form": OutcomeForm(),
            "started": started,
        },
    )


@login_required
@require_POST
def request_decide(request: AuthenticatedRequest, pk: int, decision: str) -> HttpResponse:
    meeting_request = _own_request(request, pk)
    try:
        if decision == "withdraw":
            meeting_request_withdraw(request=meeting_request, by=request.user)
            messages.success(request, _("미팅 신청을 철회했습니다."))
        else:
            _request, meeting = meeting_request_decide(
                request=meeting_request, accept=decision == "accept", by=request.user
            )
            if decision != "accept":
                messages.success(request, _("미팅 신청을 거절했습니다."))
            elif meeting is not None:
                messages.success(
                    request,
                    _("수락했습니다. 미팅이 %(slot)s, %(table)s에 배정되었습니다.")
                    % {"slot": meeting.slot, "table": meeting.table},
                )
            else:
                messages.success(request, _("수락했습니다. 빈 시간대가 없어 SBA가 일정을 배정하면 알려 드립니다."))
    except MeetingError as error:
        messages.error(request, error.message)
    return redirect("meetings:requests", grid_id=meeting_request.grid_id)


@login_required
@require_POST
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting_request = _own_request(request, pk)
    participant = selectors.participant_for_user(grid=meeting_request.grid, user=request.user)
    form = OutcomeForm(request.POST)
    if participant is None or not form.is_valid():
        messages.error(request, _("결과와 일자를 확인해 주세요."))
        return redirect("meetings:requests", grid_id=meeting_request.grid_id)
    try:
        consultation_outcome_record(
            request=meeting_request,
            participant=participant,
            result=form.cleaned_data["result"],
            occurred_on=form.cleaned_data["occurred_on"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except MeetingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("상담 결과를 기록했습니다."))
    return redirect("meetings:requests", grid_id=meeting_request.grid_id)


@login_required
@require_GET
def schedule(request: AuthenticatedRequest, grid_id: int) -> HttpResponse:
    participant = _own_participant(request, grid_id)
    meetings = selectors.participant_meetings(participant=participant)
    return render(
        request,
        "meetings/schedule.html",
        {"participant": participant, "grid": participant.grid, "event": participant.grid.event, "meetings": meetings},
    )


@login_required
@require_GET
def schedule_ics(request: AuthenticatedRequest, grid_id: int) -> HttpResponse:
    participant = _own_participant(request, grid_id)
    meetings = selectors.participant_meetings(participant=participant)
    response = HttpResponse(
        participant_schedule_ics(participant=participant, meetings=meetings),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="magok-meetings-{grid_id}.ics"'
    return response
