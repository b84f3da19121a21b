"""The daily staff digest: through the outbox, only when something awaits the staff member,
only what their permissions let them act on, once a day, and never after they switched it off."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Membership
from digest.models import StaffPreference
from digest.services import digest_items, digests_send
from events.models import Event
from magok.periodic import SCHEDULES
from magok.staff_roles import COMPANIES_MANAGER, EVENTS_MANAGER
from notifications.models import OutboundEmail
from tests.companies.factories import ProfileChangeRequestFactory
from tests.factories import EventFactory, MembershipFactory, StaffFactory, UserFactory
from tests.programs.factories import ReviewFactory

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
TODAY = date(2027, 3, 3)


def staff_in(role: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def labels(user) -> dict[str, int]:
    return {str(item.label): item.count for item in digest_items(user=user, today=TODAY)}


def test_nothing_waiting_sends_nothing():
    StaffFactory()
    staff_in(EVENTS_MANAGER)
    assert digests_send(today=TODAY) == 0
    assert not OutboundEmail.objects.exists()


def test_each_staff_member_is_told_what_they_can_act_on():
    MembershipFactory.create_batch(2, status=Membership.Status.PENDING)
    ProfileChangeRequestFactory()
    EventFactory(starts_at=datetime(2027, 3, 3, 19, 0, tzinfo=SEOUL))
    EventFactory(starts_at=datetime(2027, 3, 3, 23, 30, tzinfo=SEOUL))  # 14:30 UTC: still today in Seoul
    EventFactory(starts_at=datetime(2027, 3, 4, 0, 30, tzinfo=SEOUL))  # tomorrow
    EventFactory(starts_at=datetime(2027, 3, 3, 10, 0, tzinfo=SEOUL), status=Event.Status.DRAFT)
    OutboundEmail.objects.create(to="x@example.kr", subject="s", body_text="b", status=OutboundEmail.Status.FAILED)

    companies = staff_in(COMPANIES_MANAGER)
    events = staff_in(EVENTS_MANAGER)
    reviewer = UserFactory(is_staff=True)
    ReviewFactory(reviewer=reviewer)
    ReviewFactory(reviewer=reviewer)
    admin = StaffFactory()

    assert labels(companies) == {"승인을 기다리는 소속 요청": 2, "승인을 기다리는 기업 정보 변경": 1}
    assert labels(events) == {"오늘 열리는 행사": 2}
    assert labels(reviewer) == {"나에게 배정된 심사 대기 신청서": 2}
    assert labels(admin) == {
        "승인을 기다리는 소속 요청": 2,
        "승인을 기다리는 기업 정보 변경": 1,
        "발송 실패·지연 이메일": 1,
        "오늘 열리는 행사": 2,
    }


def test_stuck_emails_count_only_after_a_while():
    admin = StaffFactory()
    fresh = OutboundEmail.objects.create(to="a@example.kr", subject="s", body_text="b")
    old = OutboundEmail.objects.create(to="b@example.kr", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(hours=1))
    assert fresh.status == OutboundEmail.Status.QUEUED
    assert labels(admin) == {"발송 실패·지연 이메일": 1}


def test_digest_is_queued_once_a_day_in_the_users_language():
    MembershipFactory(status=Membership.Status.PENDING)
    staff_in(COMPANIES_MANAGER, email="kim@sba.example.kr", language="en")
    assert digests_send(today=TODAY) == 1
    assert digests_send(today=TODAY) == 0  # run twice: still one e-mail
    email = OutboundEmail.objects.get(to="kim@sba.example.kr")
    assert email.language == "en"
    assert "Join requests awaiting approval: 1" in email.body_text
    assert "/admin/accounts/membership/?status__exact=pending" in email.body_text
    assert reverse("admin:digest_staffpreference_mine") in email.body_text
    assert digests_send(today=TODAY + timedelta(days=1)) == 1


def test_switched_off_and_inactive_staff_get_nothing():
    MembershipFactory(status=Membership.Status.PENDING)
    off = staff_in(COMPANIES_MANAGER)
    StaffPreference.objects.create(user=off, daily_digest=False)
    staff_in(COMPANIES_MANAGER, is_active=False)
    UserFactory(is_staff=False)  # not staff at all
    assert digests_send(today=TODAY) == 0


def test_staff_member_switches_it_off_in_the_admin(client):
    user = staff_in(EVENTS_MANAGER)
    client.force_login(user)
    url = reverse("admin:digest_staffpreference_mine")
    page = client.get(url)
    assert page.status_code == 200 and 'name="daily_digest"' in page.content.decode()
    assert client.post(url, {}).status_code == 302
    assert StaffPreference.objects.get(user=user).daily_digest is False
    client.post(url, {"daily_digest": "on"})
    assert StaffPreference.objects.get(user=user).daily_digest is True


def test_preference_list_is_for_superusers_only(client):
    client.force_login(staff_in(EVENTS_MANAGER))
    assert client.get(reverse("admin:digest_staffpreference_changelist")).status_code == 403


def test_the_digest_is_a_daily_periodic_task():
    [schedule] = [s for s in SCHEDULES if s.task == "digest.tasks.send_staff_digests"]
    assert schedule.crontab and schedule.crontab["hour"] == "8" and schedule.every_minutes is None
    from digest.tasks import send_staff_digests

    assert send_staff_digests.name == schedule.task
