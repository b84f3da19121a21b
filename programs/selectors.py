"""Reads that join or filter: the public listings, a company's applications, the ranking and the
outcome totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from magok.dates import format_datetime

from .models import OUTCOME_FIGURES, Application, Call, CallQuestion, Outcome, Program, Review, ReviewCriterion

if TYPE_CHECKING:
    from accounts.models import User


def call_queryset_public() -> QuerySet[Call]:
    return (
        Call.objects.filter(is_published=True, program__is_active=True)
        .select_related("program")
        .prefetch_related("eligible_sectors")
    )


def program_list_public(*, now: datetime | None = None) -> list[Program]:
    """Active programmes, each with ``open_calls`` (open or upcoming, soonest deadline first)."""
    now = now or timezone.now()
    open_calls = (
        call_queryset_public().filter(closes_at__gt=now).order_by("closes_at").prefetch_related("eligible_sectors")
    )
    return list(
        Program.objects.filter(is_active=True).prefetch_related(
            Prefetch("calls", queryset=open_calls, to_attr="open_calls")
        )
    )


def call_detail_public(*, pk: int) -> Call:
    return call_queryset_public().prefetch_related("questions", "documents", "criteria").get(pk=pk)


def application_titles_for_company(*, company_id: int) -> QuerySet[Application]:
    """The company's applications, newest first, with only what a list of links shows (the
    call's title and the status): for the home page."""
    return (
        Application.objects.filter(company_id=company_id)
        .select_related("call")
        .only("status", "call__title_ko", "call__title_en")
        .order_by("-created_at")
    )


def application_list_for_company(*, company_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(company_id=company_id)
        .select_related("call", "call__program")
        .order_by("-created_at")
    )


def application_for_member(*, user: User, pk: int) -> Application:
    """The application ``pk`` if it belongs to the user's company; DoesNotExist otherwise (a 404)."""
    company = user.company if user.is_authenticated else None
    if company is None:
        raise Application.DoesNotExist
    return (
        Application.objects.select_related("call", "call__program", "company", "created_by", "submitted_by")
        .prefetch_related("call__questions", "call__documents", "attachments", "events__by")
        .get(pk=pk, company=company)
    )


def review_list_for_reviewer(*, user: User) -> QuerySet[Review]:
    return (
        Review.objects.filter(reviewer=user)
        .select_related("application", "application__company", "application__call", "application__call__program")
        .order_by("submitted_at", "-assigned_at")
    )


def call_list_with_counts() -> QuerySet[Call]:
    """Calls annotated with the number of applications in each status (``n_<status>``) and in total."""
    counts = {
        f"n_{status}": Count("applications", filter=Q(applications__status=status))
        for status in Application.Status.values
    }
    return Call.objects.select_related("program").annotate(n_total=Count("applications"), **counts)


@dataclass
class RankedApplication:
    application: Application
    reviews: list[Review]
    scores: list[Decimal] = field(default_factory=list)
    average: Decimal | None = None
    rank: int | None = None

    @property
    def submitted_reviews(self) -> int:
        return len(self.scores)


def call_ranking(*, call: Call) -> tuple[list[ReviewCriterion], list[RankedApplication]]:
    """Each application of the call with its weighted average over submitted reviews, ranked
    (1 = best; equal averages share a rank; applications without a submitted review are unranked).
    Withdrawn applications and drafts are left out."""
    criteria = list(call.criteria.all())
    applications = (
        Application.objects.filter(call=call)
        .exclude(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
        .select_related("company")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("reviewer")))
        .order_by("company__name_ko")
    )
    rows: list[RankedApplication] = []
    for application in applications:
        reviews = list(application.reviews.all())
        row = RankedApplication(application=application, reviews=reviews)
        for review in reviews:
            score = review.weighted_score(criteria)
            if score is not None:
                row.scores.append(score)
        if row.scores:
            row.average = (sum(row.scores, Decimal(0)) / len(row.scores)).quantize(Decimal("0.01"))
        rows.append(row)
    ranked = sorted((r for r in rows if r.average is not None), key=lambda r: r.average, reverse=True)  # type: ignore[arg-type, return-value]
    previous: Decimal | None = None
    for position, row in enumerate(ranked, start=1):
        row.rank = ranked[position - 2].rank if row.average == previous else position
        previous = row.average
    unranked = [r for r in rows if r.average is None]
    return criteria, ranked + unranked


def outcome_totals() -> dict[str, Any]:
    """The outcome figures summed per programme and year (``rows``, latest year first) and over
    everything (``grand``), each with the number of companies that reported."""
    sums = {name: Sum(name) for name in OUTCOME_FIGURES}
    rows = list(
        Outcome.objects.values("program__name_ko", "year")
        .annotate(companies=Count("company", distinct=True), **sums)
        .order_by("-year", "program__name_ko")
    )
    grand = Outcome.objects.aggregate(companies=Count("company", distinct=True), **sums)
    return {"rows": rows, "grand": grand}


def calls_open_for_home(*, now: datetime | None = None, limit: int = 4) -> list[Call]:
    """Calls taking applications now, soonest deadline first, each with ``days_left`` (D-day in
    Seoul dates: 0 on the closing day)."""
    now = now or timezone.now()
    calls = list(
        Call.objects.filter(is_published=True, program__is_active=True, opens_at__lte=now, closes_at__gt=now)
        .select_related("program")
        .order_by("closes_at")[:limit]
    )
    today = timezone.localdate(now)
    for call in calls:
        call.days_left = (timezone.localdate(call.closes_at) - today).days  # type: ignore[attr-defined]
    return calls


@dataclass(frozen=True)
class SummaryItem:
    label: str
    value: str


def application_submission_summary(*, application: Application) -> list[SummaryItem]:
    """What the company submitted, as the receipt e-mail lists it (in the active language):
    contact details, each question's answer and each uploaded file. Three queries."""
    call = application.call
    contact = " · ".join(
        part for part in (application.contact_name, application.contact_email, application.contact_phone) if part
    )
    items = [
        SummaryItem(_("접수번호"), application.receipt_number or ""),
        SummaryItem(_("지원사업"), call.program.name),
        SummaryItem(_("모집 공고"), call.title),
        SummaryItem(_("기업"), application.company.name),
        SummaryItem(_("제출 일시"), format_datetime(application.submitted_at)),
        SummaryItem(_("담당자"), contact),
    ]
    if application.employee_count is not None:
        items.append(SummaryItem(_("임직원 수"), f"{application.employee_count:,}"))
    if application.business_registration_number:
        items.append(SummaryItem(_("사업자등록번호"), application.business_registration_number))
    for question in call.questions.order_by("order", "pk"):
        if question.kind == CallQuestion.Kind.FILE:
            continue
        answer = (application.answers or {}).get(str(question.pk))
        items.append(SummaryItem(question.label, "—" if answer in (None, "") else str(answer)))
    for attachment in application.attachments.select_related("document", "question").order_by("pk"):
        slot = attachment.document or attachment.question
        label = slot.label if isinstance(slot, CallQuestion) else slot.name if slot else _("첨부 파일")
        items.append(SummaryItem(label, attachment.original_name))
    return items
