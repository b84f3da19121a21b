from __future__ import annotations

from celery import shared_task

from .notices import new_applications_notify
from .services import camps_purge_expired


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_expired_seekers() -> dict[str, int]:
    """Daily: delete the CVs and personal details of seekers of camps past their retention
    period. Safe to run twice (purged rows are skipped)."""
    return camps_purge_expired()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_new_application_digests() -> dict[str, int]:
    """Daily: each participating company's digest of the applications that arrived since its
    last one. Safe to run twice (counted applications are marked; one digest per company and day)."""
    return new_applications_notify()
