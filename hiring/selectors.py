"""Reads of the hiring camp: what a seeker, a company and staff may see, and the hires that count."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from events.models import Event
from meetings.models import Meeting

from .models import Camp, CampCompany, JobApplication, Position, Seeker

if TYPE_CHECKING:
    from accounts.models import User

SEOUL = ZoneInfo("Asia/Seoul")
Status = JobApplication.Status


def camp_queryset_public() -> QuerySet[Camp]:
    # Finished camps stay visible (their schedules and results); drafts are staff-only.
    return Camp.objects.exclude(event__status=Event.Status.DRAFT).select_related("event")


def positions_open(*, camp: Camp) -> QuerySet[Position]:
    return (
        Position.objects.filter(camp=camp, status=Position.Status.APPROVED)
        .select_related("company")
        .order_by("company__sort_name", "title")
    )


def seeker_for(*, user: User, camp: Camp) -> Seeker | None:
    if not user.is_authenticated:
        return None
    return Seeker.objects.filter(camp=camp, user=user).first()


def applications_of_seeker(*, seeker: Seeker) -> QuerySet[JobApplication]:
    return (
        JobApplication.objects.filter(seeker=seeker)
        .select_related("position", "position__company", "meeting__slot", "meeting__table")
        .order_by("created_at")
    )


def applications_for_company(*, company_id: int, camp: Camp | None = None) -> QuerySet[JobApplication]:
    """Applications made to the company's positions (a shortlist is those SHORTLISTED)."""
    queryset = JobApplication.objects.filter(position__company_id=company_id)
    if camp is not None:
        queryset = queryset.filter(position__camp=camp)
    return queryset.select_related(
        "seeker", "position", "position__camp__event", "meeting__slot", "meeting__table"
    ).order_by("position__title", "created_at")


def application_for_company_member(*, user: User, pk: int) -> JobApplication:
    """The application ``pk`` if it was made to the user's company (or the user is hiring staff);
    DoesNotExist otherwise, which the views answer with 404."""
    from .services import is_hiring_staff

    queryset = JobApplication.objects.select_related(
        "seeker", "seeker__camp__event", "position", "position__camp__event"
    )
    if is_hiring_staff(user):
        return queryset.get(pk=pk)
    company = user.company if user.is_authenticated else None
    if company is None:
        raise JobApplication.DoesNotExist
    return queryset.get(pk=pk, position__company=company)


def profile_visible_to_company(*, application: JobApplication, now: datetime | None = None) -> bool:
    """Whether the company the application was made to may see the seeker's profile and CV:
    the application was made under the seeker's consent, that consent is still in force, the
    application was not withdrawn and the camp's retention period has not ended. Staff are held
    to the same rule: after a withdrawal or the retention period nobody but the seeker sees it."""
    now = now or timezone.now()
    seeker = application.seeker
    camp = application.position.camp
    return (
        seeker.has_consent
        and application.consented_at is not None
        and application.consented_at == seeker.consented_at
        and application.status != Status.WITHDRAWN
        and now < camp.retention_ends_at
    )


def cv_visible(*, application: JobApplication, user: User, now: datetime | None = None) -> bool:
    from .services import is_hiring_staff

    if not application.seeker.cv:
        return False
    company_side = user.is_member_of(application.position.company_id) or is_hiring_staff(user, "view_seeker")
    return company_side and profile_visible_to_company(application=application, now=now)


def camp_hires() -> QuerySet[Any]:
    """Hires per camp and company: (camp, company, hires) with each seeker counted once per
    company and camp, however many of its positions hired them."""
    return (
        JobApplication.objects.filter(result=JobApplication.Result.HIRED)
        .values(
            "position__camp_id", "position__camp__event__title_ko", "position__company_id", "position__company__name_ko"
        )
        .annotate(hires=Count("seeker", distinct=True))
        .order_by("position__camp_id", "position__company__sort_name")
    )


def camp_companies_with_counts(*, camp: Camp) -> QuerySet[CampCompany]:
    hired = Q(company__hiring_positions__camp=camp, company__hiring_positions__applications__result="hired")
    applied = Q(company__hiring_positions__camp=camp) & ~Q(company__hiring_positions__applications__status="withdrawn")
    return (
        CampCompany.objects.filter(camp=camp)
        .select_related("company")
        .annotate(
            n_applications=Count("company__hiring_positions__applications", filter=applied, distinct=True),
            n_hires=Count("company__hiring_positions__applications__seeker", filter=hired, distinct=True),
        )
    )


def company_yearly_hires(*, company_id: int | None = None) -> list[dict[str, Any]]:
    """Hires per company and year from both sources, for the company's yearly outcomes:
    ``camp_hires`` (hiring-camp results, the year of the camp in Seoul, a seeker counted once per
    company and year) and ``program_hires`` (the programmes' ``Outcome.hires``), with ``total``.

    Nothing is counted twice: camp results are never written into ``Outcome`` rows (whose
    ``hires`` are what companies report for a programme), so each source is summed once here."""
    from programs.models import Outcome

    camp_rows = JobApplication.objects.filter(result=JobApplication.Result.HIRED)
    program_rows = Outcome.objects.all()
    if company_id is not None:
        camp_rows = camp_rows.filter(position__company_id=company_id)
        program_rows = program_rows.filter(company_id=company_id)
    totals: dict[tuple[int, int], dict[str, Any]] = {}

    def row(company: int, year: int, name: str) -> dict[str, Any]:
        return totals.setdefault(
            (company, year), {"company_id": company, "company": name, "year": year, "camp_hires": 0, "program_hires": 0}
        )

    for item in (
        camp_rows.annotate(year=ExtractYear("position__camp__event__starts_at", tzinfo=SEOUL))
        .values("position__company_id", "position__company__name_ko", "year")
        .annotate(hires=Count("seeker__user", distinct=True))
    ):
        row(item["position__company_id"], item["year"], item["position__company__name_ko"])["camp_hires"] = item[
            "hires"
        ]
    for item in program_rows.values("company_id", "company__name_ko", "year").annotate(reported=Sum("hires")):
        row(item["company_id"], item["year"], item["company__name_ko"])["program_hires"] = item["reported"] or 0
    rows = sorted(totals.values(), key=lambda r: (-r["year"], r["company"]))
    for item in rows:
        item["total"] = item["camp_hires"] + item["program_hires"]
    return rows


def match_board(*, camp: Camp) -> list[JobApplication]:
    """The shortlisted applications of ``camp`` awaiting the staff's match confirmation, by
    company and position, each with ``seeker_interviews``: how many live interviews the seeker
    already has in the camp. One query however many there are."""
    interviews = (
        JobApplication.objects.filter(seeker=OuterRef("seeker"), status=Status.MATCHED, meeting__isnull=False)
        .exclude(meeting__state=Meeting.State.CANCELLED)
        .order_by()
        .values("seeker")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        JobApplication.objects.filter(position__camp=camp, status=Status.SHORTLISTED)
        .select_related("seeker", "position__company", "position__camp__event")
        .annotate(seeker_interviews=Coalesce(Subquery(interviews, output_field=IntegerField()), 0))
        .order_by("position__company__sort_name", "position__title", "created_at", "pk")
    )


def seekers_with_applications(*, camp: Camp) -> QuerySet[Seeker]:
    return Seeker.objects.filter(camp=camp).prefetch_related(
        Prefetch("applications", queryset=JobApplication.objects.select_related("position__company"))
    )
