from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from events.models import EventReminder, EventSeries
from events.recurrence import series_generate
from events.reminders import reminder_resend

from .models import OutboundEmail
from .services import EmailNotResendable, email_resend


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at", "short_error"]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["to", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("마지막 오류"))
    def short_error(self, obj: OutboundEmail) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("선택한 이메일 다시 보내기"))
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        done = busy = 0
        for email in queryset:
            try:
                email_resend(email=email)
                done += 1
            except EmailNotResendable:
                busy += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d건을 다시 발송 대기열에 넣었습니다.", "%(count)d건을 다시 발송 대기열에 넣었습니다.", done
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if busy:
            self.message_user(
                request,
                ngettext(
                    "%(count)d건은 지금 발송 중이라 다시 보내지 않았습니다.",
                    "%(count)d건은 지금 발송 중이라 다시 보내지 않았습니다.",
                    busy,
                )
                % {"count": busy},
                messages.WARNING,
            )


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

    @admin.action(description=_("선택한 리마인더 다시 보내기"))
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


class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title_ko", "kind", "rule", "start_time", "months_ahead", "holiday_policy", "is_active"]
    list_filter = ["rule", "is_active", "kind"]
    actions = ["generate_now"]

    @admin.action(description=_("선택한 반복 행사의 회차를 지금 만들기"))
    def generate_now(self, request: HttpRequest, queryset: QuerySet[EventSeries]) -> None:
        created = sum(len(series_generate(series=series)) for series in queryset)
        self.message_user(
            request,
            ngettext("회차 %(count)d개를 만들었습니다.", "회차 %(count)d개를 만들었습니다.", created)
            % {"count": created},
            messages.SUCCESS,
        )


# The events app may register its own admin for the series template; this one (with the
# "generate now" action) is only the fallback so staff can always edit N, time and venue.
if not admin.site.is_registered(EventSeries):
    admin.site.register(EventSeries, EventSeriesAdmin)
