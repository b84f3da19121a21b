#!/usr/bin/env python
"""Event registration under contention, and the cost of rendering the main pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/event_registration.py [--keep]

Creates a throwaway database next to the one in DATABASE_URL, migrates it and loads the demo
data (``manage.py load_demo``) plus extra upcoming events. Then:

1. Pages: GETs the events list and detail, the company directory (with and without a search)
   and the two list APIs with the Django test client (in-process, anonymous), and reports the
   median time and the number of SQL queries per page.
2. Registrations: N threads register distinct users (each a member of an approved company)
   through ``events.services.registration_create``, all for ONE event of capacity C, then the
   same load spread over 10 events. It reports wall time, registrations per second and the
   p50/p95 latency of one call, and checks the seat invariant after every run.

The database is dropped at the end, also on error (``--keep`` leaves it). Not part of the test
suite. The timings come from a 2-core machine shared with other work: read them as orders of
magnitude and ratios, not as capacity figures.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import threading
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from _db import throwaway_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("/events/", "events list"),
    ("/events/{event_id}/", "event detail"),
    ("/companies/", "directory"),
    ("/companies/?search=로보", "directory search"),
    ("/api/v1/events/", "events API"),
    ("/api/v1/companies/?search=robo", "companies API search"),
]
BENCH_COMPANIES = 20


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (samples need not be sorted)."""
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


class LockTimer:
    """Wraps ``events.services._locked_event`` and ``_notify_registration`` (in this process
    only, the app code is unchanged) to measure, per registration, how long the call waited
    for the event's row lock, how long it held it (lock granted until commit) and how much of
    that was spent rendering the e-mail (templates, .ics, QR code PNG)."""

    def __init__(self) -> None:
        self.wait_ms: list[float] = []
        self.hold_ms: list[float] = []
        self.notify_ms: list[float] = []

    def install(self) -> None:
        from django.db import transaction

        from events import services

        locked_event = services._locked_event
        notify = services._notify_registration

        def timed_locked_event(event_id: int) -> Any:
            started = time.perf_counter()
            event = locked_event(event_id)
            granted = time.perf_counter()
            self.wait_ms.append((granted - started) * 1000)
            # Registered before the outbox's own on_commit prompts, so it runs first after COMMIT.
            transaction.on_commit(lambda: self.hold_ms.append((time.perf_counter() - granted) * 1000))
            return event

        def timed_notify(registration: Any) -> None:
            started = time.perf_counter()
            notify(registration)
            self.notify_ms.append((time.perf_counter() - started) * 1000)

        services._locked_event = timed_locked_event  # type: ignore[assignment]
        services._notify_registration = timed_notify  # type: ignore[assignment]

    def take(self) -> tuple[list[float], list[float], list[float]]:
        taken = (self.wait_ms, self.hold_ms, self.notify_ms)
        self.wait_ms, self.hold_ms, self.notify_ms = [], [], []
        return taken


class CountingHandler(logging.Handler):
    """Counts the warnings of ``email_prompt`` (a failed publish to the broker)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


# --- Data --------------------------------------------------------------------------------


def add_upcoming_events(count: int) -> None:
    from django.utils import timezone

    from events.models import Audience, Event, EventKind

    kinds = list(EventKind.objects.order_by("pk"))
    now = timezone.now()
    audiences = [Audience.TENANTS, Audience.PUBLIC, Audience.EXECUTIVES]
    events = []
    for n in range(count):
        starts = now + timedelta(days=2 + n % 300, hours=n % 7)
        events.append(
            Event(
                kind=kinds[n % len(kinds)],
                title_ko=f"마곡 기술교류회 {n}",
                title_en=f"Magok tech exchange {n}",
                description_ko="입주기업 간 기술 교류와 네트워킹을 위한 행사입니다. " * 5,
                description_en="An event for technology exchange and networking among tenants. " * 5,
                venue_ko="마곡 R&D센터 대회의실",
                venue_en="Magok R&D Center, main hall",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=50 + n % 100,
                audience=audiences[n % len(audiences)],
                status=Event.Status.PUBLISHED,
                registration_opens_at=now - timedelta(days=1),
                registration_closes_at=starts - timedelta(hours=1),
            )
        )
    Event.objects.bulk_create(events, batch_size=500)


def create_members(count: int) -> list[int]:
    """``count`` users, each with an approved membership of one of a few bench companies."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, User
    from companies.models import Company

    companies = Company.objects.bulk_create(
        Company(
            name_ko=f"벤치기업{n}",
            name_en=f"Bench company {n}",
            slug=f"bench-company-{n}",
            size_class=Company.SizeClass.SME,
            move_in_status=Company.MoveInStatus.MOVED_IN,
        )
        for n in range(BENCH_COMPANIES)
    )
    password = make_password("bench-password-2027!")  # MD5 (set in main): cheap, hashed once
    users = User.objects.bulk_create(
        User(email=f"bench{n}@bench.example.kr", name=f"벤치사용자{n}", password=password) for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            company=companies[n % BENCH_COMPANIES],
            role=Membership.Role.STAFF,
            status=Membership.Status.APPROVED,
        )
        for n, user in enumerate(users)
    )
    return [user.pk for user in users]


def create_bench_events(count: int, capacity: int, label: str) -> list[int]:
    from django.utils import timezone

    from events.models import Audience, Event, EventKind

    kind = EventKind.objects.order_by("pk").first()
    now = timezone.now()
    events = Event.objects.bulk_create(
        Event(
            kind=kind,
            title_ko=f"벤치 행사 {label} #{n}",
            title_en=f"Bench event {label} #{n}",
            venue_ko="마곡 R&D센터",
            venue_en="Magok R&D Center",
            starts_at=now + timedelta(days=14),
            ends_at=now + timedelta(days=14, hours=2),
            capacity=capacity,
            audience=Audience.TENANTS,
            status=Event.Status.PUBLISHED,
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=now + timedelta(days=13),
        )
        for n in range(count)
    )
    return [event.pk for event in events]


# --- Pages -------------------------------------------------------------------------------


def time_pages(repeat: int) -> list[tuple[str, str, int, float, float, int, int]]:
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import Event

    # The richest upcoming event (most speakers and agenda items), the first one on a tie.
    detail = (
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .annotate(parts=Count("speakers", distinct=True) + Count("agenda_items", distinct=True))
        .order_by("-parts", "starts_at")
        .first()
    )
    assert detail is not None, "no upcoming event to show"
    client = Client()
    rows = []
    for template, label in PAGES:
        url = template.format(event_id=detail.pk)
        cache.clear()  # the companies API throttles anonymous clients (120/minute)
        for _ in range(2):  # warm-up: URL resolving, template loading, translations
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
        samples = []
        queries = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            queries.append(len(captured.captured_queries))
        size = len(response.content)
        rows.append(
            (
                url,
                label,
                response.status_code,
                statistics.median(samples),
                max(samples),
                max(queries) if min(queries) == max(queries) else -1,
                size,
            )
        )
    print(f"(event detail: {detail.title_ko!r}, {detail.parts} speakers and agenda items)")
    return rows


# --- Registrations -----------------------------------------------------------------------


@dataclass
class RunResult:
    mode: str
    threads: int
    total: int
    wall_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    lock_wait_ms: list[float] = field(default_factory=list)
    lock_hold_ms: list[float] = field(default_factory=list)
    notify_ms: list[float] = field(default_factory=list)


def _register_worker(
    assignments: list[tuple[int, int]],
    barrier: threading.Barrier,
    latencies: list[float],
    errors: list[str],
) -> None:
    from django.db import connection

    from accounts.models import User
    from events.models import Event
    from events.services import AttendeeData, registration_create

    try:
        # What a request would have loaded before calling the service (the session's user,
        # the event of the URL); the connection is opened here so that latency excludes it.
        users = User.objects.in_bulk([user_id for user_id, _ in assignments])
        events = Event.objects.in_bulk({event_id for _, event_id in assignments})
        mine: list[float] = []
    except Exception as exc:  # noqa: BLE001 - reported in the table, the run still ends
        errors.append(f"setup: {type(exc).__name__}: {exc}")
        barrier.abort()
        connection.close()
        return
    try:
        barrier.wait()
        for user_id, event_id in assignments:
            user = users[user_id]
            started = time.perf_counter()
            try:
                registration_create(
                    event=events[event_id],
                    by=user,
                    attendees=[AttendeeData(name=user.name, email=user.email, phone="010-1234-5678")],
                    consent=True,
                    language="ko",
                )
            except Exception as exc:  # noqa: BLE001 - counted as an error of the run
                errors.append(f"{type(exc).__name__}: {exc}")
            mine.append((time.perf_counter() - started) * 1000)
        latencies.extend(mine)  # list.extend is atomic under the GIL
    except threading.BrokenBarrierError:
        errors.append("barrier broken")
    finally:
        connection.close()


def run_registrations(
    *, mode: str, threads: int, user_ids: list[int], event_ids: list[int], capacity: int, timer: LockTimer
) -> RunResult:
    from django.db.models import Count

    from events.models import Registration
    from notifications.models import OutboundEmail

    total = len(user_ids)
    # Registration j goes to event j % len(event_ids); thread t takes every threads-th one.
    pairs = [(user_id, event_ids[j % len(event_ids)]) for j, user_id in enumerate(user_ids)]
    per_thread = [pairs[t::threads] for t in range(threads)]
    barrier = threading.Barrier(threads + 1)
    latencies: list[float] = []
    errors: list[str] = []
    workers = [
        threading.Thread(target=_register_worker, args=(chunk, barrier, latencies, errors), daemon=True)
        for chunk in per_thread
    ]
    for worker in workers:
        worker.start()
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass
    started = time.perf_counter()
    for worker in workers:
        worker.join(timeout=300)
    wall = time.perf_counter() - started
    result = RunResult(mode=mode, threads=threads, total=total, wall_s=wall, latencies_ms=latencies, errors=errors)
    result.lock_wait_ms, result.lock_hold_ms, result.notify_ms = timer.take()

    # The invariant, per event: confirmed == min(registered, capacity), the rest waitlisted,
    # each e-mail once, one outbox e-mail per registration.
    expected = Counter(event_id for _, event_id in pairs)
    for event_id, n in sorted(expected.items()):
        statuses = dict(
            Registration.objects.filter(event_id=event_id)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        confirmed = statuses.get(Registration.Status.CONFIRMED, 0)
        waitlisted = statuses.get(Registration.Status.WAITLISTED, 0)
        if confirmed != min(n, capacity) or waitlisted != n - min(n, capacity) or sum(statuses.values()) != n:
            result.checks.append(f"event {event_id}: {statuses} for {n} registrations (capacity {capacity})")
        duplicates = (
            Registration.objects.filter(event_id=event_id).values("email").annotate(n=Count("id")).filter(n__gt=1)
        )
        if duplicates.exists():
            result.checks.append(f"event {event_id}: duplicate e-mails {list(duplicates[:5])}")
    emails = OutboundEmail.objects.filter(
        dedupe_key__in=[
            f"events:registration:{pk}:{status}"
            for pk, status in Registration.objects.filter(event_id__in=event_ids).values_list("pk", "status")
        ]
    ).count()
    if emails != total:
        result.checks.append(f"{emails} outbox e-mails for {total} registrations")
    return result


def print_registration_table(results: list[RunResult]) -> None:
    print(
        f"{'events':<10} {'thr':>4} {'regs':>5} {'wall s':>7} {'regs/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'lock wait p50/p95':>18} {'lock held p50':>13} {'e-mail p50':>10} {'err':>4}  invariant"
    )
    for r in results:
        nan = [float("nan")]
        lat, wait = r.latencies_ms or nan, r.lock_wait_ms or nan
        hold, notify = r.lock_hold_ms or nan, r.notify_ms or nan
        ok = "ok" if not r.checks and not r.errors else "FAILED"
        waits = f"{statistics.median(wait):.1f} / {percentile(wait, 0.95):.1f}"
        print(
            f"{r.mode:<10} {r.threads:>4} {r.total:>5} {r.wall_s:>7.2f} {r.total / r.wall_s:>7.1f} "
            f"{statistics.median(lat):>7.1f} {percentile(lat, 0.95):>7.1f} {max(lat):>7.1f} {waits:>18} "
            f"{statistics.median(hold):>13.1f} {statistics.median(notify):>10.1f} {len(r.errors):>4}  {ok}"
        )
    print(
        "(times in ms per registration_create call; lock wait = select_for_update on the event, lock held = from\n"
        " the lock until COMMIT, e-mail = rendering the outbox e-mail (+ .ics and QR PNG when confirmed) under\n"
        " the lock. Invariant per event: confirmed == min(registered, capacity), the rest waitlisted, no\n"
        " e-mail twice, one outbox e-mail per registration.)"
    )
    for r in results:
        for line in r.errors[:5] + r.checks[:5]:
            print(f"  {r.mode} x{r.threads}: {line}")


# --- Main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", default="1,4,16,50", help="Thread counts, comma-separated (default 1,4,16,50).")
    parser.add_argument("--registrations", type=int, default=200, help="Registrations per run (default 200).")
    parser.add_argument("--capacity", type=int, default=100, help="Capacity of each bench event (default 100).")
    parser.add_argument("--spread", type=int, default=10, help="Events of the spread-out runs (default 10).")
    parser.add_argument("--extra-events", type=int, default=200, help="Upcoming events added to the demo data.")
    parser.add_argument("--repeat", type=int, default=15, help="Requests per page (median; default 15).")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    thread_counts = [int(n) for n in args.threads.split(",") if n.strip()]
    if args.repeat < 1 or args.registrations < 1 or args.spread < 1 or not thread_counts or min(thread_counts) < 1:
        parser.error("--repeat, --registrations, --spread and every thread count must be at least 1")

    with throwaway_database(keep=args.keep) as bench_db:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")
        os.environ["DJANGO_ENV"] = "test"
        os.environ["AXES_ENABLED"] = "0"
        os.environ.pop("REDIS_URL", None)  # local-memory cache; the broker is set below
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, connections

        # Cheap hashing for the bench users; an in-process broker for the "send after commit"
        # prompt (no worker, no files in var/broker, nothing sent): the outbox row is the real
        # work, publishing to Redis in production is a sub-millisecond round trip.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        settings.CELERY_BROKER_URL = "memory://"
        from magok.celery import app as celery_app

        celery_app.conf.broker_url = "memory://"
        logging.getLogger("events.recurrence").setLevel(logging.WARNING)  # load_demo's series
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)  # "no hostname" for memory://
        prompt_failures = CountingHandler()
        logging.getLogger("notifications.services").addHandler(prompt_failures)

        cpus = os.cpu_count()
        print(
            f"database {bench_db}; {cpus} CPU cores, shared with other work: timings are noisy, "
            "compare rows with each other, not with production.\n"
        )
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as devnull:
            call_command("load_demo", verbosity=0, stdout=devnull)
        add_upcoming_events(args.extra_events)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT (SELECT count(*) FROM events_event), (SELECT count(*) FROM companies_company),"
                " (SELECT count(*) FROM events_registration)"
            )
            n_events, n_companies, n_regs = cursor.fetchone()
        print(
            f"migrate + load_demo + {args.extra_events} extra events in {time.perf_counter() - started:.1f}s: "
            f"{n_events} events, {n_companies} companies, {n_regs} registrations\n"
        )

        print(f"== Pages: Django test client, anonymous, median of {args.repeat} requests after 2 warm-ups ==\n")
        page_rows = time_pages(args.repeat)
        print(f"\n{'url':<34} {'page':<22} {'median (ms)':>11} {'max (ms)':>9} {'SQL':>4} {'KiB':>6}")
        for page_url, label, _status, median, worst, queries, size in page_rows:
            shown = str(queries) if queries >= 0 else "var"
            print(f"{pad(page_url, 34)} {label:<22} {median:>11.1f} {worst:>9.1f} {shown:>4} {size / 1024:>6.1f}")

        user_ids = create_members(args.registrations)
        timer = LockTimer()
        timer.install()
        results: list[RunResult] = []
        # The spread runs split the capacity too, so that both modes confirm and waitlist the
        # same number of registrations (a confirmation renders a QR code and an .ics, a waitlist
        # e-mail does not): the only difference left is how many calls queue for one row lock.
        spread_capacity = -(-args.capacity // args.spread)
        modes = (("1 event", 1, args.capacity), (f"{args.spread} events", args.spread, spread_capacity))
        for mode, n_events_run, capacity in modes:
            for threads in thread_counts:
                event_ids = create_bench_events(n_events_run, capacity, f"{mode} x{threads}")
                results.append(
                    run_registrations(
                        mode=mode,
                        threads=threads,
                        user_ids=user_ids,
                        event_ids=event_ids,
                        capacity=capacity,
                        timer=timer,
                    )
                )
        print(
            f"\n== Registrations: registration_create, one attendee per call, {args.registrations} distinct "
            f"users per run, threads start together; capacity {args.capacity} on 1 event, "
            f"{spread_capacity} each on {args.spread} events ==\n"
        )
        print_registration_table(results)
        if prompt_failures.count:
            print(f"\nWARNING: {prompt_failures.count} broker publish failures logged by email_prompt")
        connections.close_all()
        failed = any(r.errors or r.checks for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
