from __future__ import annotations

from celery import shared_task

from .services import draft_reminders_send


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_unsubmitted_drafts() -> int:
    """Hourly: remind companies of drafts 3 days and 1 day before the deadline (deduplicated)."""
    return draft_reminders_send()
