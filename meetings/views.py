from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from magok.http import AuthenticatedRequest

from . import selectors
from .ics import participant_schedule_ics
from .models import MeetingGrid, Participant


def _own_participant(request: AuthenticatedRequest, grid_id: int) -> Participant:
    """The user's participant row on the grid; anyone else's answers 404."""
    grid = get_object_or_404(MeetingGrid.objects.select_related("event"), pk=grid_id)
    participant = selectors.participant_for_user(grid=grid, user=request.user)
    if participant is None:
        raise Http404
    return participant


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
    body = participant_schedule_ics(
        participant=participant, meetings=selectors.participant_meetings(participant=participant)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="magok-meetings-{grid_id}.ics"'
    return response
