"""At the door of a full event, SBA staff add a walk-in from the event's admin page: the first
try is refused (full), the override with a reason checks them in at once, and the audit trail
names who did it and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEntry
from events.models import Registration
from magok.staff_roles import EVENTS_MANAGER, staff_roles_sync
from tests.factories import PASSWORD, CompanyFactory, EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.transactional


def admin_log_in(page, user) -> None:
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_staff_add_a_walk_in_at_the_door_with_an_override(page, screenshot_dir):
    staff_roles_sync(apps)  # an earlier transactional test's flush removed the migration's groups
    staff = UserFactory(email="door@sba.example.kr", name="이행사", is_staff=True)
    staff.groups.add(Group.objects.get(name=EVENTS_MANAGER))
    company = CompanyFactory(name_ko="로보티즈")
    event = EventFactory(title_ko="마곡 테크콘서트", capacity=1, starts_at=timezone.now() - timedelta(minutes=15))
    RegistrationFactory(event=event, attendee_name="김확정", checked_in_at=timezone.now())

    admin_log_in(page, staff)
    page.goto(f"{page.base_url}/admin/events/event/{event.pk}/change/")
    page.get_by_role("link", name="참가자 관리").click()
    expect(page.locator("#attendee-list")).to_contain_text("김확정")

    page.locator("#add-attendee summary").click()
    page.get_by_label("참석자 이름").fill("박현장")
    page.get_by_label("이메일").fill("walkin@robotis.example.kr")
    page.get_by_label("전화번호").fill("010-2345-6789")
    page.locator("#id_company").select_option(label=str(company))
    page.get_by_label("현장 등록: 바로 입장 확인").check()
    page.get_by_label("참석자에게 개인정보 수집·이용 동의를 받았습니다.").check()
    page.get_by_role("button", name="추가하기").click()

    # Full: refused with the reason it needs; nothing was lost from the form.
    expect(page.locator(".errorlist")).to_contain_text("정원이 찼습니다")
    expect(page.get_by_label("참석자 이름")).to_have_value("박현장")
    page.screenshot(path=str(screenshot_dir / "events-walk-in-refused.png"), full_page=True)

    page.get_by_label("정원·기업당 인원 초과 사유").fill("연사 초청 손님")
    page.get_by_role("button", name="추가하기").click()

    expect(page.locator(".messagelist")).to_contain_text("박현장 님을 추가했습니다")
    row = page.locator("#attendee-list tr", has_text="박현장")
    expect(row.locator(".attendee-status")).to_have_text("참가 확정")
    expect(row.get_by_role("button", name="입장 확인 취소")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "events-walk-in-added.png"), full_page=True)

    walk_in = Registration.objects.get(email="walkin@robotis.example.kr")
    assert walk_in.checked_in_at is not None and walk_in.company == company
    entry = AuditEntry.objects.get(action=AuditAction.REGISTRATION_STAFF_ADD)
    assert entry.actor == staff and entry.reason == "연사 초청 손님" and entry.after["override"] == ["capacity"]

    # The per-object history names who added them and why.
    page.goto(f"{page.base_url}/admin/events/registration/{walk_in.pk}/history/")
    expect(page.locator("#audit-history")).to_contain_text("door@sba.example.kr")
    expect(page.locator("#audit-history")).to_contain_text("연사 초청 손님")
    page.screenshot(path=str(screenshot_dir / "events-walk-in-history.png"), full_page=True)
