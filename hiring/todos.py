"""The hiring camp's items on the staff home (``backoffice.todos``): positions awaiting approval
and shortlists awaiting the staff's match confirmation. Imported from ``HiringConfig.ready``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse
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
    """Shortlisted applications awaiting the staff's confirmation: the link opens the camp's match
    board when they are all in one camp (the usual case), else the camps' list with a count each."""
    if not user.has_perm("hiring.change_jobapplication"):
        return []
    per_camp = list(
        JobApplication.objects.filter(status=JobApplication.Status.SHORTLISTED)
        .values("position__camp_id")
        .annotate(n=Count("pk"))
        .values_list("position__camp_id", "n")
    )
    count = sum(n for _camp, n in per_camp)
    if len(per_camp) == 1:
        url = reverse("admin:hiring_camp_matches", args=[per_camp[0][0]])
    else:
        url = changelist("hiring.camp")
    return [Todo("hiring_matches", _("채용 매칭 확정 대기"), count, url)]
