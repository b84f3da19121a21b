"""The company directory in a real browser: a visitor searches, filters, opens a company and
switches to English; a representative proposes a profile change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from companies.demo import load_demo
from companies.models import Company, ProfileChangeRequest
from tests.browser.conftest import log_in
from tests.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_searches_filters_opens_company_and_switches_to_english(page, screenshot_dir):
    load_demo()
    page.goto(f"{page.base_url}/companies/")
    expect(page.locator("h1")).to_have_text("입주기업 찾기")
    expect(page.locator(".stats-panel svg[role=img]").first).to_be_visible()

    page.get_by_label("기업명 또는 기술 키워드").fill("로보")
    page.get_by_label("업종").select_option("machinery-robotics")
    page.get_by_role("button", name="검색").click()
    expect(page).to_have_url(re.compile(r"sector=machinery-robotics"))
    results = page.locator(".company-list .company-name")
    expect(results.first).to_have_text("로보티즈")
    expect(page.get_by_label("기업명 또는 기술 키워드")).to_have_value("로보")
    page.screenshot(path=str(screenshot_dir / "companies-directory.png"), full_page=True)

    results.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/companies/robotis/$"))
    expect(page.locator("h1")).to_have_text("로보티즈")
    expect(page.locator(".keyword-list")).to_contain_text("다이나믹셀")

    page.locator("form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Robotis")
    expect(page.locator(".company-facts")).to_contain_text("Machinery & robotics")

    page.goto(f"{page.base_url}/companies/?q=robot")
    expect(page.locator("h1")).to_have_text("Find a company")
    expect(page.locator(".company-list .company-name").first).to_have_text("Robotis")


def test_representative_edits_the_profile_and_sees_pending_approval(page, screenshot_dir):
    load_demo()
    robotis = Company.objects.get(slug="robotis")
    representative = RepresentativeFactory(company=robotis, role=Membership.Role.REPRESENTATIVE).user
    log_in(page, representative)

    page.goto(f"{page.base_url}/companies/robotis/")
    page.get_by_role("link", name="기업정보 수정 요청").click()
    expect(page.locator("h1")).to_contain_text("로보티즈 기업정보 수정")
    page.get_by_label("기술 키워드").fill("로봇, 액추에이터, 다이나믹셀, 휴머노이드")
    page.get_by_label("임직원 수").fill("175")
    page.get_by_role("button", name="변경 요청 보내기").click()

    expect(page.locator(".notice-pending")).to_contain_text("승인 대기 중")
    expect(page.get_by_label("기술 키워드")).to_have_value("로봇, 액추에이터, 다이나믹셀, 휴머노이드")
    change = ProfileChangeRequest.objects.get(company=robotis)
    assert change.data["employee_count"] == 175
    robotis.refresh_from_db()
    assert "휴머노이드" not in robotis.keywords  # published only after SBA approval
    page.screenshot(path=str(screenshot_dir / "companies-profile-edit.png"), full_page=True)
