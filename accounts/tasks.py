"""Account tasks: thin wrappers around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import privacy, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_password_reset(email: str, request_id: str) -> int:
    return services.password_reset_send(email=email, request_id=request_id)


@shared_task(acks_late=True)
def expire_personal_data() -> dict[str, int]:
    """Erase personal data past the retention period of its consent (accounts.privacy)."""
    return privacy.personal_data_expire()
