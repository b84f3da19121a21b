"""Periodic jobs of the events app. All are safe to run twice or concurrently, so all ask
for their message back when the worker process running them dies."""

from __future__ import annotations

from celery import shared_task

from .recurrence import series_generate_all
from .reminders import reminders_plan, reminders_queue_due
from .services import registration_holds_release


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_reminders() -> dict[str, int]:
    counts = reminders_plan()
    counts["queued"] = reminders_queue_due()
    return counts


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_series_occurrences() -> int:
    return series_generate_all()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def release_registration_holds() -> int:
    return registration_holds_release()
