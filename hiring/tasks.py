from __future__ import annotations

from celery import shared_task

from .services import camps_purge_expired


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_expired_seekers() -> dict[str, int]:
    """Daily: delete the CVs and personal details of seekers of camps past their retention
    period. Safe to run twice (purged rows are skipped)."""
    return camps_purge_expired()
