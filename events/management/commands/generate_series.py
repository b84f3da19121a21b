from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from events.recurrence import series_generate_all


class Command(BaseCommand):
    help = (
        "Create the upcoming occurrences of every active event series now (idempotent), as the daily "
        "generate_series_occurrences task does, so a fresh install need not wait for its first run."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show how many would be created; save nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        with transaction.atomic():
            created = series_generate_all()
            self.stdout.write(f"series occurrences created: {created}")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry run: nothing saved")
