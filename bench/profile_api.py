#!/usr/bin/env python
"""Milliseconds per request of the public API lists, in one process, production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/profile_api.py [--companies 10000] [--events 2000] [--requests 200]

In a throwaway database (a copy of the migrated template, demo data plus ``bulk_data``), with
the production settings and a real Redis cache (REDIS_URL; its database is flushed first), the
test client (the whole middleware stack, no HTTP) GETs each list, anonymous and with an API
token, and prints the mean and p95 milliseconds per request. The rate limits are raised so that
the run is not answered 429, but both throttles still run their cache calls on every request.
``--profile`` adds a cProfile of each case; ``--misses`` replaces the content version before
each request (outside the timing), as a write would: what a request costs when nothing is cached.
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
import uuid
from pathlib import Path

from _db import in_process_database

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))

PATHS = ["/api/v1/events/", "/api/v1/companies/", "/api/v1/companies/?search=%EB%B0%94%EC%9D%B4%EC%98%A4"]
# With a token only (http_bench's "API my registrations (token)": the same user's token).
TOKEN_PATHS = ["/api/v1/registrations/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=0, help="total companies (0: the demo's 150)")
    parser.add_argument("--events", type=int, default=0, help="events added to the demo's")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--misses", action="store_true", help="a new content version before each request")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        print("REDIS_URL must name a Redis database this run may flush.")
        raise SystemExit(2)

    with in_process_database(API_THROTTLE_ANON="100000000/minute", API_THROTTLE_USER="100000000/minute"):
        import django

        django.setup()
        import notifications.services as outbox

        outbox.email_prompt = lambda *, email_id: False  # type: ignore[assignment]
        outbox.emails_prompt = lambda *, email_ids: 0  # type: ignore[assignment]
        from django.core.cache import cache
        from django.core.management import call_command

        cache.clear()
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        from bulk_data import build

        data = build(
            companies=args.companies, events=args.events, registrations_per_event=5, rush_users=2,
            rush_capacity=1, reminder_events=0, reminder_per_event=0,
        )  # fmt: skip
        from django.test import Client

        from magok.pagecache import VERSION_KEY

        token = data.rush_tokens[0]
        misses = ", each a miss" if args.misses else ""
        print(f"{data.companies} companies, {data.events} events, {args.requests} requests per case{misses}")
        for label, headers in [("anonymous", {}), ("token", {"HTTP_AUTHORIZATION": f"Token {token}"})]:
            client = Client(**headers)
            for path in PATHS + (TOKEN_PATHS if headers else []):
                assert client.get(path).status_code == 200, path
                times: list[float] = []
                profile = cProfile.Profile() if args.profile else None
                for _ in range(args.requests):
                    if args.misses:
                        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
                    started = time.perf_counter()
                    if profile:
                        profile.enable()
                    response = client.get(path)
                    if profile:
                        profile.disable()
                    times.append(1000 * (time.perf_counter() - started))
                    assert response.status_code == 200
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{label:9} GET {path:60} mean {statistics.fmean(times):6.2f} ms  p95 {p95:6.2f} ms", flush=True)
                if profile:
                    stream = io.StringIO()
                    pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(25)
                    print(stream.getvalue())
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
