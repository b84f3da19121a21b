from __future__ import annotations

import pytest
from django.urls import reverse

from companies.models import Company
from tests.factories import CompanyFactory, SectorFactory

from .factories import business_number

pytestmark = pytest.mark.django_db


def test_directory_lists_public_companies_and_finds_by_korean_query(client, robotis):
    CompanyFactory(name_ko="팜스빌", name_en="Pharmsville")
    CompanyFactory(name_ko="비공개기업", is_public=False)
    response = client.get(reverse("companies:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "로보티즈" in page and "팜스빌" in page and "비공개기업" not in page

    response = client.get(reverse("companies:list"), {"q": "로보"})
    page = response.content.decode()
    assert "로보티즈" in page and "팜스빌" not in page
    assert [c.slug for c in response.context["companies"]] == ["robotis"]


def test_directory_filters_combine_with_search(client, robotis, robotics):
    other = CompanyFactory(name_ko="로보월드", size_class=Company.SizeClass.STARTUP)
    response = client.get(reverse("companies:list"), {"q": "로보", "sector": robotics.slug})
    assert [c.slug for c in response.context["companies"]] == ["robotis"]
    response = client.get(reverse("companies:list"), {"q": "로보", "size": "startup"})
    assert [c.slug for c in response.context["companies"]] == [other.slug]


def test_invalid_filter_values_are_ignored(client, robotis):
    response = client.get(reverse("companies:list"), {"size": "gigantic", "sector": "no-such-sector"})
    assert response.status_code == 200
    assert [c.slug for c in response.context["companies"]] == ["robotis"]


def test_pagination_keeps_the_query(client, robotics):
    for n in range(25):
        CompanyFactory(name_ko=f"바이오기업{n:02d}")
    response = client.get(reverse("companies:list"), {"q": "바이오"})
    page = response.content.decode()
    assert response.context["page"].paginator.count == 25
    assert "?q=%EB%B0%94%EC%9D%B4%EC%98%A4&amp;page=2" in page
    second = client.get(reverse("companies:list"), {"q": "바이오", "page": 2})
    assert len(second.context["companies"]) == 5


def test_directory_answers_in_english(client, robotis):
    client.cookies["magok_language"] = "en"
    response = client.get(reverse("companies:list"))
    page = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert "Find a company" in page
    assert "Robotis" in page and "Machinery &amp; robotics" in page
    assert 'lang="en"' in page


def test_directory_answers_in_korean_by_default(client, robotis):
    response = client.get(reverse("companies:list"))
    assert response.headers["Content-Language"] == "ko"
    assert "입주기업 찾기" in response.content.decode()


def _make_companies(count: int) -> None:
    sectors = [SectorFactory(), SectorFactory()]
    for _ in range(count):
        company = CompanyFactory(keywords="로봇, 센서")
        company.sectors.set(sectors)


@pytest.mark.parametrize("params", [{}, {"q": "테스트"}, {"q": "로봇", "size": "sme"}])
def test_directory_query_count_is_constant(client, django_assert_num_queries, monkeypatch, params):
    monkeypatch.setattr("companies.views.PAGE_SIZE", 50)
    _make_companies(1)
    client.get(reverse("companies:list"), params)  # warm up (ComplexProfile row is created once)
    # A search is one query, page and total together; the plain list reads the page off the sort
    # index and counts apart (the count is kept with the public content when the page cache is on).
    with django_assert_num_queries(5 if params else 6) as one:
        response = client.get(reverse("companies:list"), params)
    assert len(response.context["companies"]) == 1
    _make_companies(49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("companies:list"), {**params, "page": 1})
    assert len(response.context["companies"]) == 50


def test_company_page_shows_profile_but_never_the_business_number(client, robotis):
    robotis.business_registration_number = business_number(7)
    robotis.parcel_code = "C4-5"
    robotis.employee_count = 150
    robotis.save()
    response = client.get(reverse("companies:detail", args=["robotis"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "로보티즈" in page and "Robotis" in page and "C4-5" in page and "다이나믹셀" in page
    digits = robotis.business_registration_number
    assert digits not in page and digits.replace("-", "") not in page


def test_company_page_describes_in_the_current_language(client, robotis):
    assert "로봇 액추에이터를 만듭니다." in client.get(robotis.get_absolute_url()).content.decode()
    client.cookies["magok_language"] = "en"
    assert "Makes robot actuators." in client.get(robotis.get_absolute_url()).content.decode()


def test_private_company_page_is_not_found(client):
    hidden = CompanyFactory(is_public=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_home_page_shows_statistics_panel(client, robotis):
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in page and "<title" in page and "입주 진행률" in page


def test_too_long_query_is_explained_not_silently_dropped(client):
    response = client.get("/companies/", {"q": "로" * 101})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist' in page
    assert "100" in page.split('class="errorlist', 1)[1][:300]


def test_directory_shows_page_numbers_with_the_current_one_marked(client):
    for n in range(130):  # 7 pages of 20
        CompanyFactory(name_ko=f"예시기업{n:03d}")
    html = client.get(reverse("companies:list"), {"page": 4}).content.decode()
    for number in (1, 2, 3, 5, 6, 7):
        assert f'page={number}" aria-label="{number} 페이지">{number}</a>' in html
    current = '<span aria-current="page" class="current-page"><span class="visually-hidden">현재 페이지 </span>4</span>'
    assert current in html
    first = client.get(reverse("companies:list")).content.decode()
    assert "…" in first  # pages far from the current one are elided


def test_numbered_names_list_in_natural_order(client):
    for name in ["예시기업 10", "예시기업 2", "예시기업 1", "예시기업 2-3"]:
        CompanyFactory(name_ko=name)
    response = client.get(reverse("companies:list"))
    natural = ["예시기업 1", "예시기업 2", "예시기업 2-3", "예시기업 10"]
    assert [c.name_ko for c in response.context["companies"]] == natural
    # The same natural order breaks the ties of a search.
    response = client.get(reverse("companies:list"), {"q": "예시기업"})
    assert [c.name_ko for c in response.context["companies"]][:4] == natural


def test_sort_name_follows_a_rename():
    company = CompanyFactory(name_ko="예시기업 7")
    assert company.sort_name == "예시기업 0000000007"
    company.name_ko = "예시기업 12"
    company.save(update_fields=["name_ko"])
    company.refresh_from_db()
    assert company.sort_name == "예시기업 0000000012"
