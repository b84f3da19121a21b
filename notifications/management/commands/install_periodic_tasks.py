from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from notifications.periodic import SCHEDULES


class Command(BaseCommand):
    help = "Create or update the portal's periodic tasks in django-celery-beat (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; save nothing.")

    @transaction.atomic
    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        for schedule in SCHEDULES:
            defaults: dict[str, Any] = {"task": schedule.task, "kwargs": json.dumps({})}
            if schedule.every_minutes:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=schedule.every_minutes, period=IntervalSchedule.MINUTES
                )
                defaults |= {"interval": interval, "crontab": None}
            else:
                crontab, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Seoul", **(schedule.crontab or {}))
                defaults |= {"crontab": crontab, "interval": None}
            task, created = PeriodicTask.objects.update_or_create(name=schedule.name, defaults=defaults)
            self.stdout.write(f"{'created' if created else 'updated'}: {schedule.name} -> {schedule.task}")
        if dry_run:
            transaction.set_rollback(True)
            self.stdout.write("dry run: nothing saved")
