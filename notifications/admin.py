from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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

    @admin.action(description=_("선택한 이메일 다시 보내기"), permissions=["change"])
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
