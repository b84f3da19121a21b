"""Reads for the staff home: this week's events, the complex's yearly results, one company.

Every figure is counted from the data in a handful of grouped queries; the only numbers
staff type in are the targets (``companies.ComplexProfile`` and its yearly targets).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Membership
from companies.models import Company, ComplexProfile, ComplexYearTarget, ProfileChangeRequest
from companies.selectors import CHART_BAR_MAX
from events.models import Event, Registration
from programs.models import OUTCOME_FIGURES, Application, Outcome, Program

from .todos import week_bounds

# The results charts: labels end at CHART_LABEL_X, bars start at CHART_BAR_X (SVG units).
CHART_LABEL_X = 220
CHART_BAR_X = 230
LIVE = ~Q(registrations__status=Registration.Status.CANCELLED)


def events_this_week(*, user: Any, now: datetime | None = None) -> list[Event]:
    """Events from today (Seoul) to six days on that are not drafts, with their counts:
    ``registered_count`` (every registration not cancelled), ``confirmed_count``,
    ``waitlisted_count`` and ``checked_in_count``, and ``is_today``. One query."""
    if not user.has_perm("events.view_event"):
        return []
    now = now or timezone.now()
    start, end = week_bounds(now)
    today_end = start + (end - start) / 7
    events: list[Event] = list(
        Event.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Event.Status.DRAFT)
        .select_related("kind")
        .annotate(
            registered_count=Count("registrations", filter=LIVE),
            confirmed_count=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
            checked_in_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False) & LIVE),
        )
        .order_by("starts_at", "pk")
    )
    for event in events:
        event.is_today = event.starts_at < today_end  # type: ignore[attr-defined]
    return events


# --- The yearly results -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One result for the year before and the year: the numbers, and the bars drawn for them
    (each row scaled to its own largest value, so that won and counts can share a chart)."""

    key: str
    label: str | Promise
    previous: float
    current: float
    target: float | None = None
    unit: str = "count"  # "count", "krw" or "percent"

    @property
    def scale(self) -> float:
        return max(self.previous, self.current, self.target or 0, 1)

    @property
    def previous_width(self) -> float:
        return round(CHART_BAR_MAX * self.previous / self.scale, 1)

    @property
    def current_width(self) -> float:
        return round(CHART_BAR_MAX * self.current / self.scale, 1)

    @property
    def previous_value_x(self) -> float:
        return self.previous_width + CHART_BAR_X + 6

    @property
    def current_value_x(self) -> float:
        return self.current_width + CHART_BAR_X + 6

    @property
    def target_x(self) -> float | None:
        """Where the target mark is drawn."""
        return None if self.target is None else round(CHART_BAR_X + CHART_BAR_MAX * self.target / self.scale, 1)


@dataclass(frozen=True)
class ProgrammeRow:
    program: Program
    applications: Figure
    selections: Figure


@dataclass
class YearlyResults:
    year: int
    profile: ComplexProfile
    companies: list[Figure] = field(default_factory=list)
    events: list[Figure] = field(default_factory=list)
    programmes: list[ProgrammeRow] = field(default_factory=list)
    outcomes: list[Figure] = field(default_factory=list)

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def sections(self) -> list[tuple[str, str | Promise, list[Figure]]]:
        programme_figures = [figure for row in self.programmes for figure in (row.applications, row.selections)]
        return [
            ("companies", _("입주"), self.companies),
            ("events", _("행사"), self.events),
            ("programmes", _("지원사업 신청 · 선정"), programme_figures),
            ("outcomes", _("사업 성과"), self.outcomes),
        ]

    def figure(self, key: str) -> Figure:
        return next(f for _k, _l, figures in self.sections for f in figures if f.key == key)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _company_figures(year: int, profile: ComplexProfile) -> list[Figure]:
    """Allotted companies (every tenant on record; the data holds no allotment date) and
    companies moved in by the end of each year (a moved-in company without a date counts as
    moved in before both years). The current year's count is the public statistics' figure."""
    previous = year - 1
    moved = Q(move_in_status=Company.MoveInStatus.MOVED_IN)
    counts = Company.objects.aggregate(
        allotted=Count("pk"),
        moved_previous=Count("pk", filter=moved & (Q(moved_in_on__isnull=True) | Q(moved_in_on__year__lte=previous))),
        moved_current=Count("pk", filter=moved & (Q(moved_in_on__isnull=True) | Q(moved_in_on__year__lte=year))),
        arrived_previous=Count("pk", filter=moved & Q(moved_in_on__year=previous)),
        arrived_current=Count("pk", filter=moved & Q(moved_in_on__year=year)),
    )
    targets = {t.year: t for t in ComplexYearTarget.objects.filter(year__in=[previous, year])}
    current_target = targets.get(year)
    return [
        Figure(
            "companies_allotted",
            _("분양 기업 (누적)"),
            counts["allotted"],
            counts["allotted"],
            target=profile.allotted_company_target,
        ),
        Figure(
            "companies_moved_in",
            _("입주 완료 기업 (연말 누적)"),
            counts["moved_previous"],
            counts["moved_current"],
            target=current_target.moved_in_companies if current_target else None,
        ),
        Figure("companies_arrived", _("그해 입주한 기업"), counts["arrived_previous"], counts["arrived_current"]),
    ]


def _event_figures(year: int, now: datetime) -> list[Figure]:
    """Events held (started before now, not cancelled and not drafts), their confirmed
    registrations, and attendance: checked-in confirmed registrations over confirmed ones."""
    start, _end = _year_bounds(year - 1)
    _start, end = _year_bounds(year)
    held = Event.objects.filter(starts_at__gte=start, starts_at__lt=min(end, now)).exclude(
        status__in=[Event.Status.DRAFT, Event.Status.CANCELLED]
    )
    rows = (
        held.annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(
            events=Count("pk", distinct=True),
            confirmed=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED), distinct=True
            ),
            attended=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.CONFIRMED, registrations__checked_in_at__isnull=False
                ),
                distinct=True,
            ),
        )
        .order_by()
    )
    by_year = {row["year"]: row for row in rows}

    def get(y: int, key: str) -> int:
        return by_year.get(y, {}).get(key, 0)

    def rate(y: int) -> float:
        confirmed = get(y, "confirmed")
        return round(100 * get(y, "attended") / confirmed, 1) if confirmed else 0.0

    previous = year - 1
    return [
        Figure("events_held", _("개최한 행사"), get(previous, "events"), get(year, "events")),
        Figure("registrations", _("참가 확정 인원"), get(previous, "confirmed"), get(year, "confirmed")),
        Figure("attended", _("참석 인원 (입장 확인)"), get(previous, "attended"), get(year, "attended")),
        Figure("attendance_rate", _("참석률 (%)"), rate(previous), rate(year), unit="percent"),
    ]


def _programme_rows(year: int) -> list[ProgrammeRow]:
    """Applications submitted in each year (by ``submitted_at``, Seoul) and how many of them
    were selected, per programme. One query."""
    start, _end = _year_bounds(year - 1)
    _start, end = _year_bounds(year)
    rows = (
        Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(year=ExtractYear("submitted_at"))
        .values("call__program", "year")
        .annotate(applications=Count("pk"), selections=Count("pk", filter=Q(status=Application.Status.SELECTED)))
        .order_by()
    )
    counts: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for row in rows:
        counts[row["call__program"]][(row["year"], "applications")] = row["applications"]
        counts[row["call__program"]][(row["year"], "selections")] = row["selections"]
    programs = Program.objects.filter(Q(is_active=True) | Q(pk__in=counts.keys())).order_by("order", "name_ko")
    result = []
    for program in programs:
        c = counts.get(program.pk, {})
        result.append(
            ProgrammeRow(
                program=program,
                applications=Figure(
                    f"applications_{program.pk}",
                    _("%(program)s 신청") % {"program": program.name},
                    c.get((year - 1, "applications"), 0),
                    c.get((year, "applications"), 0),
                ),
                selections=Figure(
                    f"selections_{program.pk}",
                    _("%(program)s 선정") % {"program": program.name},
                    c.get((year - 1, "selections"), 0),
                    c.get((year, "selections"), 0),
                ),
            )
        )
    return result


OUTCOME_LABELS: dict[str, tuple[str | Promise, str]] = {
    "mous_signed": (_("MOU 체결 · 지원사업 성과 (건)"), "count"),
    "joint_rnd": (_("공동 R&D (건)"), "count"),
    "investment_krw": (_("투자 유치액 (원)"), "krw"),
    "export_contracts": (_("수출 계약 (건)"), "count"),
    "export_amount_krw": (_("수출 계약액 (원)"), "krw"),
    "patents_filed": (_("특허 출원 (건)"), "count"),
    "hires": (_("신규 채용 · 지원사업 성과 (명)"), "count"),
}


def _outcome_figures(year: int) -> list[Figure]:
    """Programme outcomes summed per year (``Outcome.year``), with next to the MOUs those signed
    in business consultations and next to the hires those of the hiring camp, and each total.
    Five queries.

    Nothing is counted twice: consultation MOUs and camp hires are never entered in programme
    ``Outcome`` rows (meetings/README.md, hiring/README.md), and the two selectors count an MOU
    once per company party however many sides recorded it, and a hired seeker once per company
    and year. Like ``Outcome.mous_signed`` (what each company reports), MOUs are counted per
    company: an MOU between two tenants counts for each."""
    from hiring.selectors import company_yearly_hires
    from meetings.selectors import consultation_mou_counts

    previous = year - 1
    sums = Outcome.objects.aggregate(
        **{f"{name}_{y}": Sum(name, filter=Q(year=y), default=0) for name in OUTCOME_FIGURES for y in (previous, year)}
    )
    consultation_mous = dict.fromkeys((previous, year), 0)
    for (_company, signed_year), count in consultation_mou_counts().items():
        if signed_year in consultation_mous:
            consultation_mous[signed_year] += count
    camp_hires = dict.fromkeys((previous, year), 0)
    for row in company_yearly_hires():
        if row["year"] in camp_hires:
            camp_hires[row["year"]] += row["camp_hires"]
    figures: list[Figure] = []
    for name, (label, unit) in OUTCOME_LABELS.items():
        figure = Figure(name, label, sums[f"{name}_{previous}"], sums[f"{name}_{year}"], unit=unit)
        figures.append(figure)
        if name == "mous_signed":
            extra, extra_label, total_label = (
                consultation_mous,
                _("MOU 체결 · 비즈니스 상담 (건)"),
                _("MOU 체결 합계 (건)"),
            )
            keys = ("consultation_mous", "mous_total")
        elif name == "hires":
            extra, extra_label, total_label = camp_hires, _("신규 채용 · 채용캠프 (명)"), _("신규 채용 합계 (명)")
            keys = ("camp_hires", "hires_total")
        else:
            continue
        figures.append(Figure(keys[0], extra_label, extra[previous], extra[year], unit=unit))
        figures.append(
            Figure(keys[1], total_label, figure.previous + extra[previous], figure.current + extra[year], unit=unit)
        )
    return figures


def yearly_results(*, year: int, now: datetime | None = None) -> YearlyResults:
    """The complex's results for ``year`` and the year before, for the staff dashboard and the
    yearly report. Eleven queries, whatever the number of rows."""
    now = now or timezone.now()
    profile = ComplexProfile.load()
    return YearlyResults(
        year=year,
        profile=profile,
        companies=_company_figures(year, profile),
        events=_event_figures(year, now),
        programmes=_programme_rows(year),
        outcomes=_outcome_figures(year),
    )


def yearly_report_rows(results: YearlyResults) -> list[list[Any]]:
    """The yearly report as spreadsheet rows: section, figure, the year before, the year, target."""
    rows: list[list[Any]] = [
        [
            str(_("구분")),
            str(pgettext_lazy("statistics", "항목")),
            f"{results.previous_year}",
            f"{results.year}",
            str(_("목표")),
        ]
    ]
    for _key, section, figures in results.sections:
        for figure in figures:
            rows.append(
                [
                    str(section),
                    str(figure.label),
                    figure.previous,
                    figure.current,
                    "" if figure.target is None else figure.target,
                ]
            )
    return rows


# --- One company --------------------------------------------------------------------------


@dataclass
class CompanyOverview:
    company: Company
    members: list[Membership]
    pending_members: list[Membership]
    change_requests: list[ProfileChangeRequest]
    registrations: list[Registration]
    applications: list[Application]
    outcomes_by_year: list[tuple[int, dict[str, int]]]

    @property
    def attended_count(self) -> int:
        return sum(1 for r in self.registrations if r.checked_in_at)

    @property
    def no_show_count(self) -> int:
        return sum(1 for r in self.registrations if getattr(r, "is_no_show", False))


def company_overview(*, company: Company, now: datetime | None = None) -> CompanyOverview:
    """Everything SBA knows about one company, in six queries: members and join requests,
    profile change requests, event registrations (attended, no-shows), applications, outcomes."""
    now = now or timezone.now()
    memberships = list(Membership.objects.filter(company=company).select_related("user", "decided_by"))
    registrations = list(
        Registration.objects.filter(company=company)
        .select_related("event", "event__kind")
        .order_by("-event__starts_at", "pk")
    )
    for registration in registrations:
        registration.is_no_show = (  # type: ignore[attr-defined]
            registration.status == Registration.Status.CONFIRMED
            and registration.checked_in_at is None
            and registration.event.ends_at < now
            and registration.event.status != Event.Status.CANCELLED
        )
    outcomes: dict[int, dict[str, int]] = {}
    for outcome in Outcome.objects.filter(company=company).values("year", *OUTCOME_FIGURES):
        totals = outcomes.setdefault(outcome["year"], dict.fromkeys(OUTCOME_FIGURES, 0))
        for name in OUTCOME_FIGURES:
            totals[name] += outcome[name]
    return CompanyOverview(
        company=company,
        members=[m for m in memberships if m.status != Membership.Status.PENDING],
        pending_members=[m for m in memberships if m.status == Membership.Status.PENDING],
        change_requests=list(
            ProfileChangeRequest.objects.filter(company=company).select_related("submitted_by", "reviewed_by")
        ),
        registrations=registrations,
        applications=list(
            Application.objects.filter(company=company)
            .select_related("call", "call__program")
            .prefetch_related(Prefetch("events", to_attr="status_history"))
            .order_by("-created_at")
        ),
        outcomes_by_year=sorted(outcomes.items(), reverse=True),
    )
