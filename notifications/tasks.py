"""Outbox tasks. Both are safe to run twice (the send claims its row first), so both ask for
their message back when the worker process running them dies."""

from __future__ import annotations

from celery import shared_task

from .services import email_send, emails_send, outbox_sweep


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_email(email_id: int) -> bool:
    return email_send(email_id=email_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_emails(email_ids: list[int]) -> int:
    """A chunk of e-mails queued together (``services.emails_prompt``), over one SMTP connection."""
    return emails_send(email_ids=email_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_outbox() -> int:
    return outbox_sweep()
