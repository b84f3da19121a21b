from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from audit.admin import AuditHistoryMixin
from magok.http import AuthenticatedRequest

from .models import (
    Company,
    CompanyImport,
    ComplexProfile,
    ComplexYearTarget,
    ProfileChangeRequest,
    SearchAlias,
    Sector,
)
from .services import (
    ProfileChangeConflict,
    ProfileChangeError,
    profile_change_approve,
    profile_change_conflict_message,
    profile_change_conflicts,
    profile_change_reject,
    profile_data_of,
    profile_field_label,
)
from .spreadsheets import (
    COLUMNS,
    CSV_CONTENT_TYPE,
    DATE_FORMS,
    IMPORT_INLINE_MAX_ROWS,
    XLSX_CONTENT_TYPE,
    RowError,
    SpreadsheetError,
    companies_export_csv,
    companies_export_xlsx,
    companies_import,
    companies_import_template_xlsx,
    companies_read,
    company_import_start,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "name_en", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_ko", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SearchAlias)
class SearchAliasAdmin(admin.ModelAdmin):
    """Words that mean the same in the directory search. Saving or deleting one rewrites the
    search columns of the companies that contain any of its words (``companies.signals``)."""

    list_display = ["terms", "note", "updated_at"]
    search_fields = ["terms", "note"]
    fields = ["terms", "note"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "status", "decided_by", "decided_at", "created_at"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]
    raw_id_fields = ["user"]
    verbose_name = _("소속 회원")
    verbose_name_plural = _("소속 회원")


class CompanyImportUploadForm(forms.Form):
    file = forms.FileField(label=_("파일 (CSV 또는 XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("파일은 5MB 이하여야 합니다."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("CSV 또는 XLSX 파일만 가져올 수 있습니다."))
        return upload


@admin.register(Company)
class CompanyAdmin(AuditHistoryMixin, admin.ModelAdmin):
    change_list_template = "admin/companies/company/change_list.html"
    list_display = [
        "name_ko",
        "name_en",
        "size_class",
        "move_in_status",
        "moved_in_on",
        "is_public",
        "is_sample",
        "overview_link",
    ]
    list_filter = ["size_class", "move_in_status", "sectors", "is_public", "is_sample"]
    search_fields = ["name_ko", "name_en", "slug", "keywords", "business_registration_number", "parcel_code"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["sectors"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["export_selected_xlsx", "export_selected_csv"]
    fieldsets = [
        (None, {"fields": ["name_ko", "name_en", "slug", "size_class", "sectors", "keywords"]}),
        (_("입주"), {"fields": ["parcel_code", "move_in_status", "moved_in_on"]}),
        (_("소개"), {"fields": ["homepage", "logo", "employee_count", "description_ko", "description_en"]}),
        (
            pgettext_lazy("admin fieldset", "관리"),
            {"fields": ["business_registration_number", "is_public", "is_sample", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("한눈에 보기"))
    def overview_link(self, obj: Company) -> str:
        """Every company found by the admin search leads to its staff page in one click."""
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:backoffice_company_overview", args=[obj.pk]), gettext("한눈에 보기")
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="companies_company_import"),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                name="companies_company_import_template",
            ),
            path(
                "import/<int:import_id>/",
                self.admin_site.admin_view(self.import_progress_view),
                name="companies_company_import_progress",
            ),
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="companies_company_export",
            ),
        ]
        return own + super().get_urls()

    def _spreadsheet_response(self, queryset: QuerySet[Company] | None, file_format: str) -> HttpResponse:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if file_format == "xlsx":
            content, content_type = companies_export_xlsx(companies=queryset), XLSX_CONTENT_TYPE
        else:
            content, content_type = companies_export_csv(companies=queryset), CSV_CONTENT_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="magok-companies-{stamp}.{file_format}"'
        return response

    def export_view(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if not self.has_view_permission(request) or file_format not in {"csv", "xlsx"}:
            return HttpResponse(status=404)
        return self._spreadsheet_response(None, file_format)

    @admin.action(description=_("선택한 기업을 XLSX로 내보내기"), permissions=["view"])
    def export_selected_xlsx(self, request: HttpRequest, queryset: QuerySet[Company]) -> HttpResponse:
        return self._spreadsheet_response(queryset.prefetch_related("sectors").order_by("name_ko"), "xlsx")

    @admin.action(description=_("선택한 기업을 CSV로 내보내기"), permissions=["view"])
    def export_selected_csv(self, request: HttpRequest, queryset: QuerySet[Company]) -> HttpResponse:
        return self._spreadsheet_response(queryset.prefetch_related("sectors").order_by("name_ko"), "csv")

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        result = None
        if request.method == "POST":
            form = CompanyImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    rows = companies_read(filename=upload.name, content=upload.read())
                except SpreadsheetError as exc:
                    form.add_error("file", exc.message)
                else:
                    if len(rows) > IMPORT_INLINE_MAX_ROWS:
                        # A long file is imported by a worker; staff watch its progress.
                        job = company_import_start(rows=rows, file_name=upload.name, by=request.user)
                        return redirect("admin:companies_company_import_progress", import_id=job.pk)
                    result = companies_import(rows=rows)
                    if result.ok:
                        self.message_user(
                            request,
                            gettext("가져오기 완료: %(created)s개 추가, %(updated)s개 수정")
                            % {"created": result.created, "updated": result.updated},
                            messages.SUCCESS,
                        )
                        return redirect("admin:companies_company_changelist")
        else:
            form = CompanyImportUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("입주기업 가져오기"),
            "form": form,
            "result": result,
            "columns": COLUMNS,
            "date_forms": DATE_FORMS,
        }
        return TemplateResponse(request, "admin/companies/company/import.html", context)

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        response = HttpResponse(companies_import_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="magok-companies-template.xlsx"'
        return response

    def import_progress_view(self, request: HttpRequest, import_id: int) -> HttpResponse:
        """How far a worker's import has got; the page reloads itself (no script) until done."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        job = get_object_or_404(CompanyImport.objects.defer("rows"), pk=import_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("입주기업 가져오기 진행 상황"),
            "job": job,
            "errors": [RowError(**error) for error in job.errors],
        }
        return TemplateResponse(request, "admin/companies/company/import_progress.html", context)


class ComplexYearTargetInline(admin.TabularInline):
    model = ComplexYearTarget
    extra = 1
    fields = ["year", "moved_in_companies"]


@admin.register(ComplexProfile)
class ComplexProfileAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "area_m2", "allotted_company_target", "move_in_target_year", "updated_at"]
    inlines = [ComplexYearTargetInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row only (ComplexProfile.load); staff edit it, never add a second.
        return not ComplexProfile.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProfileChangeRequest)
class ProfileChangeRequestAdmin(admin.ModelAdmin):
    change_form_template = "admin/companies/profilechangerequest/change_form.html"
    list_display = ["company", "status", "submitted_by", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["company__name_ko", "company__name_en", "submitted_by__email"]
    list_select_related = ["company", "submitted_by", "reviewed_by"]
    fields = [
        "company",
        "submitted_by",
        "status",
        "changes",
        "logo",
        "remove_logo",
        "note",
        "reviewed_by",
        "reviewed_at",
    ]
    readonly_fields = [
        "company",
        "submitted_by",
        "status",
        "changes",
        "logo",
        "remove_logo",
        "reviewed_by",
        "reviewed_at",
    ]
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("변경 내용 (요청 당시 / 현재 → 제안)"))
    def changes(self, obj: ProfileChangeRequest) -> str:
        current = profile_data_of(company=obj.company)
        pending = obj.status == ProfileChangeRequest.Status.PENDING
        rows = [
            (profile_field_label(name), obj.before.get(name, "—"), current.get(name), value)
            for name, value in obj.data.items()
            if current.get(name) != value or not pending
        ]
        if not rows:
            return gettext("바뀐 항목이 없습니다.")
        table = format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("항목"),
            gettext("요청 당시"),
            gettext("현재"),
            gettext("제안"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
        conflicts = profile_change_conflicts(change=obj) if pending else []
        if not conflicts:
            return table
        return format_html(
            "<p><strong>{}</strong></p>{}", profile_change_conflict_message(change=obj, fields=conflicts), table
        )

    def _decide(self, request: AuthenticatedRequest, queryset: QuerySet[ProfileChangeRequest], approve: bool) -> None:
        done = skipped = 0
        for change in queryset:
            try:
                if approve:
                    profile_change_approve(change=change, by=request.user)
                else:
                    profile_change_reject(change=change, by=request.user)
                done += 1
            except ProfileChangeConflict as conflict:
                self.message_user(request, conflict.message, messages.ERROR)
            except ProfileChangeError:
                skipped += 1
        self.message_user(
            request,
            gettext("%(done)s건 처리, %(skipped)s건은 이미 처리되어 건너뜀") % {"done": done, "skipped": skipped},
            messages.SUCCESS if done else messages.WARNING,
        )

    @admin.action(description=_("선택한 변경 요청 승인"), permissions=["change"])
    def approve_selected(self, request: AuthenticatedRequest, queryset: QuerySet[ProfileChangeRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("선택한 변경 요청 반려"), permissions=["change"])
    def reject_selected(self, request: AuthenticatedRequest, queryset: QuerySet[ProfileChangeRequest]) -> None:
        self._decide(request, queryset, approve=False)

    def response_change(self, request: HttpRequest, obj: ProfileChangeRequest) -> HttpResponse:
        """The change form's "approve" / "reject" buttons (the note typed on the form goes along)."""
        decision = "approve" if "_approve" in request.POST else "reject" if "_reject" in request.POST else None
        if decision is None:
            return super().response_change(request, obj)
        assert isinstance(request.user, User)  # the admin lets staff in only
        try:
            if decision == "approve":
                profile_change_approve(change=obj, by=request.user, note=obj.note)
                self.message_user(request, gettext("변경 요청을 승인했습니다."), messages.SUCCESS)
            else:
                profile_change_reject(change=obj, by=request.user, note=obj.note)
                self.message_user(request, gettext("변경 요청을 반려했습니다."), messages.SUCCESS)
        except ProfileChangeConflict as conflict:
            self.message_user(request, conflict.message, messages.ERROR)
            return redirect(reverse("admin:companies_profilechangerequest_change", args=[obj.pk]))
        except ProfileChangeError as error:
            self.message_user(request, error.message, messages.WARNING)
        return redirect(reverse("admin:companies_profilechangerequest_changelist"))
