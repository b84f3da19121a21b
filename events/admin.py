from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts.models import User
from audit.admin import AuditHistoryMixin
from magok.http import AuthenticatedRequest
from magok.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from notifications.services import EmailNotResendable

from . import selectors
from .exports import attendees_export_csv, attendees_export_xlsx
from .forms import AttendeeActionForm, EventCancelForm, EventMessageForm, StaffAttendeeForm
from .models import AgendaItem, Event, EventKind, EventReminder, EventSeries, Registration, Speaker
from .recurrence import series_generate
from .reminders import reminder_resend
from .services import (
    RegistrationError,
    event_cancel,
    event_duplicate,
    event_message_send,
    event_update,
    registration_cancel,
    registration_check_in,
    registration_check_in_undo,
    registration_promote,
    registration_restore,
    registration_staff_add,
    registration_ticket_resend,
)


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "slug", "reminder_offsets_hours", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name_en"]}
    search_fields = ["name_ko", "name_en", "slug"]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "speaker":
            event_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Speaker.objects.filter(event_id=event_id) if event_id else Speaker.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegistrationInline(admin.TabularInline):
    """Read-mostly: seats change through the services (the registration pages or the actions)."""

    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["attendee_name", "company", "email", "phone", "position", "status", "created_at", "checked_in_at"]
    readonly_fields = [
        "attendee_name",
        "company",
        "email",
        "phone",
        "position",
        "status",
        "created_at",
        "checked_in_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        return super().get_queryset(request).select_related("company")


@admin.register(Event)
class EventAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = [
        "title_ko",
        "kind",
        "starts_at",
        "status",
        "capacity",
        "confirmed",
        "waitlisted",
        "cancelled",
        "checked_in",
        "attendance_link",
    ]
    list_filter = ["status", "kind", "audience"]
    search_fields = ["title_ko", "title_en", "venue_ko"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    filter_horizontal = ["invited_companies"]
    inlines = [SpeakerInline, AgendaItemInline, RegistrationInline]
    actions = ["duplicate_events", "export_csv", "export_xlsx", "send_message", "cancel_events"]
    readonly_fields = ["links", "series", "occurrence_date", "created_at", "updated_at"]

    def has_view_registrations_permission(self, request: HttpRequest) -> bool:
        """The attendee lists are personal data: the right to see events is not enough."""
        return request.user.has_perm("events.view_registration")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "links",
                    "kind",
                    "title_ko",
                    "title_en",
                    "description_ko",
                    "description_en",
                    "format",
                    "status",
                ]
            },
        ),
        (_("일시·장소"), {"fields": ["starts_at", "ends_at", "venue_ko", "venue_en", "venue_address"]}),
        (
            _("문의처"),
            {
                "fields": ["contact_name", "contact_phone", "contact_email"],
                "description": _("비워 두면 SBA 마곡산업단지 지원팀이 문의처로 표시됩니다."),
            },
        ),
        (
            _("신청"),
            {
                "fields": [
                    "capacity",
                    "seat_cap_per_company",
                    "registration_opens_at",
                    "registration_closes_at",
                    "audience",
                    "invited_companies",
                ]
            },
        ),
        (_("반복 행사"), {"fields": ["series", "occurrence_date", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return (
            super()
            .get_queryset(request)
            .select_related("kind")
            .annotate(
                n_confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
                n_waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
                n_cancelled=Count("registrations", filter=Q(registrations__status=Registration.Status.CANCELLED)),
                n_checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
            )
        )

    @admin.display(description=_("바로가기"))
    def links(self, obj: Event) -> str:
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("행사 페이지"),
            reverse("admin:events_event_attendees", args=[obj.pk]),
            _("참가자 관리"),
            reverse("events:check_in", args=[obj.pk]),
            _("입장 확인 페이지"),
            reverse("admin:events_event_attendance", args=[obj.pk]),
            _("출석 현황"),
        )

    @admin.display(description=_("확정"), ordering="n_confirmed")
    def confirmed(self, obj: Event) -> int:
        return obj.n_confirmed  # type: ignore[attr-defined]

    @admin.display(description=_("대기"), ordering="n_waitlisted")
    def waitlisted(self, obj: Event) -> int:
        return obj.n_waitlisted  # type: ignore[attr-defined]

    @admin.display(description=_("취소"), ordering="n_cancelled")
    def cancelled(self, obj: Event) -> int:
        return obj.n_cancelled  # type: ignore[attr-defined]

    @admin.display(description=_("입장"), ordering="n_checked_in")
    def checked_in(self, obj: Event) -> int:
        return obj.n_checked_in  # type: ignore[attr-defined]

    @admin.display(description=_("출석률"))
    def attendance_link(self, obj: Event) -> str:
        confirmed = obj.n_confirmed  # type: ignore[attr-defined]
        rate = f"{obj.n_checked_in / confirmed:.0%}" if confirmed else "–"  # type: ignore[attr-defined]
        return format_html('<a href="{}">{}</a>', reverse("admin:events_event_attendance", args=[obj.pk]), rate)

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service: a capacity raise promotes from the waitlist, a new time or venue
        # is announced, setting "cancelled" notifies everyone.
        m2m = {f.name for f in Event._meta.many_to_many}
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name not in m2m}
        assert isinstance(request.user, User)  # the admin lets staff in only
        updated = event_update(event=Event.objects.get(pk=obj.pk), by=request.user, **changes)
        obj.__dict__.update({k: v for k, v in updated.__dict__.items() if not k.startswith("_")})

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RegistrationError as error:
            # The event stayed locked (a registration rush): the admin's transaction rolled back,
            # inlines included, so nothing changed. Back to the form with the reason.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.path)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/attendance/",
                self.admin_site.admin_view(self.attendance_view),
                name="events_event_attendance",
            ),
            path(
                "<int:pk>/attendees/",
                self.admin_site.admin_view(self.attendees_view),
                name="events_event_attendees",
            ),
            *super().get_urls(),
        ]

    def attendees_view(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        """Everyone registered, with their state and what staff can do for each: add someone on
        their behalf, cancel, restore, promote from the waitlist, resend the ticket, check in and
        undo a check-in. Every button calls an events service (capacity, cap and waitlist stay
        right; an override needs a reason and is recorded)."""
        event = get_object_or_404(Event.objects.select_related("kind"), pk=pk)
        if not self.has_view_registrations_permission(request):
            raise PermissionDenied
        may_change = request.user.has_perm("events.change_registration")
        add_form = StaffAttendeeForm()
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            if "add" in request.POST:
                add_form = StaffAttendeeForm(request.POST)
                if add_form.is_valid() and self._attendee_add(request, event, add_form):
                    return HttpResponseRedirect(request.path)
            else:
                self._attendee_action(request, event, AttendeeActionForm(request.POST))
                return HttpResponseRedirect(request.get_full_path())
        status = request.GET.get("status", "")
        registrations = selectors.event_attendees_for_staff(event=event, status=status)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("참가자 관리"),
            "event": event,
            "registrations": registrations,
            "counts": selectors.event_check_in_counts(event=event),
            "status": status,
            "statuses": Registration.Status.choices,
            "add_form": add_form,
            "may_change": may_change,
        }
        return TemplateResponse(request, "admin/events/event/attendees.html", context)

    def _attendee_add(self, request: AuthenticatedRequest, event: Event, form: StaffAttendeeForm) -> bool:
        try:
            registration = registration_staff_add(
                event=event,
                by=request.user,
                attendee=form.attendee(),
                company=form.cleaned_data["company"],
                check_in=form.cleaned_data["check_in"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
            return False
        self.message_user(
            request,
            _("%(name)s 님을 추가했습니다 (%(status)s%(checked_in)s).")
            % {
                "name": registration.attendee_name,
                "status": registration.get_status_display(),
                "checked_in": _(", 입장 확인") if registration.checked_in_at else "",
            },
            messages.SUCCESS,
        )
        return True

    def _attendee_action(self, request: AuthenticatedRequest, event: Event, form: AttendeeActionForm) -> None:
        if not form.is_valid():
            self.message_user(request, _("처리할 참가자를 알 수 없습니다."), messages.ERROR)
            return
        registration = get_object_or_404(
            Registration.objects.select_related("event", "company"), pk=form.cleaned_data["registration"], event=event
        )
        operation, reason = form.cleaned_data["operation"], form.cleaned_data["override_reason"]
        name = registration.attendee_name
        try:
            if operation == "cancel":
                registration_cancel(registration=registration, by=request.user)
                done = _("%(name)s 님의 신청을 취소했습니다.")
            elif operation == "restore":
                registration = registration_restore(registration=registration, by=request.user, override_reason=reason)
                done = _("%(name)s 님의 신청을 복원했습니다: %(status)s")
            elif operation == "promote":
                registration_promote(registration=registration, by=request.user, override_reason=reason)
                done = _("%(name)s 님을 참가 확정했습니다.")
            elif operation == "resend":
                registration_ticket_resend(registration=registration, by=request.user)
                done = _("%(name)s 님에게 티켓을 다시 보냈습니다.")
            elif operation == "check_in":
                outcome = registration_check_in(by=request.user, event=event, registration=registration)
                if outcome.status != "checked_in":
                    raise RegistrationError(str(_("입장 확인할 수 없는 신청입니다.")), outcome.status)
                done = _("%(name)s 님의 입장을 확인했습니다.")
            else:
                if not registration_check_in_undo(registration=registration, by=request.user):
                    raise RegistrationError(str(_("입장 확인되지 않은 신청입니다.")), "not_checked_in")
                done = _("%(name)s 님의 입장 확인을 취소했습니다.")
        except RegistrationError as error:
            self.message_user(request, f"{name}: {error.message}", messages.ERROR)
            return
        self.message_user(
            request, done % {"name": name, "status": registration.get_status_display()}, messages.SUCCESS
        )

    def attendance_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        rows = selectors.event_attendance_by_company(event=event)
        confirmed = sum(row["confirmed"] for row in rows)  # type: ignore[misc]
        checked_in = sum(row["checked_in"] for row in rows)  # type: ignore[misc]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("출석 현황"),
            "event": event,
            "rows": rows,
            "confirmed": confirmed,
            "checked_in": checked_in,
            "no_shows": confirmed - checked_in,
            "rate": (checked_in / confirmed) if confirmed else None,
        }
        return TemplateResponse(request, "admin/events/event/attendance.html", context)

    @admin.action(description=_("선택한 행사 복제 (작성 중 상태로)"), permissions=["add"])
    def duplicate_events(self, request: AuthenticatedRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset:
            event_duplicate(event=event, by=request.user)
        self.message_user(request, _("%(n)s개 행사를 복제했습니다.") % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("참가자 명단 내려받기 (CSV)"), permissions=["view_registrations"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        return HttpResponse(
            attendees_export_csv(events=queryset),
            content_type=CSV_CONTENT_TYPE,
            headers={"Content-Disposition": 'attachment; filename="attendees.csv"'},
        )

    @admin.action(description=_("참가자 명단 내려받기 (XLSX)"), permissions=["view_registrations"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        return HttpResponse(
            attendees_export_xlsx(events=queryset),
            content_type=XLSX_CONTENT_TYPE,
            headers={"Content-Disposition": 'attachment; filename="attendees.xlsx"'},
        )

    def _intermediate(
        self, request: HttpRequest, queryset: QuerySet[Event], form: Any, title: Any, action: str
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "events": queryset,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/action_form.html", context)

    @admin.action(description=_("확정 참가자 전원에게 메시지 보내기"), permissions=["change"])
    def send_message(self, request: AuthenticatedRequest, queryset: QuerySet[Event]) -> TemplateResponse | None:
        form = EventMessageForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            total = 0
            for event in queryset:
                total += event_message_send(
                    event=event,
                    by=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            self.message_user(request, _("%(n)s명에게 메시지를 보냈습니다.") % {"n": total}, messages.SUCCESS)
            return None
        return self._intermediate(request, queryset, form, _("확정 참가자에게 메시지 보내기"), "send_message")

    @admin.action(description=_("선택한 행사 취소 (신청자 전원에게 안내)"), permissions=["change"])
    def cancel_events(self, request: AuthenticatedRequest, queryset: QuerySet[Event]) -> TemplateResponse | None:
        form = EventCancelForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            cancelled = 0
            for event in queryset:
                try:
                    event_cancel(event=event, by=request.user, message=form.cleaned_data["message"])
                except RegistrationError as error:
                    self.message_user(request, f"{event}: {error.message}", messages.ERROR)
                else:
                    cancelled += 1
            self.message_user(request, _("%(n)s개 행사를 취소했습니다.") % {"n": cancelled}, messages.SUCCESS)
            return None
        return self._intermediate(request, queryset, form, _("행사 취소하기"), "cancel_events")


@admin.register(Registration)
class RegistrationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    # Pending: registered without an account, waiting for the e-mailed link; it holds a seat
    # until hold_expires_at (empty: no seat held).
    list_display = [
        "attendee_name",
        "event",
        "company",
        "email",
        "status",
        "hold_expires_at",
        "created_at",
        "checked_in_at",
    ]
    list_filter = ["status", "event__kind", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["attendee_name", "email", "company__name_ko", "event__title_ko", "ticket_code"]
    list_select_related = ["event", "company"]
    # Who, for which event and company, and the status are decided by the registration services
    # (capacity, waitlist and the per-company cap under the event lock); the change form may
    # only correct the attendee's contact details.
    readonly_fields = [
        "event",
        "user",
        "registered_by",
        "company",
        "email",
        "status",
        "confirmed_at",
        "hold_expires_at",
        "ticket_code",
        "consent_version",
        "consented_at",
        "cancelled_at",
        "checked_in_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Seats are only taken through the registration service (capacity under lock).
        return False


@admin.register(EventReminder)
class EventReminderAdmin(admin.ModelAdmin):
    list_display = ["due_at", "event", "registrant", "offset_hours", "status", "email_status", "email_attempts"]
    list_filter = ["status", "offset_hours", "email__status", "registration__event__kind"]
    search_fields = ["registration__email", "registration__attendee_name", "registration__event__title_ko"]
    date_hierarchy = "due_at"
    list_select_related = ["registration__event", "email"]
    readonly_fields = [
        "registration",
        "offset_hours",
        "due_at",
        "event_starts_at",
        "status",
        "email",
        "queued_at",
        "last_error",
        "created_at",
        "updated_at",
    ]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=pgettext_lazy("model", "행사"), ordering="registration__event__starts_at")
    def event(self, obj: EventReminder) -> str:
        return str(obj.registration.event)

    @admin.display(description=_("받는 사람"), ordering="registration__email")
    def registrant(self, obj: EventReminder) -> str:
        return f"{obj.registration.attendee_name} <{obj.registration.email}>"

    @admin.display(description=_("발송 상태"))
    def email_status(self, obj: EventReminder) -> str:
        return obj.email.get_status_display() if obj.email else "–"

    @admin.display(description=_("시도 횟수"))
    def email_attempts(self, obj: EventReminder) -> int | str:
        return obj.email.attempts if obj.email else "–"

    @admin.action(description=_("선택한 리마인더 다시 보내기"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[EventReminder]) -> None:
        done = busy = 0
        for reminder in queryset.select_related("email"):
            try:
                reminder_resend(reminder=reminder)
                done += 1
            except EmailNotResendable:
                busy += 1
        self.message_user(
            request,
            ngettext("%(count)d건을 다시 보내도록 했습니다.", "%(count)d건을 다시 보내도록 했습니다.", done)
            % {"count": done},
            messages.SUCCESS if not busy else messages.WARNING,
        )


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title_ko", "kind", "rule", "start_time", "months_ahead", "holiday_policy", "is_active"]
    list_filter = ["rule", "is_active", "kind"]
    actions = ["generate_now"]

    @admin.action(description=_("선택한 반복 행사의 회차를 지금 만들기"), permissions=["change"])
    def generate_now(self, request: HttpRequest, queryset: QuerySet[EventSeries]) -> None:
        created = sum(len(series_generate(series=series)) for series in queryset)
        self.message_user(
            request,
            ngettext("회차 %(count)d개를 만들었습니다.", "회차 %(count)d개를 만들었습니다.", created)
            % {"count": created},
            messages.SUCCESS,
        )
