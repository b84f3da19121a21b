"""What awaits staff: the to-do list at the top of the staff home (and of the daily digest).

A provider is a function ``(user, now) -> list[Todo]`` registered with ``@todo_provider``; it
returns nothing for a user without the permission to act on its items and keeps to one query
where it can. A new area (meeting items, hiring-camp positions) adds its own provider in its
app, e.g. in ``meetings/todos.py`` imported from ``MeetingsConfig.ready``::

    from backoffice.todos import Todo, todo_provider

    @todo_provider(order=50)
    def meeting_requests(user, now):
        if not user.has_perm("meetings.change_meetingrequest"):
            return []
        count = MeetingRequest.objects.filter(status="pending").count()
        return [Todo(key="meeting_requests", label=_("상담 신청 승인 대기"), count=count, url=...)]

Nothing here needs editing for that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Todo:
    key: str
    label: str | Promise
    count: int
    url: str
    # Mine first: items assigned to the user are listed before the shared queues.
    mine: bool = False
    # A warning (failed e-mails) stands out even when the count is small.
    alert: bool = False


Provider = Callable[[Any, datetime], list[Todo]]
_PROVIDERS: list[tuple[int, Provider]] = []


def todo_provider(*, order: int = 100) -> Callable[[Provider], Provider]:
    def register(provider: Provider) -> Provider:
        if provider not in [p for _o, p in _PROVIDERS]:
            _PROVIDERS.append((order, provider))
            _PROVIDERS.sort(key=lambda item: item[0])
        return provider

    return register


def providers() -> list[Provider]:
    return [provider for _order, provider in _PROVIDERS]


def todos_for_user(user: Any, *, now: datetime | None = None) -> list[Todo]:
    """Every provider's items for ``user``; the user's own first, empty queues included (a zero
    says "nothing waits", which staff want to see too)."""
    now = now or timezone.now()
    items = [item for provider in providers() for item in provider(user, now)]
    return sorted(items, key=lambda item: not item.mine)


def todos_for(request: HttpRequest) -> list[Todo]:
    return todos_for_user(request.user)


def changelist(model_label: str, **filters: Any) -> str:
    app_label, model_name = model_label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def week_bounds(now: datetime) -> tuple[datetime, datetime]:
    """From the start of today (Seoul) to the start of the day seven days later."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=7)


def _param(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


@todo_provider(order=10)
def my_reviews(user: Any, now: datetime) -> list[Todo]:
    from programs.models import Review

    count = Review.objects.filter(reviewer=user, submitted_at__isnull=True).count()
    if not count:
        return []
    return [Todo("my_reviews", _("내게 배정된 심사"), count, reverse("programs:review_list"), mine=True)]


@todo_provider(order=20)
def join_requests(user: Any, now: datetime) -> list[Todo]:
    from accounts.models import Membership

    if not user.has_perm("accounts.change_membership"):
        return []
    count = Membership.objects.filter(status=Membership.Status.PENDING).count()
    return [
        Todo("join_requests", _("소속 승인 대기"), count, changelist("accounts.membership", status__exact="pending"))
    ]


@todo_provider(order=30)
def profile_changes(user: Any, now: datetime) -> list[Todo]:
    from companies.models import ProfileChangeRequest

    if not user.has_perm("companies.change_profilechangerequest"):
        return []
    count = ProfileChangeRequest.objects.filter(status=ProfileChangeRequest.Status.PENDING).count()
    url = changelist("companies.profilechangerequest", status__exact="pending")
    return [Todo("profile_changes", _("기업정보 변경 승인 대기"), count, url)]


APPLICATIONS_TO_REVIEW = ("submitted", "resubmitted", "screening")


@todo_provider(order=40)
def applications_to_review(user: Any, now: datetime) -> list[Todo]:
    from programs.models import Application

    if not user.has_perm("programs.change_application"):
        return []
    count = Application.objects.filter(status__in=APPLICATIONS_TO_REVIEW).count()
    url = changelist("programs.application", status__in=",".join(APPLICATIONS_TO_REVIEW))
    return [Todo("applications_to_review", _("검토할 신청서"), count, url)]


@todo_provider(order=50)
def calls_closing(user: Any, now: datetime) -> list[Todo]:
    from programs.models import Call

    if not user.has_perm("programs.view_call"):
        return []
    count = Call.objects.filter(closes_at__gte=now, closes_at__lt=now + timedelta(days=7)).count()
    url = changelist("programs.call", closes_at__gte=_param(now), closes_at__lt=_param(now + timedelta(days=7)))
    return [Todo("calls_closing", _("이번 주 마감 공고"), count, url)]


def stuck_before(now: datetime) -> datetime:
    """An e-mail still queued or sending this long after it was written is stuck: the sweeper
    retries queued rows after ``OUTBOX_SWEEP_AFTER_SECONDS`` and reclaims a sending row after
    ``OUTBOX_STALE_CLAIM_SECONDS``, so twice the longer of the two has seen at least one retry."""
    wait = max(settings.OUTBOX_SWEEP_AFTER_SECONDS, settings.OUTBOX_STALE_CLAIM_SECONDS)
    return now - timedelta(seconds=2 * wait)


@todo_provider(order=60)
def outbox_problems(user: Any, now: datetime) -> list[Todo]:
    from notifications.models import OutboundEmail

    if not user.has_perm("notifications.view_outboundemail"):
        return []
    before = stuck_before(now)
    counts = OutboundEmail.objects.aggregate(
        failed=Count("pk", filter=Q(status=OutboundEmail.Status.FAILED)),
        stuck=Count("pk", filter=Q(status__in=["queued", "sending"], created_at__lt=before)),
    )
    return [
        Todo(
            "emails_failed",
            _("발송 실패 이메일"),
            counts["failed"],
            changelist("notifications.outboundemail", status__exact="failed"),
            alert=bool(counts["failed"]),
        ),
        Todo(
            "emails_stuck",
            _("발송 지연 이메일"),
            counts["stuck"],
            changelist("notifications.outboundemail", status__in="queued,sending", created_at__lt=_param(before)),
            alert=bool(counts["stuck"]),
        ),
    ]
