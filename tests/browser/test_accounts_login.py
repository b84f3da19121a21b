from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import PASSWORD, CompanyFactory, RepresentativeFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_representative_logs_in_through_the_form_and_switches_to_english(page, screenshot_dir):
    company = CompanyFactory(slug="robotis", name_ko="로보티즈", name_en="Robotis")
    RepresentativeFactory(company=company, user__email="ceo@robotis.example.kr", user__name="김로봇")

    login(page, "CEO@robotis.example.kr", PASSWORD)

    page.wait_for_url(f"{page.base_url}/")
    header = page.locator("header.site-header")
    assert "김로봇" in header.inner_text()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert header.get_by_role("link", name="입주기업").is_visible()
    assert header.get_by_role("link", name="우리 기업 구성원").is_visible()

    page.click("form.lang-switch button[value=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert header.get_by_role("link", name="Companies").is_visible()
    assert header.get_by_role("button", name="Log out").is_visible()
    page.screenshot(path=str(screenshot_dir / "accounts-home-en-desktop.png"))


def test_wrong_password_keeps_the_visitor_on_the_form_with_a_message(page):
    RepresentativeFactory(user__email="ceo@robotis.example.kr")
    login(page, "ceo@robotis.example.kr", "wrong-password")
    assert page.locator("form.login-form [role=alert]").is_visible()
    assert "이메일 또는 비밀번호가 올바르지 않습니다" in page.locator("form.login-form").inner_text()


def test_home_page_on_a_phone_folds_the_menu(browser, live_server, screenshot_dir):
    context = browser.new_context(locale="ko-KR", viewport={"width": 375, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        # The first Tab reaches the skip link, which shows itself and leads to the main content.
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="본문 바로가기")
        assert skip.evaluate("element => element === document.activeElement")
        assert skip.is_visible() and skip.bounding_box()["x"] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
        toggle = page.get_by_role("button", name="메뉴")
        assert toggle.is_visible()
        main_nav = page.get_by_role("navigation", name="주 메뉴")
        assert not main_nav.get_by_role("link", name="입주기업").is_visible()
        # Nothing sticks out sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(screenshot_dir / "accounts-home-375.png"), full_page=True)

        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert main_nav.get_by_role("link", name="입주기업").is_visible()
        assert page.get_by_role("link", name="로그인").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(screenshot_dir / "accounts-home-375-menu-open.png"), full_page=True)

        # Larger text, kept on the next page.
        root_size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
        before = page.evaluate(root_size)
        page.get_by_role("button", name="글자 크게").click()
        assert page.evaluate(root_size) > before
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.evaluate(root_size) > before
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
