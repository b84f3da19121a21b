"""The forgiving Korean search in the directory, in a real browser: 초성, spacing, an alias and
a typo with its "did you mean" suggestion (screenshots kept in test-output/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from companies.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


def search(page, query: str) -> None:
    page.get_by_label(re.compile("기업명 또는 기술 키워드|Company name or technology keyword")).fill(query)
    page.get_by_role("button", name=re.compile("^(검색|Search)$")).click()


def test_forgiving_search_in_the_directory(page, screenshot_dir):
    load_demo()
    page.goto(f"{page.base_url}/companies/")
    results = page.locator(".company-list .company-name")

    search(page, "ㄹㅂㅌㅈ")
    expect(results.first).to_have_text("로보티즈")
    expect(page.locator(".search-suggestion")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "companies-search-initials.png"), full_page=True)

    search(page, "로보 티즈")
    expect(results.first).to_have_text("로보티즈")
    expect(page.locator(".results-count")).to_contain_text("기업 1곳")

    search(page, "엘지")  # an alias of LG kept by staff (demo data)
    expect(results.first).to_have_text("LG전자")

    search(page, "로ㅂ")  # a syllable still being typed
    expect(results.first).to_have_text("로보티즈")

    search(page, "로보티스")  # a typo
    suggestion = page.locator(".search-suggestion")
    expect(suggestion).to_contain_text("혹시 이 기업을 찾으셨나요?")
    expect(suggestion.get_by_role("link")).to_have_text("로보티즈")
    page.screenshot(path=str(screenshot_dir / "companies-search-suggestion.png"), full_page=True)
    suggestion.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"q=%EB%A1%9C%EB%B3%B4%ED%8B%B0%EC%A6%88"))
    expect(results.first).to_have_text("로보티즈")
    expect(page.locator(".search-suggestion")).to_have_count(0)

    page.locator("form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    search(page, "Robotiz")
    expect(page.locator(".search-suggestion")).to_contain_text("Did you mean this company?")
    expect(page.locator(".search-suggestion").get_by_role("link")).to_have_text("Robotis")
    page.screenshot(path=str(screenshot_dir / "companies-search-suggestion-en.png"), full_page=True)
