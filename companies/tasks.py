"""Jobs of the companies app."""

from __future__ import annotations

from celery import shared_task

from .spreadsheets import company_import_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_company_import(import_id: int) -> bool:
    return company_import_run(import_id=import_id)
