"""Reads for the company directory, shared by the HTML pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Lookup, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from magok.pagecache import cached_public_value

from .models import Company, ComplexProfile, Sector

# Rank of a match, best first (see ``company_search``).
TRIGRAM_MIN_QUERY = 3
RANK_EXACT_NAME, RANK_NAME_PREFIX, RANK_NAME_CONTAINS, RANK_KEYWORD, RANK_SIMILAR = range(5)


class ILike(Lookup):
    """``column ILIKE pattern`` (PostgreSQL). Django's ``icontains`` compiles to
    ``UPPER(column) LIKE UPPER(...)``, which a trigram index on the bare column cannot serve;
    ILIKE can, so the GIN indexes of migration 0003 answer both this and the ``%`` operator."""

    lookup_name = "ilike"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_conditions(query: str) -> tuple[Q, Q, Q, Q]:
    """(exact name, name prefix, name contains, keyword contains) as conditions."""
    if connection.vendor == "postgresql":
        escaped = _like_escape(query)

        def both(pattern: str) -> Q:
            return Q(ILike(F("name_ko"), Value(pattern))) | Q(ILike(F("name_en"), Value(pattern)))

        return both(escaped), both(f"{escaped}%"), both(f"%{escaped}%"), Q(ILike(F("keywords"), Value(f"%{escaped}%")))
    return (
        Q(name_ko__iexact=query) | Q(name_en__iexact=query),
        Q(name_ko__istartswith=query) | Q(name_en__istartswith=query),
        Q(name_ko__icontains=query) | Q(name_en__icontains=query),
        Q(keywords__icontains=query),
    )


def company_search(
    *,
    query: str = "",
    size: str | None = None,
    sector: str | None = None,
    move_in_status: str | None = None,
) -> QuerySet[Company]:
    """Public companies matching ``query`` (any part of the Korean or English name or of the
    keywords; also near spellings on PostgreSQL) and the filters, best match first.

    Rank: exact name, then name prefix, then name contains, then keyword contains, then
    trigram similarity (PostgreSQL only, queries of 3+ characters); ties by Korean name. Without a query the list is in
    Korean name order. ``sector`` is a sector slug.
    """
    companies = Company.objects.filter(is_public=True).prefetch_related("sectors")
    if size:
        companies = companies.filter(size_class=size)
    if move_in_status:
        companies = companies.filter(move_in_status=move_in_status)
    if sector:
        # A company has each sector at most once, so this join adds no duplicate rows.
        companies = companies.filter(sectors__slug=sector)
    query = " ".join((query or "").split())
    if not query:
        return companies.order_by("name_ko", "pk")

    exact, prefix, contains, keyword = _name_conditions(query)
    matches = contains | keyword
    rank = Case(
        When(exact, then=Value(RANK_EXACT_NAME)),
        When(prefix, then=Value(RANK_NAME_PREFIX)),
        When(contains, then=Value(RANK_NAME_CONTAINS)),
        When(keyword, then=Value(RANK_KEYWORD)),
        default=Value(RANK_SIMILAR),
        output_field=IntegerField(),
    )
    # Near spellings: a query of one or two characters has no trigram of its own (only padded
    # ones shared by every name starting alike), so similarity would match noise and scan a lot.
    if connection.vendor == "postgresql" and len(query) >= TRIGRAM_MIN_QUERY:
        from django.contrib.postgres.search import TrigramSimilarity

        matches |= Q(name_ko__trigram_similar=query) | Q(name_en__trigram_similar=query)
        similarity: Any = Greatest(TrigramSimilarity("name_ko", query), TrigramSimilarity("name_en", query))
    else:
        similarity = Value(0.0, output_field=FloatField())
    # Similarity orders only the fuzzy matches; substring matches of one rank go by name.
    fuzzy_order = Case(When(contains | keyword, then=Value(0.0)), default=similarity, output_field=FloatField())
    return (
        companies.filter(matches)
        .annotate(search_rank=rank, search_similarity=fuzzy_order)
        .order_by("search_rank", "-search_similarity", "name_ko", "pk")
    )


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
