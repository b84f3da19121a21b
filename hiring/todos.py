"""The hiring camp's items on the staff home (``backoffice.todos``): positions awaiting approval
and shortlists awaiting the staff's match confirmation. Imported from ``HiringConfig.ready``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from backoffice.todos import Todo, changelist, todo_provider

from .models import JobApplication, Position


@todo_provider(order=60)
def positions_to_approve(user: Any, now: datetime) -> list[Todo]:
    if not user.has_perm("hiring.change_position"):
        return []
    count = Position.objects.filter(status=Position.Status.PENDING).count()
    url = changelist("hiring.position", status__exact=Position.Status.PENDING)
    return [Todo("hiring_positions", _("채용 포지션 승인 대기"), count, url)]


@todo_provider(order=61)
def matches_to_confirm(user: Any, now: datetime) -> list[Todo]:
    if not user.has_perm("hiring.change_jobapplication"):
        return []
    count = JobApplication.objects.filter(status=JobApplication.Status.SHORTLISTED).count()
    url = changelist("hiring.jobapplication", status__exact=JobApplication.Status.SHORTLISTED)
    return [Todo("hiring_matches", _("채용 매칭 확정 대기"), count, url)]
