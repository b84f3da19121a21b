from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from notifications.periodic import periodic_tasks_install


class Command(BaseCommand):
    help = (
        "Create or update the portal's periodic tasks in django-celery-beat (idempotent), then create "
        "the upcoming occurrences of the recurring events once, so they need not wait for the daily run."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; save nothing.")
        parser.add_argument("--no-generate", action="store_true", help="Do not create series occurrences now.")

    def handle(self, *args: Any, dry_run: bool = False, no_generate: bool = False, **options: Any) -> None:
        from events.recurrence import series_generate_all

        with transaction.atomic():
            for name, task, outcome in periodic_tasks_install():
                self.stdout.write(f"{outcome}: {name} -> {task}")
            if not no_generate:
                created = series_generate_all()
                self.stdout.write(f"series occurrences created: {created}")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry run: nothing saved")
