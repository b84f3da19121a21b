from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from magok.http import AuthenticatedRequest

from .models import StaffPreference
from .services import digest_preference_set, digest_wanted


class DigestPreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=StaffPreference._meta.get_field("daily_digest").verbose_name,
        help_text=StaffPreference._meta.get_field("daily_digest").help_text,
        required=False,
    )


@admin.register(StaffPreference)
class StaffPreferenceAdmin(admin.ModelAdmin):
    """Superusers see everyone's choice; every staff member sets their own on "내 알림 설정"
    (``mine``), linked from the digest e-mail, without needing any permission."""

    list_display = ["user", "daily_digest", "updated_at"]
    list_filter = ["daily_digest"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user"]

    def get_urls(self) -> list[Any]:
        return [
            path("mine/", self.admin_site.admin_view(self.mine_view), name="digest_staffpreference_mine"),
            *super().get_urls(),
        ]

    def mine_view(self, request: AuthenticatedRequest) -> HttpResponse:
        if request.method == "POST":
            form = DigestPreferenceForm(request.POST)
            if form.is_valid():
                digest_preference_set(user=request.user, daily_digest=form.cleaned_data["daily_digest"])
                self.message_user(request, _("알림 설정을 저장했습니다."), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        else:
            form = DigestPreferenceForm(initial={"daily_digest": digest_wanted(user=request.user)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("내 알림 설정"),
            "form": form,
        }
        return TemplateResponse(request, "admin/digest/mine.html", context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)
