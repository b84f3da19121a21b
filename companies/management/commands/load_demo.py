"""Load the demo data of every app (each app's ``demo.load_demo``), safe to run again."""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: events and programmes refer to the companies and accounts.
DEMO_MODULES = ["companies.demo", "accounts.demo", "events.demo", "programs.demo", "notifications.demo"]


class Command(BaseCommand):
    help = "Load demo data drawn from the 2019 article (companies, accounts, events, programmes). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Load inside a transaction and roll it back.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                summary = module.load_demo()
                self.stdout.write(f"{name}: {summary}")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry run: nothing saved")
