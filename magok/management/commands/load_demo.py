"""Load the demo data of every app, safe to run again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

import accounts.demo
import companies.demo
import events.demo
import events.demo_series
import hiring.demo
import meetings.demo
import programs.demo

# Order matters: events and programmes refer to the companies and accounts; the series'
# occurrences register the demo accounts the events demo made.
DEMO_LOADERS: list[tuple[str, Callable[[], str]]] = [
    ("companies.demo", companies.demo.load_demo),
    ("accounts.demo", accounts.demo.load_demo),
    ("events.demo", events.demo.load_demo),
    ("programs.demo", programs.demo.load_demo),
    ("meetings.demo", meetings.demo.load_demo),
    ("events.demo_series", events.demo_series.load_demo_series),
    ("hiring.demo", hiring.demo.load_demo),
]


class Command(BaseCommand):
    help = "Load demo data drawn from the 2019 article (companies, accounts, events, programmes). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Load inside a transaction and roll it back.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        with transaction.atomic():
            for name, load in DEMO_LOADERS:
                self.stdout.write(f"{name}: {load()}")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry run: nothing saved")
