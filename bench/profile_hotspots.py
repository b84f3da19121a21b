#!/usr/bin/env python
"""Where the time goes, by cProfile, for the targets bench/http_bench.py reports as missed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/profile_hotspots.py \
        [--registrations 60] [--reminders 300] [--requests 30] [--output bench/results/profile.txt]

In a throwaway database (a copy of the migrated template, demo data plus the benchmark's users),
in one process, with production settings except a local-memory cache and e-mail backend:

1. ``registration_create`` for one event, one user after another (the rush's work per request,
   without HTTP): confirmed ones first, then waitlisted;
2. the reminder fan-out's two halves: ``reminders_plan`` + ``reminders_queue_due`` (the periodic
   task) and ``email_send`` of each queued e-mail (the send task);
3. signed-in pages through the test client (the whole middleware stack).

For each it prints the wall time per unit and the functions with the most cumulative time.
With ``--timing`` it runs the same work without the profiler (whose overhead doubles the
Python side) and prints, per unit, the wall time, this process's CPU time and the CPU time of
the PostgreSQL backend serving it (both count on a 2-core machine: the worker and the database
share the cores).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

from _db import in_process_database

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))


def _backend_cpu_seconds() -> float:
    """CPU time (user + system) of the PostgreSQL backend of this process's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(title: str, units: int, work, out: list[str]) -> None:  # type: ignore[no-untyped-def]
    backend = _backend_cpu_seconds()
    cpu = time.process_time()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    backend = _backend_cpu_seconds() - backend
    n = max(units, 1)
    out.append(
        f"## {title}: {units} in {seconds:.2f} s without the profiler: per unit {1000 * seconds / n:.2f} ms wall, "
        f"{1000 * cpu / n:.2f} ms CPU of this process, {1000 * backend / n:.2f} ms CPU of its PostgreSQL backend\n"
    )
    print(out[-1], flush=True)


def profiled(title: str, units: int, work, out: list[str], limit: int = 25) -> None:  # type: ignore[no-untyped-def]
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    work()
    profile.disable()
    seconds = time.perf_counter() - started
    stream = io.StringIO()
    pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(limit)
    pstats.Stats(profile, stream=stream).sort_stats("tottime").print_stats(12)
    text = "\n".join(line for line in stream.getvalue().splitlines() if line.strip())
    each = 1000 * seconds / max(units, 1)
    out.append(f"## {title}: {units} in {seconds:.2f} s, {each:.1f} ms each\n\n```\n{text}\n```\n")
    print(out[-1][:3000], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", type=int, default=60)
    parser.add_argument("--reminders", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results" / "profile.txt")
    parser.add_argument("--parts", default="rush,fanout,pages", help="comma-separated: rush, fanout, pages")
    parser.add_argument("--timing", action="store_true", help="time without the profiler (CPU per unit)")
    parser.add_argument(
        "--redis", default="", help="a Redis URL for the cache, as in production (default: a local-memory cache)"
    )
    parser.add_argument("--companies", type=int, default=0, help="benchmark companies added to the demo data")
    parser.add_argument("--events", type=int, default=0, help="benchmark events added to the demo data")
    parser.add_argument("--paths", default="", help="comma-separated paths for the pages part (default: five pages)")
    parser.add_argument("--limit", type=int, default=20, help="profile lines per page, by cumulative time")
    args = parser.parse_args()
    measure = timed if args.timing else profiled

    with in_process_database(REDIS_URL="redis://127.0.0.1:1/0"):
        import django

        django.setup()
        from django.conf import settings

        # A local cache unless --redis (flushed first: it must be a database of its own), and
        # publishing after commit is skipped (the outbox row is what the send task needs).
        if args.redis:
            settings.CACHES = {
                **settings.CACHES,
                "default": {
                    "BACKEND": "magok.cache.ResilientRedisCache",
                    "LOCATION": args.redis,
                    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
                },
            }
            from django.core.cache import cache

            cache.clear()
        else:
            settings.CACHES = {
                **settings.CACHES,
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            }
        import notifications.services as outbox

        outbox.email_prompt = lambda *, email_id: False  # type: ignore[assignment]
        outbox.emails_prompt = lambda *, email_ids: 0  # type: ignore[assignment]
        from django.core.management import call_command

        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        from bulk_data import build

        data = build(
            companies=args.companies, events=args.events, registrations_per_event=0, rush_users=args.registrations,
            rush_capacity=args.registrations // 2, reminder_events=1, reminder_per_event=args.reminders,
        )  # fmt: skip
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as bench/http_bench.py: the planner sees the new rows
        from accounts.models import User
        from events.models import Event
        from events.reminders import reminders_plan, reminders_queue_due
        from events.services import AttendeeData, registration_create
        from notifications.models import OutboundEmail
        from notifications.services import PROMPT_CHUNK, emails_send

        out: list[str] = ["# cProfile of the benchmark's hot paths (bench/profile_hotspots.py)\n"]
        event = Event.objects.get(pk=data.rush_event_id)
        users = list(User.objects.filter(email__startswith="bench-user-").order_by("pk"))

        def rush() -> None:
            for user in users:
                registration_create(
                    event=event, by=user, attendees=[AttendeeData(name=user.name, email=user.email)], consent=True,
                    language="ko",
                )  # fmt: skip

        parts = set(args.parts.split(","))
        if "rush" in parts:
            measure(f"registration_create ({len(users) // 2} confirmed, then waitlisted)", len(users), rush, out)
        before = set(OutboundEmail.objects.values_list("pk", flat=True))

        def plan_and_queue() -> None:
            reminders_plan()
            reminders_queue_due()

        if "fanout" in parts:
            measure("reminders_plan + reminders_queue_due (the periodic task)", args.reminders, plan_and_queue, out)
        queued = list(OutboundEmail.objects.exclude(pk__in=before).order_by("pk").values_list("pk", flat=True))

        def send() -> None:
            # As the worker gets them: one send_emails task per PROMPT_CHUNK e-mails.
            for start in range(0, len(queued), PROMPT_CHUNK):
                emails_send(email_ids=queued[start : start + PROMPT_CHUNK])

        if "fanout" in parts:
            measure(f"emails_send in chunks of {PROMPT_CHUNK} (the send task, locmem backend)", len(queued), send, out)
        from django.test import Client

        # A member of a company: the home page and "my registrations" show the most for them.
        client = Client()
        client.force_login(User.objects.get(email=data.member_email))
        paths = ["/", "/events/", "/companies/", f"/events/{data.detail_event_id}/", "/events/my/"]
        if args.paths:
            paths = [path.replace("{event}", str(data.detail_event_id)) for path in args.paths.split(",")]
        for path in paths if "pages" in parts else []:
            client.get(path)
            started = time.perf_counter()
            for _ in range(args.requests):
                client.get(path)
            each = 1000 * (time.perf_counter() - started) / args.requests
            out.append(f"signed-in GET {path}: {each:.2f} ms each without the profiler ({args.requests} requests)\n")
            print(out[-1], flush=True)

            def pages(path: str = path) -> None:
                for _ in range(args.requests):
                    assert client.get(path).status_code == 200

            if args.timing:
                timed(f"signed-in GET {path}", args.requests, pages, out)
            else:
                profiled(f"signed-in GET {path}", args.requests, pages, out, limit=args.limit)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text("\n".join(out))
        print(f"wrote {args.output}")
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
