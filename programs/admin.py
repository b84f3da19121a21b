"""SBA staff run programmes here: calls with their form and criteria, the application list with
bulk status actions, reviewer assignment, the score table and ranking, exports and outcomes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import User
from audit.admin import AuditHistoryMixin
from companies.models import Company
from magok.dates import format_datetime
from magok.http import AuthenticatedRequest
from magok.spreadsheets import XLSX_CONTENT_TYPE

from . import selectors, services
from .exports import call_attachments_zip, call_results_xlsx
from .models import (
    OUTCOME_FIELDS,
    OUTCOME_FIGURES,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    Call,
    CallQuestion,
    Outcome,
    Program,
    RequiredDocument,
    Review,
    ReviewCriterion,
    SupersededAttachment,
)

Status = Application.Status


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name_ko", "kind", "owner_team", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active", "order"]
    search_fields = ["name_ko", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


class CallQuestionInline(admin.TabularInline):
    model = CallQuestion
    extra = 0
    fields = ["order", "label_ko", "label_en", "kind", "choices", "required", "help_ko", "help_en"]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["order", "name_ko", "name_en", "required"]


class ReviewCriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 0
    fields = ["order", "name_ko", "name_en", "weight", "max_score"]


class CallAdminForm(forms.ModelForm):
    eligible_size_classes = forms.MultipleChoiceField(
        label=gettext_lazy("지원 가능 기업 규모"),
        choices=Company.SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("선택하지 않으면 모든 규모의 기업이 신청할 수 있습니다."),
    )
    eligible_move_in_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("지원 가능 입주 현황"),
        choices=Company.MoveInStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("선택하지 않으면 입주 현황과 관계없이 신청할 수 있습니다."),
    )

    class Meta:
        model = Call
        fields = [
            "program",
            "title_ko",
            "title_en",
            "description_ko",
            "description_en",
            "opens_at",
            "closes_at",
            "budget_krw",
            "selection_count",
            "eligible_size_classes",
            "eligible_move_in_statuses",
            "eligible_sectors",
            "is_published",
        ]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = [
        "title_ko",
        "program",
        "closes_at",
        "n_total_col",
        "n_draft_col",
        "n_in_review_col",
        "n_selected_col",
        "n_rejected_col",
        "n_withdrawn_col",
        "tools",
    ]
    list_filter = ["program", "is_published"]
    search_fields = ["title_ko", "title_en"]
    filter_horizontal = ["eligible_sectors"]
    inlines = [CallQuestionInline, RequiredDocumentInline, ReviewCriterionInline]
    date_hierarchy = "closes_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Call]:
        return selectors.call_list_with_counts()

    @admin.display(description=pgettext_lazy("count", "전체"), ordering="n_total")
    def n_total_col(self, obj: Any) -> int:
        return obj.n_total

    @admin.display(description=gettext_lazy("작성 중"))
    def n_draft_col(self, obj: Any) -> int:
        return obj.n_draft

    @admin.display(description=gettext_lazy("제출·심사 중"))
    def n_in_review_col(self, obj: Any) -> int:
        return obj.n_submitted + obj.n_screening + obj.n_info_requested + obj.n_resubmitted

    @admin.display(description=gettext_lazy("선정"))
    def n_selected_col(self, obj: Any) -> int:
        return obj.n_selected

    @admin.display(description=gettext_lazy("미선정"))
    def n_rejected_col(self, obj: Any) -> int:
        return obj.n_rejected

    @admin.display(description=pgettext_lazy("application status", "취소"))
    def n_withdrawn_col(self, obj: Any) -> int:
        return obj.n_withdrawn

    @admin.display(description=gettext_lazy("도구"))
    def tools(self, obj: Call) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:programs_application_changelist") + f"?call__id__exact={obj.pk}",
            _("신청서"),
            reverse("admin:programs_call_ranking", args=[obj.pk]),
            _("점수·순위"),
            reverse("admin:programs_call_export", args=[obj.pk]),
            _("XLSX"),
            reverse("admin:programs_call_attachments", args=[obj.pk]),
            _("첨부 ZIP"),
        )

    def get_urls(self) -> list:
        urls = [
            path("<int:pk>/ranking/", self.admin_site.admin_view(self.ranking_view), name="programs_call_ranking"),
            path("<int:pk>/export.xlsx", self.admin_site.admin_view(self.export_view), name="programs_call_export"),
            path(
                "<int:pk>/attachments.zip",
                self.admin_site.admin_view(self.attachments_view),
                name="programs_call_attachments",
            ),
        ]
        return urls + super().get_urls()

    def _call(self, request: HttpRequest, pk: int, *, scores: bool = False) -> Call:
        if not self.has_view_permission(request):
            raise PermissionDenied
        # Score tables would break blind review for staff who review without the manager right.
        assert isinstance(request.user, User)  # the admin lets staff in only
        if scores and not services.review_can_see_all(user=request.user):
            raise PermissionDenied
        return get_object_or_404(Call.objects.select_related("program"), pk=pk)

    def ranking_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        call = self._call(request, pk, scores=True)
        criteria, rows = selectors.call_ranking(call=call)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("점수표와 순위: %(call)s") % {"call": call.title_ko},
            "call": call,
            "criteria": criteria,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/programs/call_ranking.html", context)

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        call = self._call(request, pk, scores=True)
        return HttpResponse(
            call_results_xlsx(call=call),
            content_type=XLSX_CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="call-{call.pk}-applications.xlsx"'},
        )

    def attachments_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        call = self._call(request, pk)
        # The documents themselves need their own view right, not only the right to see calls.
        if not request.user.has_perm("programs.view_applicationattachment"):
            raise PermissionDenied
        return FileResponse(
            call_attachments_zip(call=call), as_attachment=True, filename=f"call-{call.pk}-attachments.zip"
        )


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created_at", "from_status", "to_status", "by", "message")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApplicationAttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "download",
        "document",
        "question",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("파일"))
    def download(self, obj: ApplicationAttachment) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class SupersededAttachmentInline(admin.TabularInline):
    """Earlier versions of files replaced in a 보완 resubmission: read only."""

    model = SupersededAttachment
    extra = 0
    can_delete = False
    fields = readonly_fields = ("download", "document", "question", "size", "uploaded_at", "superseded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("파일"))
    def download(self, obj: SupersededAttachment) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        # Blind review holds here too: without the manager right, staff see only their own review.
        queryset = super().get_queryset(request).select_related("reviewer")
        assert isinstance(request.user, User)  # the admin lets staff in only
        if services.review_can_see_all(user=request.user):
            return queryset
        return queryset.filter(reviewer=request.user)

    fields = readonly_fields = ("reviewer", "scores", "comment", "assigned_at", "submitted_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageActionForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("기업에 보낼 메시지"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=gettext_lazy("상태 변경 이메일과 신청서의 진행 이력에 표시됩니다."),
    )


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("심사위원"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "SBA 직원 또는 외부 심사위원 계정. 외부 심사위원은 사이트의 '배정된 심사' 화면에서 심사합니다."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_model = get_user_model()
        # Staff, plus accounts that are not members of any company (external reviewers).
        field = self.fields["reviewers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            user_model.objects.filter(is_active=True)
            .exclude(memberships__status="approved", is_staff=False)
            .order_by("-is_staff", "name")
        )


def _bulk_transition_action(to: str, label: Any) -> Any:
    def action(modeladmin: ApplicationAdmin, request: AuthenticatedRequest, queryset: QuerySet[Application]) -> Any:
        return modeladmin.bulk_transition(request, queryset, to=to, label=label)

    action.__name__ = f"mark_{to}"
    return admin.action(description=label, permissions=["change"])(action)


@admin.register(Application)
class ApplicationAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["receipt_number", "company", "call", "status", "submitted_at", "review_progress", "updated_at"]
    list_filter = ["status", "call__program", "call", "company__size_class"]
    search_fields = ["receipt_number", "company__name_ko", "company__name_en", "contact_name", "contact_email"]
    list_select_related = ["company", "call"]
    date_hierarchy = "submitted_at"
    # Everything is read-only: staff change applications only through the actions, which call
    # the services (the company owns its answers).
    readonly_fields = [
        "receipt_number",
        "call",
        "company",
        "status",
        "contact_name",
        "contact_email",
        "contact_phone",
        "employee_count",
        "business_registration_number",
        "created_by",
        "submitted_by",
        "submitted_at",
        "decided_at",
        "created_at",
        "updated_at",
        "answers_display",
        "consent_version",
        "consented_at",
    ]
    fields = [
        "receipt_number",
        "call",
        "company",
        "status",
        "contact_name",
        "contact_email",
        "contact_phone",
        "employee_count",
        "business_registration_number",
        "answers_display",
        "consent_version",
        "consented_at",
        "created_by",
        "submitted_by",
        "submitted_at",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ApplicationAttachmentInline, SupersededAttachmentInline, ApplicationEventInline, ReviewInline]
    actions = [
        _bulk_transition_action(Status.SCREENING, gettext_lazy("심사 중으로 변경")),
        _bulk_transition_action(Status.INFO_REQUESTED, gettext_lazy("보완 요청")),
        _bulk_transition_action(Status.SELECTED, gettext_lazy("선정")),
        _bulk_transition_action(Status.REJECTED, gettext_lazy("미선정")),
        "assign_reviewers",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_reviews=Count("reviews", distinct=True),
                n_reviews_done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Applications come from companies; staff only process them.
        return False

    @admin.display(description=gettext_lazy("심사 (제출/배정)"))
    def review_progress(self, obj: Any) -> str:
        return f"{obj.n_reviews_done}/{obj.n_reviews}"

    @admin.display(description=gettext_lazy("답변"))
    def answers_display(self, obj: Application) -> str:
        rows = [
            (q.label_ko, obj.answers.get(str(q.pk), "-"))
            for q in obj.call.questions.all()
            if q.kind != CallQuestion.Kind.FILE
        ]
        if not rows:
            return "-"
        return format_html("<dl>{}</dl>", format_html_join("", "<dt><strong>{}</strong></dt><dd>{}</dd>", rows))

    def bulk_transition(
        self, request: AuthenticatedRequest, queryset: QuerySet[Application], *, to: str, label: Any
    ) -> HttpResponse | None:
        """Ask for the message on an intermediate page, then move each selected application
        through the service (which checks the transition table and records it)."""
        if "apply" in request.POST:
            form = MessageActionForm(request.POST)
            if form.is_valid():
                done, failed = 0, []
                for application in queryset.select_related("company"):
                    try:
                        services.application_transition(
                            application=application,
                            to=to,
                            by=request.user,
                            message=form.cleaned_data["message"],
                        )
                        done += 1
                    except services.ProgramError as exc:
                        failed.append(f"{application.company}: {exc.message}")
                if done:
                    self.message_user(
                        request, _("%(count)d건을 '%(label)s' 처리했습니다.") % {"count": done, "label": label}
                    )
                for failure in failed:
                    self.message_user(request, failure, level=messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
        else:
            form = MessageActionForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": label,
            "form": form,
            "queryset": queryset.select_related("company", "call"),
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": label,
        }
        return TemplateResponse(request, "admin/programs/application_action.html", context)

    @admin.action(description=gettext_lazy("심사위원 배정"), permissions=["change"])
    def assign_reviewers(self, request: AuthenticatedRequest, queryset: QuerySet[Application]) -> HttpResponse | None:
        if "apply" in request.POST:
            form = AssignReviewersForm(request.POST)
            if form.is_valid():
                count = 0
                for application in queryset:
                    for reviewer in form.cleaned_data["reviewers"]:
                        try:
                            services.review_assign(application=application, reviewer=reviewer, by=request.user)
                            count += 1
                        except services.ProgramError as exc:
                            self.message_user(request, f"{application.company}: {exc.message}", level=messages.ERROR)
                self.message_user(request, _("심사위원 배정 %(count)d건을 저장했습니다.") % {"count": count})
                return HttpResponseRedirect(request.get_full_path())
        else:
            form = AssignReviewersForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("심사위원 배정"),
            "form": form,
            "queryset": queryset.select_related("company", "call"),
            "action": "assign_reviewers",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": _("배정"),
        }
        return TemplateResponse(request, "admin/programs/application_action.html", context)


@admin.register(Review)
class ReviewAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["application", "reviewer", "assigned_at", "submitted_at"]
    list_filter = ["application__call", ("submitted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["application__company", "application__call", "reviewer"]
    search_fields = ["application__company__name_ko", "reviewer__email", "reviewer__name"]
    readonly_fields = ["application", "reviewer", "scores", "comment", "assigned_by", "assigned_at", "submitted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        queryset = super().get_queryset(request)
        # Blind review holds in the admin too, for staff who are reviewers without the manager right.
        assert isinstance(request.user, User)  # the admin lets staff in only
        if services.review_can_see_all(user=request.user):
            return queryset
        return queryset.filter(reviewer=request.user)


@admin.register(Outcome)
class OutcomeAdmin(AuditHistoryMixin, admin.ModelAdmin):
    list_display = ["company", "program", "year", *OUTCOME_FIGURES, "partners", "source"]
    list_filter = ["program", "year", "source"]
    list_select_related = ["company", "program"]
    search_fields = ["company__name_ko", "partners"]
    autocomplete_fields = ["application"]
    raw_id_fields = ["company"]
    fields = ["company", "program", "application", "year", *OUTCOME_FIELDS, "source", "reported_by"]
    # Who entered the figures is recorded by the service, not typed in.
    readonly_fields = ["source", "reported_by"]
    change_list_template = "admin/programs/outcome_change_list.html"

    def get_urls(self) -> list:
        return [
            path("report/", self.admin_site.admin_view(self.report_view), name="programs_outcome_report"),
            *super().get_urls(),
        ]

    def save_model(self, request: HttpRequest, obj: Outcome, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.outcome_record(
            company_id=data["company"].pk,
            program_id=data["program"].pk,
            year=data["year"],
            values=data,
            application=data["application"],
            by=request.user,  # type: ignore[arg-type]
            outcome=obj if change else None,
        )
        obj.pk, obj.source, obj.reported_by = saved.pk, saved.source, saved.reported_by

    def report_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        totals = selectors.outcome_totals()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("사업 성과 집계 (지원사업·연도별)"),
            "rows": totals["rows"],
            "grand": totals["grand"],
            "generated_at": format_datetime(timezone.now()),
        }
        return TemplateResponse(request, "admin/programs/outcome_report.html", context)
