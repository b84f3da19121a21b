from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company, SearchAlias
from companies.search import (
    SearchQuery,
    alias_variants,
    build_document,
    initials,
    match_rank,
    normalise,
    parse_query,
    reindex,
)
from companies.selectors import OneQueryPaginator, company_search, did_you_mean
from companies.services import profile_change_approve, profile_change_submit
from tests.factories import CompanyFactory, StaffFactory

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL only")
def test_misspelt_name_is_found_by_similarity(directory):
    CompanyFactory(name_ko="코비젼", name_en="Covision")
    result = names(company_search(query="Covison"))
    assert result[0] == "코비젼"


# --- the forgiving search (companies.search) ---------------------------------------------------


def test_normalise_spells_syllables_as_typed_and_drops_spacing_and_punctuation():
    assert normalise("로보 티즈") == normalise("로보티즈") == "ㄹㅗㅂㅗㅌㅣㅈㅡ"
    assert normalise("마곡 R&D") == normalise("마곡R&D") == normalise("마곡rd") == "ㅁㅏㄱㅗㄱrd"
    assert normalise("닭") == "ㄷㅏㄹㄱ" and normalise("광") == "ㄱㅗㅏㅇ"
    assert normalise("ＲＯＢＯＴ") == "robot"  # full-width letters
    assert normalise("ㄹㅂ") == "ㄹㅂ" and normalise("ㄳ") == "ㄱㅅ"  # compatibility jamo stay readable
    assert initials("로보티즈") == "ㄹㅂㅌㅈ" and initials("LG전자") == "lgㅈㅈ"


def test_parse_query_tells_initials_queries_and_empty_ones():
    assert parse_query("ㄹㅂㅌㅈ") == SearchQuery(text="ㄹㅂㅌㅈ", initials_only=True)
    assert parse_query("lgㅈㅈ").initials_only
    assert not parse_query("로ㅂ").initials_only
    assert not parse_query("robot").initials_only
    assert parse_query("%") is None and parse_query("  ") is None


def test_alias_variants_replace_the_term_inside_names():
    groups = [("엘지", "lg"), ("로봇", "robot")]
    assert alias_variants("LG 전자", groups) == ["lg전자", "엘지전자"]
    document = build_document(["LG전자", "LG Electronics"], ["로봇"], groups)
    assert "|ㅇㅔㄹㅈㅣㅈㅓㄴㅈㅏ|" in document.names
    assert "|robot|" in document.keywords and "|ㄹㅗㅂㅗㅅ|" in document.keywords
    assert document.initials == "|lgㅈㅈ|ㅇㅈㅈㅈ|lgelectronics|ㅇㅈelectronics|"


def test_match_rank_in_python_agrees_with_the_database(directory):
    for query in ("로보", "로ㅂ", "ㄹㅂ", "로보티스", "다이나믹셀", "웰스 바이오", "robot"):
        expected = [c.name_ko for c in company_search(query=query)]
        in_memory = sorted(
            (rank, c.name_ko)
            for c in Company.objects.filter(is_public=True)
            if (rank := match_rank(query, [c.name_ko, c.name_en], c.keyword_list)) is not None
        )
        assert [name for _rank, name in in_memory] == [n for n in expected if n in {n for _r, n in in_memory}]
        assert {name for _rank, name in in_memory} == set(expected), query


def test_short_queries_match_the_start_of_names_and_keywords(directory):
    assert names(company_search(query="로")) == ["로보", "로보티즈", "한빛전자"]  # 한빛전자: keyword 로보틱스
    assert "마곡로보랩" not in names(company_search(query="로"))  # 로 inside a name: too many for one syllable
    assert names(company_search(query="ㅁ")) == ["마곡로보랩", "마곡식품"]
    assert names(company_search(query="ha")) == ["한빛전자"]


def test_jamo_prefix_and_initials_and_spacing(directory):
    assert names(company_search(query="로ㅂ"))[:2] == ["로보", "로보티즈"]
    assert names(company_search(query="ㄹㅂㅌㅈ")) == ["로보티즈"]
    assert names(company_search(query="로보 티즈")) == ["로보티즈"]
    assert "웰스바이오" in names(company_search(query="바이"))


def test_search_columns_follow_every_save(directory):
    company = Company.objects.get(name_ko="로보티즈")
    company.name_ko = "로보티즈코리아"
    company.keywords = "휴머노이드"
    company.save(update_fields=["name_ko", "keywords"])
    company.refresh_from_db()
    assert "|ㄹㅗㅂㅗㅌㅣㅈㅡㅋㅗㄹㅣㅇㅏ|" in company.search_names
    assert names(company_search(query="휴머노")) == ["로보티즈코리아"]
    assert names(company_search(query="다이나믹셀")) == []


def test_profile_approval_updates_the_search(robotis, representative):
    change = profile_change_submit(
        company=robotis, by=representative, data={"name_en": "Robotis Humanoid", "keywords": "휴머노이드"}
    )
    assert names(company_search(query="휴머노이드")) == []
    profile_change_approve(change=change, by=StaffFactory())
    assert names(company_search(query="휴머노이드")) == ["로보티즈"]
    assert names(company_search(query="humanoid")) == ["로보티즈"]


def test_alias_changes_reindex_the_companies_they_concern(directory):
    lg = CompanyFactory(name_ko="LG전자", name_en="LG Electronics", keywords="가전")
    assert names(company_search(query="엘지")) == []
    alias = SearchAlias.objects.create(terms="엘지,  LG ")
    assert alias.terms == "엘지, LG"
    assert names(company_search(query="엘지")) == ["LG전자"]
    alias.terms = "엘쥐, LG"
    alias.save()
    assert names(company_search(query="엘지")) == []
    assert names(company_search(query="엘쥐전자")) == ["LG전자"]
    alias.delete()
    assert names(company_search(query="엘쥐")) == []
    lg.refresh_from_db()
    assert "ㅇㅔㄹ" not in lg.search_names


def test_english_keyword_next_to_korean_one(directory):
    SearchAlias.objects.create(terms="로봇, robot")
    assert set(names(company_search(query="robot"))) >= set(names(company_search(query="로봇")))


def test_alias_needs_two_different_terms():
    with pytest.raises(ValidationError):
        SearchAlias(terms="LG, lg").full_clean()
    with pytest.raises(ValidationError):
        SearchAlias(terms="엘지").full_clean()
    SearchAlias(terms="엘지, LG").full_clean()


def test_reindex_repairs_writes_that_bypass_save(directory):
    Company.objects.filter(name_ko="로보티즈").update(keywords="휴머노이드")
    assert names(company_search(query="휴머노이드")) == []
    assert reindex(Company.objects.all()) == Company.objects.count()
    assert names(company_search(query="휴머노이드")) == ["로보티즈"]


def test_typo_ranks_last_and_gives_the_suggestion(directory):
    results = list(company_search(query="로보티스"))
    assert [c.name_ko for c in results][:1] == ["로보티즈"]
    assert did_you_mean(results).name_ko == "로보티즈"
    assert did_you_mean(list(company_search(query="로보티즈"))) is None


# --- one query per page ------------------------------------------------------------------------


def _search_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if '"companies_company"."search_' in q["sql"]]


@pytest.mark.parametrize("query", ["로", "로보", "로보티즈", "ㄹㅂ", "로보티스"])
def test_a_results_page_is_one_search_query(directory, django_assert_max_num_queries, query):
    with CaptureQueriesContext(connection) as captured:
        page = OneQueryPaginator(company_search(query=query), 2).get_page(1)
        rows = list(page.object_list)
    assert _search_queries(captured.captured_queries) and len(_search_queries(captured.captured_queries)) == 1
    assert len(captured.captured_queries) == 2  # the page with its total, the sectors prefetch
    assert page.paginator.count == company_search(query=query).count()
    assert len(rows) == min(2, page.paginator.count)


def test_one_query_paginator_handles_bad_and_far_pages(directory):
    searched = company_search(query="로보")
    total = searched.count()
    paginator = OneQueryPaginator(searched, 2)
    assert paginator.get_page("x").number == 1
    last = paginator.get_page(99)
    assert last.number == paginator.num_pages == (total + 1) // 2
    assert OneQueryPaginator(company_search(query="없는말"), 2).get_page(1).paginator.count == 0
    with pytest.raises(EmptyPage):
        OneQueryPaginator(searched, 2).page(99)


def test_directory_page_shows_the_suggestion(client, directory):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("companies:list"), {"q": "로보티스"})
    assert len(_search_queries(captured.captured_queries)) == 1
    page = response.content.decode()
    assert "혹시 이 기업을 찾으셨나요?" in page
    assert "?q=%EB%A1%9C%EB%B3%B4%ED%8B%B0%EC%A6%88" in page  # 로보티즈
    assert "혹시 이 기업을" not in client.get(reverse("companies:list"), {"q": "로보티즈"}).content.decode()


def test_api_search_is_forgiving_and_suggests(client, directory):
    data = client.get("/api/v1/companies/", {"search": "ㄹㅂㅌㅈ"}).json()
    assert [c["slug"] for c in data["results"]] == ["robotis"] and data["suggestion"] is None
    data = client.get("/api/v1/companies/", {"search": "로보티스"}).json()
    assert data["suggestion"] == {"slug": "robotis", "name": "로보티즈"}
    assert client.get("/api/v1/companies/", {"search": "로보", "page": 99}).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes are PostgreSQL only")
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("로", "company_search_names_trgm"),
        ("ㄹ", "company_search_initials_trgm"),
        ("5g", "company_search_names_trgm"),
        ("로보", "company_search_names_trgm"),
        ("ㄹㅂㅌㅈ", "company_search_initials_trgm"),
        ("로보티스", "company_search_names_trgm"),
    ],
)
def test_every_query_length_can_use_an_index(directory, query, index):
    """With sequential scans priced out (a handful of rows would otherwise be scanned), the plan
    reads an index: no query length is left to a scan. bench/directory_search.py shows the plans
    the planner picks by itself at 10,000 companies."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = company_search(query=query).explain()
    assert index in plan
    assert "Seq Scan on companies_company" not in plan
