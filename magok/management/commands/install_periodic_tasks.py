from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from magok.periodic import periodic_tasks_install


class Command(BaseCommand):
    help = "Create or update the portal's periodic tasks in django-celery-beat (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; save nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        with transaction.atomic():
            for name, task, outcome in periodic_tasks_install():
                self.stdout.write(f"{outcome}: {name} -> {task}")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("dry run: nothing saved")
