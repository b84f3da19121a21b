#!/usr/bin/env python
"""The batch meeting planner at the size of a large consultation day.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/meetings_schedule.py [--keep]
        [--participants 300] [--requests 1500] [--slots 9] [--tables 30] [--max 9] [--seed 2019] [--repeat 3]

Creates a throwaway database next to the one in DATABASE_URL and migrates it, then builds one
event with a meeting grid of ``--slots`` slots × ``--tables`` tables, ``--participants``
participants and ``--requests`` random distinct pairs (seeded), some participants unavailable
in some slots. It times ``meetings.services.schedule_plan`` end to end (reads, the planner,
the bulk inserts, in one transaction), then a second run (idempotent: everything kept) and a
re-plan, and checks the constraints in the database after each run. Also the pure planner
alone. Target: the first plan in under 2 s. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from _db import throwaway_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(args: argparse.Namespace):
    from django.utils import timezone

    from companies.models import Company  # noqa: F401 - app registry warm-up
    from events.models import Event, EventKind
    from meetings.models import MeetingGrid, Participant, Table, Unavailability
    from meetings.services import DemandSpec, grid_slots_generate

    kind = EventKind.objects.get_or_create(slug="bench", defaults={"name_ko": "벤치", "name_en": "Bench"})[0]
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        kind=kind,
        title_ko="벤치 상담회",
        venue_ko="마곡",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        capacity=1000,
    )
    grid = MeetingGrid.objects.create(
        event=event,
        first_start=start,
        last_start=start + timedelta(minutes=20 * (args.slots - 1)),
        max_meetings_per_participant=args.max,
    )
    slots = grid_slots_generate(grid=grid, by=None)
    Table.objects.bulk_create([Table(grid=grid, name=f"테이블 {i + 1}", order=i) for i in range(args.tables)])
    people = Participant.objects.bulk_create(
        [
            Participant(grid=grid, display_name=f"참가자{i}", email=f"p{i}@bench.example.kr")
            for i in range(args.participants)
        ]
    )
    rng = random.Random(args.seed)
    Unavailability.objects.bulk_create(
        [Unavailability(participant=p, slot=rng.choice(slots)) for p in rng.sample(people, len(people) // 10)]
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < args.requests:
        a, b = rng.sample(people, 2)
        pairs.add((min(a.pk, b.pk), max(a.pk, b.pk)))
    demands = [DemandSpec(key=f"request:{i}", participant_ids=pair) for i, pair in enumerate(sorted(pairs))]
    return grid, demands


def check(grid) -> int:
    from django.db.models import Count

    from meetings.models import Meeting, MeetingSeat

    live = Meeting.objects.filter(grid=grid).exclude(state=Meeting.State.CANCELLED)
    seats = MeetingSeat.objects.filter(meeting__grid=grid, is_live=True)
    assert not live.values("table", "slot").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not seats.values("participant", "slot").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert (
        not seats.values("participant").annotate(n=Count("pk")).filter(n__gt=grid.max_meetings_per_participant).exists()
    )
    return live.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--slots", type=int, default=9)
    parser.add_argument("--tables", type=int, default=30)
    parser.add_argument("--max", type=int, default=9, help="Maximum of meetings per participant (default 9).")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of the pure planner (median).")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if args.participants < 2 or args.requests > args.participants * (args.participants - 1) // 2:
        parser.error("too many requests for the participants")

    with throwaway_database(keep=args.keep) as bench_db:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")
        os.environ["DJANGO_ENV"] = "test"
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        from meetings import planner
        from meetings.models import MeetingSeat, Unavailability
        from meetings.services import schedule_plan

        print(f"database {bench_db}; {os.cpu_count()} CPU cores, shared with other work: timings are noisy.\n")
        call_command("migrate", verbosity=0)
        grid, demands = build(args)
        cells = args.slots * args.tables
        print(
            f"{args.participants} participants, {len(demands)} requests, {args.slots} slots × {args.tables} tables "
            f"({cells} meetings at most), max {args.max} per participant\n"
        )

        started, cpu_started = time.perf_counter(), time.process_time()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            report = profiler.runcall(schedule_plan, grid=grid, demands=demands, by=None)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        else:
            report = schedule_plan(grid=grid, demands=demands, by=None)
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        placed = check(grid)
        reasons: dict[str, int] = {}
        for _key, code, _message in report.unplaced:
            reasons[code] = reasons.get(code, 0) + 1
        print(
            f"schedule_plan (first run):   {first * 1000:8.0f} ms  (Python CPU {first_cpu * 1000:.0f} ms)"
            f"  placed {len(report.placed)}, unplaced {reasons}"
        )

        started = time.perf_counter()
        again = schedule_plan(grid=grid, demands=demands, by=None)
        second = time.perf_counter() - started
        assert again.placed == [] and len(again.kept) == placed
        print(
            f"schedule_plan (again, idem.): {second * 1000:7.0f} ms  placed {len(again.placed)}, kept {len(again.kept)}"
        )

        started = time.perf_counter()
        replanned = schedule_plan(grid=grid, demands=demands, replan=True, by=None)
        third = time.perf_counter() - started
        assert check(grid) == len(replanned.placed)
        print(
            f"schedule_plan (re-plan):     {third * 1000:8.0f} ms"
            f"  released {replanned.released}, placed {len(replanned.placed)}"
        )

        # The pure planner on the same input, nothing placed yet.
        slots = list(grid.slots.values_list("pk", flat=True))
        tables = list(grid.tables.values_list("pk", flat=True))
        occupancy = planner.Occupancy(
            participant_unavailable=set(Unavailability.objects.values_list("participant_id", "slot_id"))
        )
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = planner.plan(
                slots=slots,
                tables=tables,
                demands=[planner.Demand(key=d.key, participants=d.participant_ids) for d in demands],
                occupancy=occupancy,
                max_per_participant=args.max,
            )
            timings.append(time.perf_counter() - started)
        print(f"planner.plan alone (median): {statistics.median(timings) * 1000:8.0f} ms  placed {len(result.placed)}")
        seats = MeetingSeat.objects.filter(meeting__grid=grid, is_live=True).count()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nlive seats {seats}; load average {load} on {os.cpu_count()} cores")
        print(f"target: first plan under 2 s (wall) -> {'OK' if first < 2 else 'MISSED'}")
        return 0 if first < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
