#!/usr/bin/env python
"""Do sign-up and password reset take the same time for addresses with and without an account?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/enumeration_timing.py \
        [--repeat 25] [--keep]

Creates a throwaway database next to the one in DATABASE_URL, migrates it and creates one
account. Then it POSTs, alternating, with the Django test client (in-process, the whole
middleware stack) and reports the median and p90 per case:

1. the password reset form for the account's address and for an unknown one;
2. the sign-up form for the account's address (its owner is told by e-mail) and for a new
   address each time (a confirmation link is sent), with the configured password hasher,
   since both branches hash the password.

The reset request hands the address to a worker; here the broker is in-process (``memory://``),
no worker runs, so the numbers are the request's own work, which is what a visitor can time.
The database is dropped at the end (``--keep`` leaves it). Not part of the test suite; the
tests check that both reset branches run the same queries. Timings come from a shared machine:
compare the two rows of a pair with each other, not with production.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _db import throwaway_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIGNUP = {
    "name": "홍길동",
    "password1": "마곡-산업단지-2027",
    "password2": "마곡-산업단지-2027",
    "phone": "",
    "position": "",
    "language": "ko",
    "consent": "on",
}


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (samples need not be sorted)."""
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def time_pair(repeat: int, cases: dict[str, Callable[[int], int]]) -> dict[str, list[float]]:
    """Run each case ``repeat`` times, alternating, after one warm-up each; milliseconds."""
    samples: dict[str, list[float]] = {label: [] for label in cases}
    for call in cases.values():
        call(-1)
    for i in range(repeat):
        for label, call in cases.items():
            started = time.perf_counter()
            status = call(i)
            samples[label].append((time.perf_counter() - started) * 1000)
            assert status == 302, f"{label}: {status}"
    return samples


def report(title: str, samples: dict[str, list[float]]) -> None:
    print(f"\n== {title} ==\n")
    print(f"{'case':<40} {'median (ms)':>11} {'p90 (ms)':>9}")
    medians = []
    for label, values in samples.items():
        medians.append(statistics.median(values))
        print(f"{label:<40} {medians[-1]:>11.1f} {percentile(values, 0.9):>9.1f}")
    print(f"{'difference of the medians':<40} {medians[0] - medians[1]:>+11.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=25, help="Requests per case (median; default 25).")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    with throwaway_database(keep=args.keep) as bench_db:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")
        os.environ["DJANGO_ENV"] = "test"
        os.environ.pop("REDIS_URL", None)  # local-memory cache; the broker is set below
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from django.urls import reverse

        settings.CELERY_BROKER_URL = "memory://"
        from magok.celery import app as celery_app

        celery_app.conf.broker_url = "memory://"
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)  # "no hostname" for memory://

        call_command("migrate", verbosity=0)
        from accounts.models import User

        User.objects.create_user(email="kim@example.kr", password="마곡-기존-2027", name="김마곡")
        print(
            f"database {bench_db}; {os.cpu_count()} CPU cores, shared with other work; "
            f"hasher {settings.PASSWORD_HASHERS[0]}"
        )

        client = Client()
        reset_url = reverse("accounts:password_reset")
        signup_url = reverse("accounts:signup")

        def reset_for(email: str) -> Callable[[int], int]:
            return lambda i: client.post(reset_url, {"email": email}).status_code

        reset = time_pair(
            args.repeat,
            {
                "reset, address with an account": reset_for("kim@example.kr"),
                "reset, unknown address": reset_for("nobody@example.kr"),
            },
        )
        report(f"Password reset request, {args.repeat} each", reset)
        signup = time_pair(
            args.repeat,
            {
                "sign-up, address with an account": lambda i: client.post(
                    signup_url, {**SIGNUP, "email": "kim@example.kr"}
                ).status_code,
                "sign-up, new address": lambda i: client.post(
                    signup_url, {**SIGNUP, "email": f"new{i + 1}@example.kr"}
                ).status_code,
            },
        )
        report(f"Sign-up, {args.repeat} each", signup)
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
