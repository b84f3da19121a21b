"""The periodic tasks the portal needs, kept in django-celery-beat's tables (editable in the admin).

Each app lists its own schedule here; ``manage.py install_periodic_tasks`` creates or updates
them by name and leaves the ones staff disabled disabled.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every_minutes: int | None = None
    crontab: dict[str, str] | None = None


SCHEDULES: list[Schedule] = [
    Schedule(name="이메일 미발송분 재발송 (outbox sweeper)", task="notifications.tasks.sweep_outbox", every_minutes=2),
    Schedule(name="지원사업 미제출 신청서 알림", task="programs.tasks.remind_unsubmitted_drafts", every_minutes=60),
]
