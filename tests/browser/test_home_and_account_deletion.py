"""Issue 12 in the browser: the home page's next steps, logged out and as a member, and 회원 탈퇴
from the form to the goodbye page (after which the account cannot log in)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, User
from events.models import Audience
from tests.browser.conftest import log_in, login
from tests.events.helpers import register
from tests.factories import PASSWORD, EventFactory, MembershipFactory
from tests.programs.factories import CallFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_logged_out_and_as_a_member(page, screenshot_dir):
    EventFactory(title_ko="마곡 테크콘서트", audience=Audience.PUBLIC)
    members_only = EventFactory(title_ko="입주기업 기술교류회", audience=Audience.TENANTS)
    CallFactory(title_ko="2027 수출역량 강화 지원", closes_at=timezone.now() + timedelta(days=10))

    page.goto(f"{page.base_url}/")
    events = page.locator("ul.home-events")
    expect(events).to_contain_text("마곡 테크콘서트")
    expect(events).not_to_contain_text("입주기업 기술교류회")  # members-only: not for the public
    call = page.locator("ul.home-calls li", has_text="2027 수출역량 강화 지원")
    expect(call.locator(".d-day")).to_have_text("D-10")
    expect(page.locator(".home-mine")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "home_logged_out.png"), full_page=True)

    member = MembershipFactory(user__name="김마곡").user
    register(members_only, member)
    log_in(page, member)
    page.goto(f"{page.base_url}/")
    mine = page.locator(".home-mine")
    expect(mine.locator("h3", has_text="내 다음 행사")).to_be_visible()
    expect(mine.locator(".my-next-event")).to_contain_text("입주기업 기술교류회")
    expect(mine.locator(".my-next-event a", has_text="티켓")).to_be_visible()
    expect(page.locator("ul.home-events")).to_contain_text("입주기업 기술교류회")  # members see it now
    page.screenshot(path=str(screenshot_dir / "home_member_next_event.png"), full_page=True)


def test_account_deletion_from_the_form_to_the_goodbye_page(page, screenshot_dir):
    membership = MembershipFactory(role=Membership.Role.STAFF, user__name="이직원")
    user = membership.user
    log_in(page, user)

    page.goto(f"{page.base_url}/accounts/delete/")
    expect(page.locator("h1")).to_have_text("회원 탈퇴")
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=confirm]")
    page.screenshot(path=str(screenshot_dir / "accounts_delete_form.png"), full_page=True)
    page.click("form button.danger")
    expect(page.locator("h1")).to_have_text("탈퇴가 끝났습니다")
    page.screenshot(path=str(screenshot_dir / "accounts_deleted.png"), full_page=True)

    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()

    login(page, user.email, PASSWORD)
    expect(page.locator("form.login-form")).to_be_visible()  # refused: still on the login form
    expect(page.locator("form.login-form .form-errors .errorlist")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "accounts_deleted_login_refused.png"), full_page=True)
