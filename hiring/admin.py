"""Admin of the hiring camp: camps with their companies and hires, positions to approve,
seekers (without their CV: that is served only by the authorising view), applications with the
match confirmation, and hires per company and camp."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from magok.dates import format_datetime
from magok.errors import DomainError
from magok.http import AuthenticatedRequest

from . import scheduling, selectors, services
from .forms import CoachingTableAdminForm
from .models import Camp, CampCompany, CoachingTable, JobApplication, Position, Seeker

HIRED = Q(positions__applications__result=JobApplication.Result.HIRED)
SHORTLISTED = Q(positions__applications__status=JobApplication.Status.SHORTLISTED)


class CampCompanyInline(admin.TabularInline):
    model = CampCompany
    extra = 0
    fields = ["company", "table", "participant", "hires"]
    readonly_fields = ["table", "participant", "hires"]
    autocomplete_fields = ["company"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CampCompany]:
        return super().get_queryset(request).select_related("company", "table", "participant", "camp")

    @admin.display(description=gettext_lazy("채용 (명)"))
    def hires(self, obj: CampCompany) -> int:
        if not obj.pk:
            return 0
        return (
            JobApplication.objects.filter(
                position__camp_id=obj.camp_id, position__company_id=obj.company_id, result=JobApplication.Result.HIRED
            )
            .values("seeker")
            .distinct()
            .count()
        )


class CoachingTableInline(admin.TabularInline):
    """Coaching tables by coach and topic; the grid's table and the coach's participant are made
    by ``scheduling.coaching_table_add`` (``CampAdmin.save_formset``), no raw ids."""

    model = CoachingTable
    form = CoachingTableAdminForm
    extra = 0
    can_delete = False
    fields = ["coach_name", "coach_email", "topic", "table"]
    readonly_fields = ["table"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CoachingTable]:
        return super().get_queryset(request).select_related("table", "coach")


@admin.register(Camp)
class CampAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "applications_close_at",
        "n_companies",
        "n_seekers",
        "n_hires",
        "matches_link",
        "purged_at",
    ]
    list_select_related = ["event"]
    raw_id_fields = ["event"]
    readonly_fields = ["purged_at", "match_board"]
    inlines = [CampCompanyInline, CoachingTableInline]
    actions = ["prepare_tables", "purge_expired"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Camp]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                companies_count=Count("companies", distinct=True),
                seekers_count=Count("seekers", distinct=True),
                hires_count=Count("positions__applications__seeker", filter=HIRED, distinct=True),
                shortlisted_count=Count("positions__applications", filter=SHORTLISTED, distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("참여 기업"), ordering="companies_count")
    def n_companies(self, obj: Camp) -> int:
        return obj.companies_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("구직자"), ordering="seekers_count")
    def n_seekers(self, obj: Camp) -> int:
        return obj.seekers_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("채용 (명)"), ordering="hires_count")
    def n_hires(self, obj: Camp) -> int:
        return obj.hires_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("매칭 확정 대기"), ordering="shortlisted_count")
    def matches_link(self, obj: Camp) -> str:
        url = reverse("admin:hiring_camp_matches", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.shortlisted_count)  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("면접 후보 매칭 확정"))
    def match_board(self, obj: Camp) -> str:
        if not obj.pk:
            return "-"
        url = reverse("admin:hiring_camp_matches", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("면접 후보 매칭 확정 화면 열기"))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not CoachingTable:
            super().save_formset(request, form, formset, change)
            return
        # New coaching tables go through the service, which makes the grid's table and the
        # coach's participant; rows already set up are shown read-only and not saved here.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk or not inline_form.has_changed():
                continue
            try:
                coaching = scheduling.coaching_table_add(
                    camp=form.instance,
                    coach_name=inline_form.cleaned_data["coach_name"],
                    coach_email=inline_form.cleaned_data.get("coach_email") or "",
                    topic=inline_form.cleaned_data.get("topic") or "",
                    by=request.user,  # type: ignore[arg-type]
                )
            except DomainError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
            else:
                formset.new_objects.append(coaching)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:camp_id>/matches/",
                self.admin_site.admin_view(self.match_board_view),
                name="hiring_camp_matches",
            ),
            *super().get_urls(),
        ]

    def match_board_view(self, request: AuthenticatedRequest, camp_id: int) -> HttpResponse:
        """The shortlisted applications of one camp by company and position; "매칭 확정" confirms
        the checked ones one by one and says which interview each got, or why not."""
        if not services.is_hiring_staff(request.user):
            raise PermissionDenied
        camp = get_object_or_404(Camp.objects.select_related("event"), pk=camp_id)
        if request.method == "POST":
            ids = [int(value) for value in request.POST.getlist("application") if value.isdigit()]
            if not ids:
                self.message_user(request, gettext("확정할 면접 후보를 골라 주세요."), level=messages.WARNING)
            for outcome in services.matches_confirm(camp=camp, application_ids=ids, by=request.user):
                self._report(request, outcome)
            return redirect("admin:hiring_camp_matches", camp_id=camp.pk)
        now = timezone.now()
        applications = selectors.match_board(camp=camp)
        for application in applications:
            application.profile_visible = selectors.profile_visible_to_company(application=application, now=now)  # type: ignore[attr-defined]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("면접 후보 매칭 확정"),
            "camp": camp,
            "applications": applications,
        }
        return TemplateResponse(request, "admin/hiring/camp/match_board.html", context)

    def _report(self, request: HttpRequest, outcome: services.MatchOutcome) -> None:
        application = outcome.application
        # Staff see a seeker's name under the same rule as the company (hiring/README.md).
        visible = selectors.profile_visible_to_company(application=application)
        who = {"seeker": application.seeker if visible else f"#{application.pk}", "position": application.position}
        if outcome.meeting is None:
            message = gettext("%(seeker)s → %(position)s: 확정하지 못했습니다. %(reason)s") % {
                **who,
                "reason": outcome.error,
            }
            self.message_user(request, message, level=messages.ERROR)
            return
        message = gettext("%(seeker)s → %(position)s: %(when)s, %(table)s") % {
            **who,
            "when": format_datetime(outcome.meeting.slot.starts_at),
            "table": outcome.meeting.table.name,
        }
        self.message_user(request, message, level=messages.SUCCESS)

    @admin.action(description=gettext_lazy("기업별 면접 테이블 준비"), permissions=["change"])
    def prepare_tables(self, request: AuthenticatedRequest, queryset: QuerySet[Camp]) -> None:
        prepared = 0
        for camp in queryset:
            for participation in camp.companies.select_related("camp", "company"):
                try:
                    scheduling.camp_company_seat(participation=participation)
                except services.HiringError as exc:
                    self.message_user(request, f"{camp}: {exc.message}", level=messages.ERROR)
                    break
                prepared += 1
        self.message_user(request, gettext_lazy("면접 테이블 %(n)d개를 준비했습니다.") % {"n": prepared})

    @admin.action(description=gettext_lazy("보유 기간이 지난 구직자 정보 파기"), permissions=["change"])
    def purge_expired(self, request: AuthenticatedRequest, queryset: QuerySet[Camp]) -> None:
        result = services.camps_purge_expired()
        self.message_user(
            request,
            gettext_lazy("캠프 %(camps)d개, 구직자 %(seekers)d명의 정보를 파기했습니다.") % result,
        )


@admin.register(CampCompany)
class CampCompanyAdmin(admin.ModelAdmin):
    """Hires per company and camp."""

    list_display = ["company", "camp", "n_positions", "n_applications", "n_hires"]
    list_filter = ["camp"]
    list_select_related = ["company", "camp__event"]
    search_fields = ["company__name_ko"]
    autocomplete_fields = ["company"]
    readonly_fields = ["table", "participant"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CampCompany]:
        # Positions and applications of this company in this camp only.
        same_camp = Q(company__hiring_positions__camp=F("camp"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                positions_count=Count("company__hiring_positions", filter=same_camp, distinct=True),
                applications_count=Count(
                    "company__hiring_positions__applications",
                    filter=same_camp & ~Q(company__hiring_positions__applications__status="withdrawn"),
                    distinct=True,
                ),
                hires_count=Count(
                    "company__hiring_positions__applications__seeker",
                    filter=same_camp & Q(company__hiring_positions__applications__result=JobApplication.Result.HIRED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=gettext_lazy("포지션"), ordering="positions_count")
    def n_positions(self, obj: CampCompany) -> int:
        return obj.positions_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("지원"), ordering="applications_count")
    def n_applications(self, obj: CampCompany) -> int:
        return obj.applications_count  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("채용 (명)"), ordering="hires_count")
    def n_hires(self, obj: CampCompany) -> int:
        return obj.hires_count  # type: ignore[attr-defined]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "camp", "field", "hires_planned", "status", "decided_at"]
    list_filter = ["status", "camp"]
    list_select_related = ["company", "camp__event"]
    search_fields = ["title", "company__name_ko"]
    autocomplete_fields = ["company"]
    readonly_fields = ["created_by", "decided_by", "decided_at"]
    actions = ["approve", "reject"]

    @admin.action(description=gettext_lazy("선택한 포지션 승인"), permissions=["change"])
    def approve(self, request: AuthenticatedRequest, queryset: QuerySet[Position]) -> None:
        for position in queryset:
            services.position_decide(position=position, approve=True, by=request.user)
        self.message_user(request, gettext_lazy("승인했습니다."))

    @admin.action(description=gettext_lazy("선택한 포지션 반려"), permissions=["change"])
    def reject(self, request: AuthenticatedRequest, queryset: QuerySet[Position]) -> None:
        for position in queryset:
            services.position_decide(position=position, approve=False, by=request.user)
        self.message_user(request, gettext_lazy("반려했습니다."))


@admin.register(Seeker)
class SeekerAdmin(admin.ModelAdmin):
    """The CV file is not offered here: it is served only through the authorising view, under
    the seeker's consent (see hiring.selectors.cv_visible)."""

    list_display = [
        "__str__",
        "camp",
        "fields_of_interest",
        "has_cv",
        "consented_at",
        "consent_withdrawn_at",
        "purged_at",
    ]
    list_filter = ["camp", "is_sample"]
    list_select_related = ["camp__event"]
    search_fields = ["display_name", "user__email"]
    exclude = ["cv"]
    readonly_fields = [
        "user",
        "participant",
        "cv_original_name",
        "cv_content_type",
        "cv_size",
        "consent_version",
        "consented_at",
        "consent_withdrawn_at",
        "purged_at",
        "is_sample",
    ]

    @admin.display(description=gettext_lazy("이력서"), boolean=True)
    def has_cv(self, obj: Seeker) -> bool:
        return bool(obj.cv)


@admin.register(JobApplication)
class JobApplicationAdmin(admin.ModelAdmin):
    list_display = ["seeker", "position", "status", "is_walk_in", "interview", "queue_status", "result", "created_at"]
    list_filter = ["status", "result", "is_walk_in", "position__camp"]
    list_select_related = ["seeker", "position__company", "meeting__slot", "meeting__table"]
    search_fields = ["seeker__display_name", "position__title", "position__company__name_ko"]
    readonly_fields = (
        "seeker",
        "position",
        "status",
        "consent_version",
        "consented_at",
        "meeting",
        "decided_by",
        "decided_at",
        "result_by",
        "result_at",
        "is_walk_in",
        "message",
        "queue_status",
        "result",
        "result_note",
    )
    fields = readonly_fields
    actions = ["confirm_match"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Applications come from seekers (or a walk-in on the queue page), through the services.
        return False

    @admin.display(description=gettext_lazy("면접"))
    def interview(self, obj: JobApplication) -> str:
        if obj.meeting is None:
            return "-"
        return f"{obj.meeting.slot} · {obj.meeting.table}"

    # The per-camp board (CampAdmin.match_board_view) shows more and reports each line; this
    # action stays for confirming from a filtered list.
    @admin.action(description=gettext_lazy("매칭 확정 후 면접 시간 배정"), permissions=["change"])
    def confirm_match(self, request: AuthenticatedRequest, queryset: QuerySet[JobApplication]) -> None:
        placed = 0
        for application in queryset.select_related("seeker", "position"):
            try:
                services.application_transition(
                    application=application, to=JobApplication.Status.MATCHED, by=request.user
                )
            except DomainError as exc:
                self.message_user(request, f"{application}: {exc.message}", level=messages.ERROR)
            else:
                placed += 1
        self.message_user(request, gettext_lazy("%(n)d건을 확정하고 면접 시간을 배정했습니다.") % {"n": placed})
