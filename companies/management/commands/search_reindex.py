from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from companies.models import Company
from companies.search import reindex


class Command(BaseCommand):
    help = "Rewrite the search columns of every company (after bulk changes that bypass save())."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex(Company.objects.all())
        self.stdout.write(f"{count} companies reindexed")
