"""Periodic jobs of the project package. Safe to run twice or concurrently."""

from __future__ import annotations

from celery import shared_task

from .idempotency import idempotency_keys_purge


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_idempotency_keys() -> int:
    return idempotency_keys_purge()
