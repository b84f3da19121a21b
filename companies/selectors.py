"""Reads for the company directory, shared by the HTML pages and the API."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window

from magok.pagecache import cached_public_value

from .models import Company, ComplexProfile, Sector
from .search import DOCUMENT_FIELDS, RANK_SIMILAR, match_queryset

SEARCH_COLUMNS = tuple(f"search_{name}" for name in DOCUMENT_FIELDS)


def company_search(
    *,
    query: str = "",
    size: str | None = None,
    sector: str | None = None,
    move_in_status: str | None = None,
) -> QuerySet[Company]:
    """Public companies matching ``query`` and the filters, best match first.

    The forgiving search of ``companies.search``: jamo prefixes (``로보``, ``로ㅂ``), 초성
    (``ㄹㅂㅌㅈ``), spacing and punctuation ignored, the staff's aliases (엘지 = LG, 로봇 = robot),
    near spellings. Rank (``search_rank``): exact name, name prefix, name contains, keyword
    contains, similar name; ties by Korean name in natural order ("예시기업 2" before "예시기업 10",
    ``Company.sort_name``). Without a query the list is in that order; a query with no letter or
    digit in it (``"%"``) finds nothing. ``sector`` is a sector slug.
    """
    # The search columns are read by the WHERE clause, never shown: not carried through the sort.
    companies = Company.objects.filter(is_public=True).defer(*SEARCH_COLUMNS).prefetch_related("sectors")
    if size:
        companies = companies.filter(size_class=size)
    if move_in_status:
        companies = companies.filter(move_in_status=move_in_status)
    if sector:
        # A company has each sector at most once, so this join adds no duplicate rows.
        companies = companies.filter(sectors__slug=sector)
    if not (query or "").strip():
        return companies.order_by("sort_name", "pk")
    return match_queryset(companies, query, tiebreak=("sort_name", "pk"))


class OneQueryPaginator(Paginator):
    """A paginator that reads a page of a search and its total in one query (``COUNT(*) OVER ()``
    next to the page's rows) instead of a COUNT and then the rows: a search is matched once per
    page. Only a page past the end (no rows, so no total) costs the extra COUNT of the stock
    paginator.

    A list without a text query (the directory, maybe filtered) is read the other way: the
    window would read every company to count them (27 ms at 10,000), while the page alone is
    20 rows off the ``sort_name`` index; its total is kept with the public content
    (``cached_public_value``) until a company changes.
    """

    def page(self, number: Any) -> Page:
        queryset = cast(QuerySet[Any], self.object_list)
        number = self.validate_number_format(number)
        if "search_rank" not in queryset.query.annotations:
            try:
                sql = str(queryset.query)
            except EmptyResultSet:  # a query that can match nothing ("%", ":")
                self.__dict__["count"] = 0
            else:
                digest = hashlib.sha256(sql.encode()).hexdigest()[:24]
                self.__dict__["count"] = cached_public_value(
                    f"directory-count:{digest}", queryset.count, per_language=False
                )
            return super().page(number)
        bottom = (number - 1) * self.per_page
        searched = queryset.annotate(directory_total=Window(Count("*")))
        rows = list(searched[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = rows[0].directory_total
        elif number == 1:
            self.__dict__["count"] = 0
        else:
            return super().page(number)  # past the end: counts, then raises EmptyPage
        return Page(rows, number, self)

    def validate_number_format(self, number: Any) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number: Any) -> Page:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(self.num_pages, 1))


def did_you_mean(results: list[Company]) -> Company | None:
    """The "did you mean" suggestion of a search's first page: when nothing contains the query
    and only near spellings were found, the nearest one."""
    if results and getattr(results[0], "search_rank", None) == RANK_SIMILAR:
        return results[0]
    return None


def sector_choices() -> list[Sector]:
    """Sectors that at least one public company has, for the filter menus (cached until public
    content changes, magok/pagecache.py)."""
    return cached_public_value(
        "sector-choices",
        lambda: list(Sector.objects.filter(companies__is_public=True).distinct().order_by("order", "name_ko")),
        per_language=False,
    )


CHART_BAR_MAX = 180
CHART_ROW_HEIGHT = 30


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    percent: float  # of the largest bar in its chart, for drawing

    @property
    def width(self) -> float:
        """Bar length in the chart's SVG units (at most ``CHART_BAR_MAX``)."""
        return round(CHART_BAR_MAX * self.percent / 100, 1)

    @property
    def value_x(self) -> float:
        """Where the count is written: just after the bar (bars start at x=150)."""
        return self.width + 156


@dataclass(frozen=True)
class ComplexStatistics:
    profile: ComplexProfile
    total: int
    by_size: list[Bar]
    by_move_in_status: list[Bar]
    moved_in: int
    target: int
    # Moved-in companies as a share of the allotted-company target, 0..100.
    moved_in_percent: float

    @property
    def size_chart_height(self) -> int:
        return CHART_ROW_HEIGHT * len(self.by_size) + 8

    @property
    def status_chart_height(self) -> int:
        return CHART_ROW_HEIGHT * len(self.by_move_in_status) + 8

    @property
    def progress_width(self) -> float:
        return round(CHART_BAR_MAX * self.moved_in_percent / 100, 1)


def _bars(choices: Any, counts: dict[str, int]) -> list[Bar]:
    largest = max([*counts.values(), 1])
    return [
        Bar(key=value, label=str(label), count=counts.get(value, 0), percent=100 * counts.get(value, 0) / largest)
        for value, label in choices
    ]


def complex_statistics() -> ComplexStatistics:
    """Company counts by size and by move-in status, and move-in progress against the target.
    Cached until public content changes (magok/pagecache.py); the labels are translated, so
    once per language."""
    return cached_public_value("complex-statistics", _complex_statistics)


def _complex_statistics() -> ComplexStatistics:
    """See ``complex_statistics``.

    Counts every tenant, including those whose profile is not public: the figures describe the
    complex, not the directory. Two queries: one grouped count, one for the complex profile.
    """
    by_size: dict[str, int] = {}
    by_status: dict[str, int] = {}
    rows = Company.objects.order_by().values("size_class", "move_in_status").annotate(n=Count("pk"))
    for row in rows:
        by_size[row["size_class"]] = by_size.get(row["size_class"], 0) + row["n"]
        by_status[row["move_in_status"]] = by_status.get(row["move_in_status"], 0) + row["n"]
    profile = ComplexProfile.load()
    moved_in = by_status.get(Company.MoveInStatus.MOVED_IN, 0)
    target = profile.allotted_company_target
    return ComplexStatistics(
        profile=profile,
        total=sum(by_size.values()),
        by_size=_bars(Company.SizeClass.choices, by_size),
        by_move_in_status=_bars(Company.MoveInStatus.choices, by_status),
        moved_in=moved_in,
        target=target,
        moved_in_percent=min(100.0, 100 * moved_in / target) if target else 0.0,
    )
