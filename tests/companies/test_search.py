from __future__ import annotations

import pytest
from django.db import connection

from companies.models import Company
from companies.selectors import company_search
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [company.name_ko for company in queryset]


@pytest.fixture
def directory(robotis, robotics, bio):
    """A small directory around 로보티즈 with names that compete for the same queries."""
    CompanyFactory(name_ko="마곡로보랩", name_en="Magok Robo Lab", keywords="드론")
    CompanyFactory(name_ko="한빛전자", name_en="Hanbit Electronics", keywords="센서, 로보틱스 부품")
    CompanyFactory(name_ko="로보", name_en="Robo", keywords="")
    wells = CompanyFactory(name_ko="웰스바이오", name_en="Wells Bio", keywords="체외진단, 바이오")
    wells.sectors.add(bio)
    CompanyFactory(name_ko="마곡식품", name_en="Magok Foods", size_class=Company.SizeClass.LARGE)
    CompanyFactory(name_ko="숨은기업", name_en="Hidden Robo", is_public=False)
    return robotis


def test_two_syllable_korean_query_finds_robotis(directory):
    assert "로보티즈" in names(company_search(query="로보"))


def test_ranking_exact_then_prefix_then_contains_then_keyword(directory):
    assert names(company_search(query="로보")) == ["로보", "로보티즈", "마곡로보랩", "한빛전자"]


def test_magok_query_matches_names_containing_it(directory):
    assert names(company_search(query="마곡")) == ["마곡로보랩", "마곡식품"]


def test_one_syllable_query_matches(directory):
    assert "웰스바이오" in names(company_search(query="웰"))


def test_english_partial_name_is_case_insensitive(directory):
    result = names(company_search(query="ROBOT"))
    assert result[0] == "로보티즈"
    assert names(company_search(query="wells b")) == ["웰스바이오"]


def test_keyword_finds_company(directory):
    assert names(company_search(query="다이나믹셀")) == ["로보티즈"]
    assert names(company_search(query="체외진단")) == ["웰스바이오"]


def test_filters_combine_with_search(directory, robotics):
    assert names(company_search(query="로보", sector=robotics.slug)) == ["로보티즈"]
    assert names(company_search(query="마곡", size=Company.SizeClass.LARGE)) == ["마곡식품"]
    assert names(company_search(query="로보", move_in_status=Company.MoveInStatus.ALLOTTED)) == []


def test_filters_without_query_list_in_name_order(directory, bio):
    assert names(company_search(sector=bio.slug)) == ["웰스바이오"]
    everything = names(company_search())
    assert everything == sorted(everything)


def test_private_companies_are_never_found(directory):
    assert "숨은기업" not in names(company_search(query="Hidden"))
    assert "숨은기업" not in names(company_search())


def test_like_wildcards_in_the_query_are_literal(directory):
    assert names(company_search(query="%")) == []
    assert names(company_search(query="_")) == []


def test_sector_filter_does_not_duplicate_companies(directory, robotics, bio):
    directory.sectors.add(bio)
    assert names(company_search(query="로보티즈", sector=robotics.slug)) == ["로보티즈"]
    assert names(company_search(sector=bio.slug)) == ["로보티즈", "웰스바이오"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL only")
def test_database_locale_gives_korean_trigrams():
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm('한글')")
        (trigrams,) = cursor.fetchone()
    assert trigrams, "pg_trgm returns no trigrams for Hangul: the database needs a UTF-8 locale"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL only")
def test_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'companies_company' AND indexdef LIKE '%gin_trgm_ops%'"
        )
        indexes = {row[0] for row in cursor.fetchall()}
    assert indexes == {"company_search_names_trgm", "company_search_keywords_trgm", "company_search_initials_trgm"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'company_search_grams_gin'")
        (definition,) = cursor.fetchone()
    assert "string_to_array(search_grams, ' '::text)" in definition


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL only")
def test_misspelt_name_is_found_by_similarity(directory):
    CompanyFactory(name_ko="코비젼", name_en="Covision")
    result = names(company_search(query="Covison"))
    assert result[0] == "코비젼"
