"""Staff screens of the meeting engine and the consultations: define the grid and its tables,
generate the slots, invite the confirmed registrants, plan the schedule from the accepted
requests, publish it, see the meetings and the conversion per event, and the companies' yearly
outcomes (programmes + consultation MOUs). On the day: the grid's board (slots × tables), where
staff move meetings and mark them done or no-show."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from magok.inputs import parse_int
from programs.models import OUTCOME_FIGURES, Outcome

from . import selectors
from .consultations import consultation_schedule_plan, participants_invite
from .forms import MeetingMoveForm
from .models import (
    ConsultationOutcome,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    Participant,
    Slot,
    Table,
    Unavailability,
)
from .services import MeetingError, grid_slots_generate, meeting_cancel, meeting_mark, meeting_move, schedule_publish


def _board_url(grid_id: int, meeting_id: int | None = None) -> str:
    url = reverse("admin:meetings_meetinggrid_board", args=[grid_id])
    return f"{url}#meeting-{meeting_id}" if meeting_id else url


class TableInline(admin.TabularInline):
    model = Table
    extra = 0
    fields = ["name", "company", "order"]
    autocomplete_fields = ["company"]


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0
    fields = ["starts_at", "ends_at"]
    readonly_fields = ["starts_at", "ends_at"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # slots come from the grid's definition (action "시간대 만들기")


@admin.register(MeetingGrid)
class MeetingGridAdmin(admin.ModelAdmin):
    list_display = ["event", "kind", "first_start", "slot_minutes", "request_deadline", "published_at", "links"]
    list_filter = ["kind"]
    search_fields = ["event__title_ko"]
    autocomplete_fields = ["event"]
    readonly_fields = ["published_at", "links"]
    inlines = [TableInline, SlotInline]
    actions = ["generate_slots", "invite_participants", "plan_schedule", "replan_schedule", "publish"]
    fields = [
        "event",
        "kind",
        "slot_minutes",
        "first_start",
        "last_start",
        "breaks",
        "request_deadline",
        "max_meetings_per_participant",
        "is_open",
        "published_at",
        "links",
    ]

    def has_plan_schedule_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("meetings.plan_schedule")

    def has_publish_schedule_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("meetings.publish_schedule")

    @admin.display(description=_("보기"))
    def links(self, grid: MeetingGrid) -> str:
        if not grid.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            _board_url(grid.pk),
            gettext("현장 보드"),
            reverse("admin:meetings_meetinggrid_conversion", args=[grid.pk]),
            gettext("상담 성과"),
            reverse("admin:meetings_meeting_changelist") + f"?grid__id__exact={grid.pk}",
            gettext("미팅 목록"),
        )

    def save_model(self, request: HttpRequest, obj: MeetingGrid, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        try:
            slots = grid_slots_generate(grid=obj, by=request.user)  # type: ignore[arg-type]
        except MeetingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, gettext("시간대 %(n)d개") % {"n": len(slots)}, messages.INFO)

    @admin.action(description=_("시간대 다시 만들기 (정의대로)"), permissions=["change"])
    def generate_slots(self, request: HttpRequest, queryset: QuerySet[MeetingGrid]) -> None:
        for grid in queryset:
            try:
                slots = grid_slots_generate(grid=grid, by=request.user)  # type: ignore[arg-type]
            except MeetingError as error:
                self.message_user(request, f"{grid}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, gettext("%(grid)s: 시간대 %(n)d개") % {"grid": grid, "n": len(slots)})

    def _plan(self, request: HttpRequest, queryset: QuerySet[MeetingGrid], *, replan: bool) -> None:
        for grid in queryset:
            try:
                report = consultation_schedule_plan(grid=grid, replan=replan, by=request.user)  # type: ignore[arg-type]
            except MeetingError as error:
                self.message_user(request, f"{grid}: {error.message}", messages.ERROR)
                continue
            self.message_user(request, f"{grid}: {report.summary()}", messages.SUCCESS)
            for key, _code, message in report.unplaced[:20]:
                request_id = parse_int(key.partition(":")[2])
                self.message_user(request, f"{key} (#{request_id}): {message}", messages.WARNING)

    @admin.action(description=_("미팅 일정 자동 배정 (배정된 미팅 유지)"), permissions=["plan_schedule"])
    def plan_schedule(self, request: HttpRequest, queryset: QuerySet[MeetingGrid]) -> None:
        self._plan(request, queryset, replan=False)

    @admin.action(description=_("미팅 일정 다시 배정 (자동 배정분 모두 다시)"), permissions=["plan_schedule"])
    def replan_schedule(self, request: HttpRequest, queryset: QuerySet[MeetingGrid]) -> None:
        self._plan(request, queryset, replan=True)

    @admin.action(description=_("미팅 일정 공개하고 참가자에게 발송"), permissions=["publish_schedule"])
    def publish(self, request: HttpRequest, queryset: QuerySet[MeetingGrid]) -> None:
        for grid in queryset:
            queued = schedule_publish(grid=grid, by=request.user)  # type: ignore[arg-type]
            self.message_user(request, gettext("%(grid)s: 일정 이메일 %(n)d통") % {"grid": grid, "n": queued})

    # Like publishing, it e-mails people on the grid's behalf: the same permission.
    @admin.action(description=_("참가 확정자에게 상담회 참여 안내 발송"), permissions=["publish_schedule"])
    def invite_participants(self, request: HttpRequest, queryset: QuerySet[MeetingGrid]) -> None:
        for grid in queryset:
            try:
                report = participants_invite(grid=grid, by=request.user)  # type: ignore[arg-type]
            except MeetingError as error:
                self.message_user(request, f"{grid}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{grid}: {report.summary()}", messages.SUCCESS)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/conversion/",
                self.admin_site.admin_view(self.conversion_view),
                name="meetings_meetinggrid_conversion",
            ),
            path(
                "<int:pk>/board/",
                self.admin_site.admin_view(self.board_view),
                name="meetings_meetinggrid_board",
            ),
            path(
                "outcomes/",
                self.admin_site.admin_view(self.outcomes_view),
                name="meetings_meetinggrid_outcomes",
            ),
            *super().get_urls(),
        ]

    def board_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The day's board: slots × tables with each live meeting, its sides and state; links to
        move it and buttons to mark it (for staff who may change meetings)."""
        user = request.user
        if not (user.has_perm("meetings.view_meeting") or user.has_perm("meetings.change_meeting")):
            raise PermissionDenied
        grid = get_object_or_404(MeetingGrid.objects.select_related("event"), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("현장 보드"),
            "grid": grid,
            "board": selectors.grid_board(grid=grid),
            "can_change": user.has_perm("meetings.change_meeting"),
            "states": Meeting.State,
        }
        return TemplateResponse(request, "admin/meetings/meetinggrid/board.html", context)

    def conversion_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        grid = get_object_or_404(self.get_queryset(request).select_related("event"), pk=pk)
        if not self.has_view_permission(request, grid):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("상담회 성과"),
            "grid": grid,
            "conversion": selectors.consultation_conversion(grid=grid),
        }
        return TemplateResponse(request, "admin/meetings/meetinggrid/conversion.html", context)

    def outcomes_view(self, request: HttpRequest) -> HttpResponse:
        """Per company and year: programmes' figures next to consultation MOUs."""
        if not (self.has_view_permission(request) and request.user.has_perm("programs.view_outcome")):
            raise PermissionDenied
        year = parse_int(request.GET.get("year"), minimum=2000, maximum=2100)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("기업별 연도 성과 (지원사업 + 상담회)"),
            "rows": selectors.company_outcomes_by_year(year=year),
            "year": year,
            "figures": [
                (name, getattr(Outcome._meta.get_field(name), "verbose_name", name)) for name in OUTCOME_FIGURES
            ],
        }
        return TemplateResponse(request, "admin/meetings/meetinggrid/outcomes.html", context)


class SeatInline(admin.TabularInline):
    model = MeetingSeat
    extra = 0
    fields = ["participant", "slot", "is_live"]
    readonly_fields = ["participant", "slot", "is_live"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Meetings are placed, moved and cancelled through the services (the grid lock); the admin
    shows them and cancels."""

    list_display = ["slot", "table", "kind", "state", "sides", "demand_key", "grid"]
    list_filter = ["grid", "kind", "state"]
    list_select_related = ["slot", "table", "grid__event"]
    readonly_fields = [
        "on_the_day",
        "grid",
        "slot",
        "table",
        "kind",
        "state",
        "demand_key",
        "created_by",
        "updated_by",
        "cancelled_at",
        "created_at",
        "updated_at",
    ]
    fields = [*readonly_fields, "note"]
    inlines = [SeatInline]
    actions = ["cancel_meetings"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        return super().get_queryset(request).prefetch_related("seats__participant")

    @admin.display(description=_("참석하는 참가자"))
    def sides(self, meeting: Meeting) -> str:
        return ", ".join(str(seat.participant) for seat in meeting.seats.all())

    @admin.display(description=_("현장"))
    def on_the_day(self, meeting: Meeting) -> str:
        if not meeting.pk:
            return "–"
        board = format_html('<a href="{}">{}</a>', _board_url(meeting.grid_id, meeting.pk), gettext("현장 보드"))
        if not meeting.is_live:
            return board
        move = reverse("admin:meetings_meeting_move", args=[meeting.pk])
        return format_html('<a href="{}">{}</a> · {}', move, gettext("옮기기"), board)

    def get_urls(self) -> list[Any]:
        return [
            path("<int:pk>/move/", self.admin_site.admin_view(self.move_view), name="meetings_meeting_move"),
            path("<int:pk>/mark/", self.admin_site.admin_view(self.mark_view), name="meetings_meeting_mark"),
            *super().get_urls(),
        ]

    def move_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        """Move one meeting to a free (slot, table); both sides are told once published."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("slot", "table", "grid__event"), pk=pk)
        here = reverse("admin:meetings_meeting_move", args=[meeting.pk])
        if not meeting.is_live:
            self.message_user(request, gettext("취소된 미팅입니다."), messages.ERROR)
            return redirect(_board_url(meeting.grid_id))
        options = selectors.meeting_move_options(meeting=meeting)
        form = MeetingMoveForm(request.POST or None, meeting=meeting, options=options)
        if request.method == "POST" and form.is_valid():
            slot, table = form.cleaned_data["target"]
            try:
                moved = meeting_move(meeting=meeting, slot=slot, table=table, by=request.user)  # type: ignore[arg-type]
            except MeetingError as error:
                # Taken since the page was drawn (or the meeting was cancelled): nothing changed.
                self.message_user(request, error.message, messages.ERROR)
                return redirect(here)
            self.message_user(
                request,
                gettext("미팅을 %(slot)s, %(table)s(으)로 옮겼습니다.")
                % {"slot": moved.slot, "table": moved.table.name},
                messages.SUCCESS,
            )
            return redirect(_board_url(meeting.grid_id, meeting.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("미팅 옮기기"),
            "meeting": meeting,
            "sides": [seat.participant for seat in meeting.seats.select_related("participant").order_by("pk")],
            "form": form,
            "has_options": bool(options),
            "board_url": _board_url(meeting.grid_id, meeting.pk),
        }
        return TemplateResponse(request, "admin/meetings/meeting/move.html", context)

    def mark_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        """POST ``state``: done, no-show, or back to scheduled; back to the board."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting, pk=pk)
        state = request.POST.get("state", "")
        try:
            meeting = meeting_mark(meeting=meeting, state=state, by=request.user)  # type: ignore[arg-type]
        except MeetingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("%(meeting)s: %(state)s(으)로 표시했습니다.")
                % {"meeting": meeting, "state": meeting.get_state_display()},
                messages.SUCCESS,
            )
        return redirect(_board_url(meeting.grid_id, meeting.pk))

    @admin.action(description=_("선택한 미팅 취소 (양쪽에 안내)"), permissions=["change"])
    def cancel_meetings(self, request: HttpRequest, queryset: QuerySet[Meeting]) -> None:
        done = 0
        for meeting in queryset.exclude(state=Meeting.State.CANCELLED):
            meeting_cancel(meeting=meeting, by=request.user)  # type: ignore[arg-type]
            done += 1
        self.message_user(request, gettext("미팅 %(n)d건을 취소했습니다.") % {"n": done})


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["display_name", "organization", "role", "company", "grid", "is_visible"]
    list_filter = ["grid", "role", "is_visible"]
    search_fields = ["display_name", "organization", "email", "offers_keywords", "seeks_keywords"]
    autocomplete_fields = ["user", "company"]
    raw_id_fields = ["registration"]
    filter_horizontal = ["offers_sectors", "seeks_sectors"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["slot", "participant", "table"]
    list_filter = ["slot__grid"]
    raw_id_fields = ["participant", "table", "slot"]


class OutcomeInline(admin.TabularInline):
    model = ConsultationOutcome
    extra = 0
    fields = ["participant", "result", "occurred_on", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    raw_id_fields = ["participant"]


class AwaitingPlacementFilter(admin.SimpleListFilter):
    """Accepted requests waiting for the staff's batch plan (the staff home links here)."""

    title = _("일정 배정")
    parameter_name = "awaiting"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("배정 대기"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[MeetingRequest]) -> QuerySet[MeetingRequest]:
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=selectors.requests_awaiting_placement(now=timezone.now()).values("pk"))


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "state", "grid", "created_at", "decided_at"]
    list_filter = [AwaitingPlacementFilter, "grid", "state"]
    search_fields = [
        "sender__display_name",
        "recipient__display_name",
        "sender__organization",
        "recipient__organization",
    ]
    raw_id_fields = ["sender", "recipient"]
    readonly_fields = ["decided_at", "created_at", "updated_at"]
    inlines = [OutcomeInline]


@admin.register(ConsultationOutcome)
class ConsultationOutcomeAdmin(admin.ModelAdmin):
    list_display = ["request", "participant", "result", "occurred_on"]
    list_filter = ["result", "request__grid"]
    raw_id_fields = ["request", "participant"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]
