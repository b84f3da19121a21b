"""The daily staff digest: one e-mail per staff member, through the outbox, only when something
awaits them, and never to someone who switched it off.

What a staff member is told follows what they may do: join requests to whoever may change
memberships, profile changes to whoever may decide them, reviews to the reviewer they are
assigned to, the outbox's failures to whoever may see the outbox, today's events to whoever may
see events. ``digests_send`` is safe to run twice a day: the dedupe key is (user, date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import OutboundEmail
from notifications.services import email_queue

from .models import StaffPreference

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from accounts.models import User

# An e-mail still queued or being sent after this long is stuck (the sweeper runs every 2 minutes).
STUCK_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class DigestItem:
    label: Promise | str
    count: int
    url: str


def _url(name: str, query: str = "") -> str:
    return f"{settings.SITE_URL}{reverse(name)}{'?' + query if query else ''}"


def digest_items(*, user: User, today: date) -> list[DigestItem]:
    """What awaits ``user`` on ``today`` (Asia/Seoul), as (label, count, admin link); only the
    items with a count, and only what the user's permissions let them act on."""
    from accounts.models import Membership
    from companies.models import ProfileChangeRequest
    from events.models import Event
    from programs.models import Review

    items: list[DigestItem] = []
    if user.has_perm("accounts.change_membership"):
        count = Membership.objects.filter(status=Membership.Status.PENDING).count()
        items.append(
            DigestItem(
                _("승인을 기다리는 소속 요청"),
                count,
                _url("admin:accounts_membership_changelist", "status__exact=pending"),
            )
        )
    if user.has_perm("companies.change_profilechangerequest"):
        count = ProfileChangeRequest.objects.filter(status=ProfileChangeRequest.Status.PENDING).count()
        items.append(
            DigestItem(
                _("승인을 기다리는 기업 정보 변경"),
                count,
                _url("admin:companies_profilechangerequest_changelist", "status__exact=pending"),
            )
        )
    count = Review.objects.filter(reviewer=user, submitted_at__isnull=True).count()
    items.append(DigestItem(_("나에게 배정된 심사 대기 신청서"), count, _url("programs:review_list")))
    if user.has_perm("notifications.view_outboundemail"):
        stuck_before = timezone.now() - STUCK_AFTER
        count = OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.FAILED)
            | Q(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING], created_at__lt=stuck_before)
        ).count()
        items.append(
            DigestItem(_("발송 실패·지연 이메일"), count, _url("admin:notifications_outboundemail_changelist"))
        )
    if user.has_perm("events.view_event"):
        zone = timezone.get_current_timezone()
        start = datetime.combine(today, time.min, tzinfo=zone)
        count = Event.objects.filter(
            status=Event.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
        ).count()
        items.append(
            DigestItem(
                _("오늘 열리는 행사"),
                count,
                _url(
                    "admin:events_event_changelist",
                    f"starts_at__day={today.day}&starts_at__month={today.month}&starts_at__year={today.year}",
                ),
            )
        )
    return [item for item in items if item.count]


def digest_wanted(*, user: User) -> bool:
    preference = StaffPreference.objects.filter(user=user).first()
    return preference is None or preference.daily_digest


def digest_send(*, user: User, today: date) -> OutboundEmail | None:
    """Queue ``user``'s digest for ``today`` if something awaits them and they want it; None
    otherwise, or when it was queued already today."""
    if not (user.is_active and user.is_staff and user.email) or not digest_wanted(user=user):
        return None
    items = digest_items(user=user, today=today)
    if not items:
        return None
    return email_queue(
        to=user.email,
        template="digest/emails/staff_digest",
        context={
            "user": user,
            "items": items,
            "today": today,
            "settings_url": _url("admin:digest_staffpreference_mine"),
        },
        language=user.language or "ko",
        dedupe_key=f"digest:staff:{user.pk}:{today.isoformat()}",
    )


def digests_send(*, today: date | None = None) -> int:
    """Every staff member's digest for ``today`` (default: today in Asia/Seoul). Returns how
    many were queued now."""
    from accounts.models import User

    today = today or timezone.localdate()
    opted_out = StaffPreference.objects.filter(daily_digest=False).values("user_id")
    staff = User.objects.filter(is_staff=True, is_active=True).exclude(email="").exclude(pk__in=opted_out)
    return sum(digest_send(user=user, today=today) is not None for user in staff.order_by("pk"))


def digest_preference_set(*, user: User, daily_digest: bool) -> StaffPreference:
    preference, _created = StaffPreference.objects.update_or_create(user=user, defaults={"daily_digest": daily_digest})
    return preference
