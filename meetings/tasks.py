"""Periodic jobs of the meetings app; safe to run twice or concurrently (dedupe keys)."""

from __future__ import annotations

from celery import shared_task

from .services import reminders_queue_due


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_meeting_reminders() -> int:
    return reminders_queue_due()
