#!/usr/bin/env python
"""Directory search on PostgreSQL, with and without the trigram (GIN) indexes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/directory_search.py [--rows 10000]

Creates a throwaway database next to the one in DATABASE_URL, migrates it, fills it with
generated companies, times ``company_search`` (the selector the directory page and the API
use) for short Korean, English and keyword queries, drops the trigram indexes and times again,
prints EXPLAIN ANALYZE for one query, and drops the database. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from _db import throwaway_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("로", "Korean, 1 syllable"),
    ("로보", "Korean, 2 syllables"),
    ("마곡", "Korean, 2 syllables"),
    ("로보티즈", "Korean, full name"),
    ("robo", "English, partial"),
    ("Robotis", "English, full name"),
    ("Robotiz", "English, misspelt"),
    ("다이나믹셀", "keyword"),
    ("액추에이터", "keyword"),
]
INDEXES = ("company_name_ko_trgm_idx", "company_name_en_trgm_idx", "company_keywords_trgm_idx")

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
    from companies.models import Company

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
    Company.objects.bulk_create(companies, batch_size=2000)


def time_queries(repeat: int) -> dict[str, tuple[float, int]]:
    from companies.selectors import company_search

    timings = {}
    for query, _label in QUERIES:
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            queryset = company_search(query=query)
            count = queryset.count()
            list(queryset[:20])
            samples.append((time.perf_counter() - started) * 1000)
        timings[query] = (statistics.median(samples), count)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards (for EXPLAIN by hand).")
    args = parser.parse_args()

    with throwaway_database(keep=args.keep) as bench_db:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")
        os.environ["AXES_ENABLED"] = "0"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

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
        print(f"{args.rows:,} companies in {time.perf_counter() - started:.1f}s (database {bench_db})\n")

        with_index = time_queries(args.repeat)
        plan_with = company_search(query="로보티즈").explain(analyze=True)
        with connection.cursor() as cursor:
            for name in INDEXES:
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("ANALYZE companies_company")
        without_index = time_queries(args.repeat)
        plan_without = company_search(query="로보티즈").explain(analyze=True)

        print(f"median of {args.repeat} runs: count + first page of company_search(query=...)\n")
        print(f"{'query':<12} {'kind':<22} {'matches':>8} {'GIN trgm (ms)':>14} {'no index (ms)':>14} {'speed-up':>9}")
        for query, label in QUERIES:
            fast, count = with_index[query]
            slow, _ = without_index[query]
            print(f"{query:<12} {label:<22} {count:>8} {fast:>14.2f} {slow:>14.2f} {slow / fast:>8.1f}x")
        print("\nEXPLAIN ANALYZE company_search(query='로보티즈') with the trigram indexes:")
        print(plan_with)
        print("\n... and without them:")
        print(plan_without)
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
