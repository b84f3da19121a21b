"""The staff home in a real browser: a staff member sees what awaits them, follows one click to
the filtered list, reads the yearly results and opens one company's page; nothing is blocked
by the Content Security Policy."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership
from notifications.models import OutboundEmail
from tests.browser.conftest import log_in
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, RegistrationFactory, StaffFactory
from tests.programs.factories import OutcomeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_member_works_from_the_staff_home(page, screenshot_dir):
    staff = StaffFactory(name="SBA 담당자")
    company = CompanyFactory(name_ko="로보티즈", slug="robotis")
    MembershipFactory.create_batch(2, company=company, status=Membership.Status.PENDING)
    OutboundEmail.objects.create(to="a@example.kr", subject="티켓", body_text="b", status=OutboundEmail.Status.FAILED)
    now = timezone.localtime()
    event = EventFactory(title_ko="마곡 테크콘서트", starts_at=now.replace(hour=23, minute=0), capacity=5)
    RegistrationFactory.create_batch(2, event=event, company=company, checked_in_at=now)
    RegistrationFactory(event=event, company=company)
    EventFactory(title_ko="CEO비즈포럼", starts_at=now + timedelta(days=3))
    OutcomeFactory(company=company, year=now.year, mous_signed=3, hires=4)
    OutcomeFactory(company=company, year=now.year - 1, mous_signed=1, hires=6)
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )

    log_in(page, staff)
    page.goto(f"{page.base_url}/admin/")
    expect(page.locator("h1")).to_have_text("업무 홈")
    join = page.locator("[data-todo=join_requests]")
    expect(join.locator(".todo-count")).to_have_text("2")
    expect(page.locator("[data-todo=emails_failed].todo-alert .todo-count")).to_have_text("1")
    today = page.locator(f"tr[data-event='{event.pk}']")
    expect(today).to_contain_text("오늘")
    expect(today.locator("td.num").nth(0)).to_have_text("3")
    expect(today.get_by_role("link", name="입장 확인 화면")).to_be_visible()
    for group in ("기업", "행사", "지원사업", "성과", "시스템"):
        expect(page.locator("#content-main caption", has_text=re.compile(f"^{group}$"))).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "staff-home.png"), full_page=True)

    join.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/admin/accounts/membership/\?status__exact=pending"))
    expect(page.locator("#result_list tbody tr")).to_have_count(2)

    page.goto(f"{page.base_url}/admin/")
    page.get_by_role("link", name="연간 성과 (올해 · 작년)").first.click()
    expect(page.locator("h1")).to_have_text("연간 성과")
    mous = page.locator("tr[data-figure=mous_signed] td")
    expect(mous.nth(0)).to_have_text("1")
    expect(mous.nth(1)).to_have_text("3")
    expect(page.locator("g[data-figure=mous_signed] rect")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "staff-results.png"), full_page=True)

    page.goto(f"{page.base_url}/admin/companies/company/?q=로보")
    page.get_by_role("link", name="한눈에 보기").first.click()
    expect(page.locator("h1")).to_have_text("로보티즈 한눈에 보기")
    expect(page.locator("#members")).to_contain_text("승인 대기 중인 소속 요청 (2)")
    page.screenshot(path=str(screenshot_dir / "staff-company-overview.png"), full_page=True)
    assert blocked == []
