from __future__ import annotations

from celery import shared_task

from .services import digests_send


@shared_task(name="digest.tasks.send_staff_digests")
def send_staff_digests() -> int:
    """Daily: each staff member's digest (safe to run twice: one per person and day)."""
    return digests_send()
