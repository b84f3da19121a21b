from __future__ import annotations

import pytest

from companies.demo import load_demo
from companies.models import Company, ComplexProfile
from companies.selectors import company_search, complex_statistics

pytestmark = pytest.mark.django_db

NAMED_SLUGS = {
    "lg-electronics",
    "lotte",
    "kolon",
    "s-oil",
    "nexen",
    "digicap",
    "robotis",
    "covision",
    "pharmsville",
    "wellsbio",
    "fiti",
}


def test_demo_matches_the_article_and_is_idempotent():
    load_demo()
    load_demo()
    assert Company.objects.count() == 150
    assert Company.objects.filter(size_class=Company.SizeClass.LARGE).count() == 48
    assert Company.objects.filter(move_in_status=Company.MoveInStatus.MOVED_IN).count() == 90
    assert NAMED_SLUGS <= set(Company.objects.values_list("slug", flat=True))
    assert not Company.objects.filter(slug__in=NAMED_SLUGS, is_sample=True).exists()
    samples = Company.objects.filter(is_sample=True)
    assert samples.count() == 139
    assert all("(가상)" in c.name_ko and "(fictional)" in c.name_en for c in samples)
    profile = ComplexProfile.load()
    assert (profile.area_m2, profile.move_in_target_year, profile.allotted_company_target) == (1_120_000, 2024, 150)
    stats = complex_statistics()
    assert stats.moved_in_percent == 60.0


def test_demo_search_examples():
    load_demo()
    assert company_search(query="로보")[0].slug == "robotis"
    assert company_search(query="다이나믹셀")[0].slug == "robotis"
    assert company_search(query="마곡").exists()
    assert company_search(query="FITI")[0].slug == "fiti"


def test_demo_sample_business_numbers_are_valid():
    load_demo()
    for company in Company.objects.filter(is_sample=True)[:20]:
        company.full_clean()
