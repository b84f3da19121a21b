#!/usr/bin/env python
"""The forgiving directory search on PostgreSQL, per query length.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/directory_search.py \
        [--rows 10000] [--repeat 40] [--without-indexes] [--keep]

Creates a throwaway database next to the one in DATABASE_URL, migrates it, adds the demo's search
aliases and generated companies (search columns filled as ``save()`` fills them), and times one
results page as the directory and the API read it (``OneQueryPaginator(company_search(q), 20)``,
page 1: the rows with their total in one query, plus the sectors prefetch) for queries of every
length: one syllable, a lone consonant, two syllables, a syllable being typed, 초성, English,
keywords, typos. Prints p50/p95 per query and per length, EXPLAIN ANALYZE of one query per length
(and whether any of them scans the table), and with ``--without-indexes`` the same timings after
dropping the GIN indexes. Drops the database. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from _db import throwaway_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (query, length class, kind)
QUERIES = [
    ("로", "1 syllable", "Korean"),
    ("마", "1 syllable", "Korean"),
    ("솔", "1 syllable", "Korean, with final consonant"),
    ("ㄹ", "1 jamo", "lone consonant (초성)"),
    ("r", "1 jamo", "one Latin letter"),
    ("로보", "2 syllables", "Korean"),
    ("마곡", "2 syllables", "Korean"),
    ("바이", "2 syllables", "Korean"),
    ("로ㅂ", "2 syllables", "syllable being typed"),
    ("ㄹㅂ", "2 syllables", "초성"),
    ("lg", "2 syllables", "two Latin letters"),
    ("로보티", "3+ syllables", "Korean"),
    ("로보티즈", "3+ syllables", "Korean, full name"),
    ("ㄹㅂㅌㅈ", "3+ syllables", "초성"),
    ("robo", "3+ syllables", "English, partial"),
    ("Robotis", "3+ syllables", "English, full name"),
    ("로보티스", "3+ syllables", "typo (similar names)"),
    ("Robotiz", "3+ syllables", "typo (similar names)"),
    ("다이나믹셀", "3+ syllables", "keyword"),
    ("robot", "3+ syllables", "English keyword (alias)"),
]
LENGTHS = ["1 jamo", "1 syllable", "2 syllables", "3+ syllables"]
INDEXES = ("company_search_names_trgm", "company_search_keywords_trgm", "company_search_initials_trgm")
EXPLAIN = ["로", "ㄹ", "r", "로보", "ㄹㅂ", "로보티즈", "로보티스"]

KO_PARTS = [
    "마곡",
    "로보",
    "바이오",
    "메디",
    "테크",
    "에너지",
    "소재",
    "헬스",
    "케어",
    "정밀",
    "나노",
    "그린",
    "스마트",
    "디지털",
    "한빛",
    "서울",
    "강서",
    "미래",
    "제약",
    "전자",
    "시스템",
    "솔루션",
    "랩",
    "코리아",
]
EN_PARTS = [
    "Magok",
    "Robo",
    "Bio",
    "Medi",
    "Tech",
    "Energy",
    "Materials",
    "Health",
    "Care",
    "Precision",
    "Nano",
    "Green",
    "Smart",
    "Digital",
    "Hanbit",
    "Seoul",
    "Gangseo",
    "Mirae",
    "Pharma",
    "Electronics",
    "Systems",
    "Solutions",
    "Lab",
    "Korea",
]
KEYWORDS = [
    "로봇",
    "액추에이터",
    "인공지능",
    "신약",
    "체외진단",
    "배터리",
    "수소",
    "센서",
    "반도체",
    "드론",
    "자율주행",
    "의료기기",
    "건강기능식품",
    "클라우드",
    "보안",
    "화장품",
    "디스플레이",
    "5G",
    "시험",
    "인증",
]


def fill(rows: int) -> None:
    from companies.demo import SEARCH_ALIASES
    from companies.models import Company, SearchAlias, natural_sort_name
    from companies.search import alias_groups

    for terms, note in SEARCH_ALIASES:
        SearchAlias.objects.create(terms=terms, note=note)
    groups = alias_groups()

    rng = random.Random(7)
    companies = [
        Company(
            name_ko="로보티즈",
            name_en="Robotis",
            slug="robotis",
            size_class="sme",
            keywords="로봇, 액추에이터, 다이나믹셀",
            move_in_status="moved_in",
        )
    ]
    for n in range(rows - 1):
        picks = rng.sample(range(len(KO_PARTS)), k=rng.choice([2, 2, 3]))
        companies.append(
            Company(
                name_ko="".join(KO_PARTS[i] for i in picks) + f" {n}",
                name_en=" ".join(EN_PARTS[i] for i in picks) + f" {n}",
                slug=f"bench-{n}",
                size_class=rng.choice(["large", "midsized", "sme", "startup"]),
                keywords=", ".join(rng.sample(KEYWORDS, k=3)),
                move_in_status=rng.choice(["allotted", "under_construction", "moved_in"]),
            )
        )
    for company in companies:
        company.refresh_search_document(groups)  # what save() does; bulk_create does not call it
        company.sort_name = natural_sort_name(company.name_ko)
    Company.objects.bulk_create(companies, batch_size=2000)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_queries(repeat: int) -> dict[str, tuple[list[float], int]]:
    """Per query: the timings (ms) of reading page 1 and the number of matches."""
    from companies.selectors import OneQueryPaginator, company_search

    timings = {}
    for query, _length, _kind in QUERIES:
        samples = []
        count = 0
        for _ in range(repeat + 2):  # two warm-up runs
            started = time.perf_counter()
            page = OneQueryPaginator(company_search(query=query), 20).get_page(1)
            list(page.object_list)
            count = page.paginator.count
            samples.append((time.perf_counter() - started) * 1000)
        timings[query] = (samples[2:], count)
    return timings


def time_floor(repeat: int) -> list[float]:
    """The same round trip for a query that reads nothing: what the machine's load adds to any query."""
    from companies.models import Company

    samples = []
    for _ in range(repeat + 2):
        started = time.perf_counter()
        list(Company.objects.filter(pk=-1))
        samples.append((time.perf_counter() - started) * 1000)
    return samples[2:]


def report(timings: dict[str, tuple[list[float], int]], title: str) -> None:
    print(f"\n{title}: page 1 (20 rows + total) of company_search(query=...), ms\n")
    print(f"{'query':<12} {'length':<13} {'kind':<28} {'matches':>8} {'p50':>7} {'p95':>7}")
    for query, length, kind in QUERIES:
        samples, count = timings[query]
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        print(f"{query:<12} {length:<13} {kind:<28} {count:>8} {p50:>7.1f} {p95:>7.1f}")
    print(f"\n{'length':<13} {'p50':>7} {'p95':>7}  (all samples of the queries of that length)")
    for length in LENGTHS:
        samples = [t for q, ln, _k in QUERIES if ln == length for t in timings[q][0]]
        print(f"{length:<13} {percentile(samples, 0.5):>7.1f} {percentile(samples, 0.95):>7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--without-indexes", action="store_true", help="Also time the queries without the GIN indexes.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards (for EXPLAIN by hand).")
    args = parser.parse_args()

    with throwaway_database(keep=args.keep) as bench_db:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")
        os.environ["AXES_ENABLED"] = "0"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections
        from django.db.models import Count, Window

        from companies.selectors import company_search

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT show_trgm('한글')")
            if not cursor.fetchone()[0]:
                print("WARNING: show_trgm('한글') is empty: this database's locale gives no Korean trigrams.")
        started = time.perf_counter()
        fill(args.rows)
        with connection.cursor() as cursor:
            # The GIN indexes were created on an empty table by the migration; VACUUM merges
            # their pending lists (as autovacuum would) so that the planner sees real indexes.
            cursor.execute("VACUUM ANALYZE companies_company")
        print(f"{args.rows:,} companies in {time.perf_counter() - started:.1f}s (database {bench_db})")

        floor = time_floor(args.repeat)
        p50, p95 = percentile(floor, 0.5), percentile(floor, 0.95)
        print(f"\nfloor (a query that reads nothing): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        report(time_queries(args.repeat), f"with the GIN indexes, {args.repeat} runs each")
        scans = []
        for query in EXPLAIN:
            page_query = company_search(query=query).annotate(directory_total=Window(Count("*")))[:20]
            plan = page_query.explain(analyze=True)
            print(f"\nEXPLAIN ANALYZE company_search(query={query!r}):\n{plan}")
            if "Seq Scan on companies_company" in plan:
                scans.append(query)
        print(f"\nsequential scans of companies_company: {scans or 'none'}")

        if args.without_indexes:
            with connection.cursor() as cursor:
                for name in INDEXES:
                    cursor.execute(f"DROP INDEX {name}")
                cursor.execute("ANALYZE companies_company")
            report(time_queries(args.repeat), f"without the GIN indexes, {args.repeat} runs each")
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
