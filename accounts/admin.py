from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from audit.admin import AuditHistoryMixin
from magok.http import AuthenticatedRequest

from . import services
from .forms import AdminEmailAuthenticationForm, AdminUserAddForm, AdminUserChangeForm
from .models import AccountDeletion, Membership, User

admin.site.login_form = AdminEmailAuthenticationForm


class MembershipInline(admin.TabularInline):
    """The people of one company; for the companies admin. Setting a company's first
    representative is done here or in the membership admin (role and status)."""

    model = Membership
    fk_name = "company"
    extra = 0
    fields = ("user", "role", "status", "message", "decided_by", "decided_at", "created_at")
    readonly_fields = ("message", "decided_by", "decided_at", "created_at")
    autocomplete_fields = ("user",)
    verbose_name = gettext_lazy("소속 구성원")
    verbose_name_plural = gettext_lazy("소속 구성원")


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("company", "role", "status", "decided_by", "decided_at", "created_at")
    readonly_fields = ("decided_by", "decided_at", "created_at")
    raw_id_fields = ("company",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    inlines = [UserMembershipInline]
    list_display = ("email", "name", "position", "language", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "language")
    search_fields = ("email", "name", "phone")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined", "privacy_consent_version", "privacy_consented_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (gettext_lazy("개인 정보"), {"fields": ("name", "phone", "position", "language")}),
        (gettext_lazy("개인정보 수집·이용 동의"), {"fields": ("privacy_consent_version", "privacy_consented_at")}),
        (
            gettext_lazy("권한"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("주요 일시"), {"fields": ("last_login", "date_joined")}),
    )

    def get_inline_instances(self, request: HttpRequest, obj: User | None = None) -> list[Any]:
        # The add page stays a short form (e-mail, name, password); memberships come after.
        return super().get_inline_instances(request, obj) if obj is not None else []

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Membership)
class MembershipAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ("user", "company", "role", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status", "role", "company")
    search_fields = ("user__email", "user__name", "company__name_ko", "company__name_en")
    list_select_related = ("user", "company", "decided_by")
    raw_id_fields = ("company",)
    autocomplete_fields = ("user",)
    date_hierarchy = "created_at"
    actions = ["approve_selected", "reject_selected", "hand_over"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        # Once a request exists, its status changes only through the actions, which notify the requester.
        if obj is None:
            return ("decided_by", "decided_at")
        return ("user", "company", "status", "message", "decided_by", "decided_at", "created_at")

    def _decide(
        self, request: AuthenticatedRequest, queryset: QuerySet[Membership], decide: Callable[..., Membership]
    ) -> int:
        succeeded = 0
        for membership in queryset.select_related("user", "company"):
            try:
                decide(membership=membership, by=request.user)
            except services.MembershipError as error:
                self.message_user(request, f"{membership.user}: {error.message}", messages.WARNING)
            else:
                succeeded += 1
        return succeeded

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change and "role" in form.changed_data:
            # Through the service, so that the change of role is recorded in the audit trail.
            assert isinstance(request.user, User)  # the admin lets staff in only
            role = obj.role
            obj.role = form.initial["role"]
            super().save_model(request, obj, form, change)
            services.membership_role_change(membership=obj, role=role, by=request.user)
            obj.role = role
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("선택한 구성원에게 대표자 인계"), permissions=["change"])
    def hand_over(self, request: AuthenticatedRequest, queryset: QuerySet[Membership]) -> None:
        if queryset.count() != 1:
            self.message_user(request, gettext_lazy("대표자를 인계받을 구성원을 한 명만 선택하세요."), messages.ERROR)
            return
        try:
            membership = services.membership_hand_over(membership=queryset.get(), by=request.user)
        except services.MembershipError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext_lazy("%(user)s 님이 %(company)s의 대표자가 되었습니다.")
                % {"user": membership.user, "company": membership.company},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("선택한 소속 요청 승인"), permissions=["change"])
    def approve_selected(self, request: AuthenticatedRequest, queryset: QuerySet[Membership]) -> None:
        if count := self._decide(request, queryset, services.membership_approve):
            message = ngettext("%(count)d건을 승인했습니다.", "%(count)d건을 승인했습니다.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("선택한 소속 요청 반려"), permissions=["change"])
    def reject_selected(self, request: AuthenticatedRequest, queryset: QuerySet[Membership]) -> None:
        if count := self._decide(request, queryset, services.membership_reject):
            message = ngettext("%(count)d건을 반려했습니다.", "%(count)d건을 반려했습니다.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(AccountDeletion)
class AccountDeletionAdmin(admin.ModelAdmin):
    """The record of each account deletion and consent withdrawal: read only, kept as evidence."""

    list_display = ("former_user_id", "consent_version", "consent_withdrawn_at", "counts")
    list_filter = ("consent_version",)
    date_hierarchy = "consent_withdrawn_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
