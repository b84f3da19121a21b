from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from accounts.models import User
from magok.spreadsheets import formula_safe

from . import selectors
from .forms import EventCancelForm, EventMessageForm
from .models import AgendaItem, Event, EventKind, Registration, Speaker
from .services import event_cancel, event_duplicate, event_message_send, event_update


def _staff(request: HttpRequest) -> User:
    """The admin only lets staff in; this narrows the type for the services."""
    assert isinstance(request.user, User)
    return request.user


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


EXPORT_COLUMNS = [
    (_("이름"), "attendee_name"),
    (_("기업"), "company"),
    (_("이메일"), "email"),
    (_("전화번호"), "phone"),
    (_("직위"), "position"),
    (_("상태"), "status"),
    (_("신청 일시"), "created_at"),
    (_("입장 확인 일시"), "checked_in_at"),
    (_("티켓 번호"), "ticket_code"),
]


def _export_rows(queryset: QuerySet[Event]) -> list[list[Any]]:
    rows: list[list[Any]] = [[str(_("행사명")), *(str(label) for label, _field in EXPORT_COLUMNS)]]
    registrations = (
        Registration.objects.filter(event__in=queryset)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "company")
        .order_by("event__starts_at", "status", "created_at")
    )
    for registration in registrations:
        row: list[Any] = [formula_safe(registration.event.title_ko)]
        for _label, field in EXPORT_COLUMNS:
            value = getattr(registration, field)
            if field == "company":
                value = value.name_ko if value else ""
            elif field == "status":
                value = registration.get_status_display()
            elif field in ("created_at", "checked_in_at"):
                value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
            row.append(formula_safe(value))
        rows.append(row)
    return rows


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
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
    fieldsets = [  # type: ignore[assignment]
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
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("행사 페이지"),
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
        updated = event_update(event=Event.objects.get(pk=obj.pk), by=_staff(request), **changes)
        obj.__dict__.update({k: v for k, v in updated.__dict__.items() if not k.startswith("_")})

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/attendance/",
                self.admin_site.admin_view(self.attendance_view),
                name="events_event_attendance",
            ),
            *super().get_urls(),
        ]

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

    @admin.action(description=_("선택한 행사 복제 (작성 중 상태로)"))
    def duplicate_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        for event in queryset:
            event_duplicate(event=event, by=_staff(request))
        self.message_user(request, _("%(n)s개 행사를 복제했습니다.") % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("참가자 명단 내려받기 (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel reads UTF-8 with a BOM as UTF-8 (Korean names)
        csv.writer(buffer).writerows(_export_rows(queryset))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="attendees.csv"'
        return response

    @admin.action(description=_("참가자 명단 내려받기 (XLSX)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "attendees"
        for row in _export_rows(queryset):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="attendees.xlsx"'
        return response

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

    @admin.action(description=_("확정 참가자 전원에게 메시지 보내기"))
    def send_message(self, request: HttpRequest, queryset: QuerySet[Event]) -> TemplateResponse | None:
        form = EventMessageForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            total = 0
            for event in queryset:
                total += event_message_send(
                    event=event,
                    by=_staff(request),
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            self.message_user(request, _("%(n)s명에게 메시지를 보냈습니다.") % {"n": total}, messages.SUCCESS)
            return None
        return self._intermediate(request, queryset, form, _("확정 참가자에게 메시지 보내기"), "send_message")

    @admin.action(description=_("선택한 행사 취소 (신청자 전원에게 안내)"))
    def cancel_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> TemplateResponse | None:
        form = EventCancelForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for event in queryset:
                event_cancel(event=event, by=_staff(request), message=form.cleaned_data["message"])
            self.message_user(request, _("%(n)s개 행사를 취소했습니다.") % {"n": queryset.count()}, messages.SUCCESS)
            return None
        return self._intermediate(request, queryset, form, _("행사 취소하기"), "cancel_events")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
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
