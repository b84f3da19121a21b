#!/usr/bin/env python
"""The registration rush's request, in one process: ms per request, queries, and the event lock.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok REDIS_URL=redis://127.0.0.1:6379/8 \
        .venv/bin/python bench/rush_inprocess.py [--users 300] [--capacity 100] [--rounds 3] [--profile]

In a throwaway database (a copy of the migrated template, demo data plus the benchmark's users),
with production settings and the Redis cache of REDIS_URL, each benchmark user POSTs the same
request as ``bench/http_bench.py``'s rush (``{"consent": true}`` with its API token, no
Idempotency-Key) through the Django test client, one after another, for one event of
``--capacity`` seats: confirmed ones first, then waitlisted. Each round uses a fresh event.

Reports the median and mean ms per request (whole middleware stack, no HTTP) and the CPU time of
this process per request (the web worker's share, without PostgreSQL's), the number of
queries of one confirmed and one waitlisted request, and how long each request held the event's
row lock (from the ``SELECT ... FOR UPDATE`` being sent until its transaction committed). One
process, one thread: this is the CPU cost per request, not throughput under contention.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _db import in_process_database

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the last round")
    args = parser.parse_args()

    with in_process_database(API_THROTTLE_USER="100000/minute"):
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
        import django

        django.setup()
        import notifications.services as outbox

        # Publishing to the broker after commit is not measured (the outbox row is what counts).
        outbox.email_prompt = lambda *, email_id: False  # type: ignore[assignment]
        outbox.emails_prompt = lambda *, email_ids: 0  # type: ignore[assignment]
        from django.core.cache import cache
        from django.core.management import call_command

        cache.clear()
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        from bulk_data import build

        data = build(
            companies=0, events=0, registrations_per_event=0, rush_users=args.users,
            rush_capacity=args.capacity, reminder_events=0, reminder_per_event=0,
        )  # fmt: skip
        run(data, args)


def run(data: Any, args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import Event, Registration

    template = Event.objects.get(pk=data.rush_event_id)
    client = Client()
    lock_held: list[float] = []
    locked_at: list[float] = []

    def lock_timer(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "FOR UPDATE" in sql and "events_event" in sql:
            locked_at.append(time.perf_counter())
        return execute(sql, params, many, context)

    def committed() -> None:
        if locked_at:
            lock_held.append(time.perf_counter() - locked_at.pop())

    def post(token: str, event_id: int) -> int:
        response = client.post(
            f"/api/v1/events/{event_id}/registrations/",
            data='{"consent": true}',
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        return response.status_code

    # The lock ends at COMMIT: time it from the FOR UPDATE to the end of the atomic block.
    from events import services

    original = services.registration_create_do

    def timed_do(*, plan, event):  # type: ignore[no-untyped-def]
        result = original(plan=plan, event=event)
        connection.on_commit(committed)
        return result

    services.registration_create_do = timed_do  # type: ignore[assignment]

    tokens = data.rush_tokens
    for round_number in range(1, args.rounds + 1):
        event = Event.objects.create(
            kind=template.kind, title_ko=f"러시 {round_number}", venue_ko=template.venue_ko,
            starts_at=template.starts_at, ends_at=template.ends_at, capacity=args.capacity,
            audience=template.audience, status=template.status,
        )  # fmt: skip
        Registration.objects.filter(event=template).delete()
        times: list[float] = []
        cpu: list[float] = []
        lock_held.clear()
        profile = cProfile.Profile() if args.profile and round_number == args.rounds else None
        with connection.execute_wrapper(lock_timer):
            if profile:
                profile.enable()
            for token in tokens:
                started, started_cpu = time.perf_counter(), time.process_time()
                status = post(token, event.pk)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                assert status == 201, status
            if profile:
                profile.disable()
        confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
        assert confirmed == args.capacity, confirmed
        ms = [t * 1000 for t in times]
        held = [t * 1000 for t in lock_held]
        print(
            f"round {round_number}: {len(ms)} requests, median {statistics.median(ms):.2f} ms, "
            f"mean {statistics.mean(ms):.2f} ms, p95 {sorted(ms)[int(len(ms) * 0.95) - 1]:.2f} ms, "
            f"CPU of this process {1000 * statistics.mean(cpu):.2f} ms; "
            f"lock held median {statistics.median(held):.2f} ms, mean {statistics.mean(held):.2f} ms",
            flush=True,
        )
        if profile:
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(
                int(os.environ.get("PROFILE_LINES", "45"))
            )
            print(stream.getvalue())
            if os.environ.get("PROFILE_DUMP"):
                profile.dump_stats(os.environ["PROFILE_DUMP"])

    # Queries of one confirmed and one waitlisted request (a fresh event of one seat).
    event = Event.objects.create(
        kind=template.kind, title_ko="러시 쿼리", venue_ko=template.venue_ko, starts_at=template.starts_at,
        ends_at=template.ends_at, capacity=1, audience=template.audience, status=template.status,
    )  # fmt: skip
    for label, token in (("confirmed", tokens[0]), ("waitlisted", tokens[1])):
        with CaptureQueriesContext(connection) as queries:
            assert post(token, event.pk) == 201
        print(f"\n{label}: {len(queries)} queries")
        for query in queries:
            print("   ", query["sql"][:160])


if __name__ == "__main__":
    main()
