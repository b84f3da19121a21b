from __future__ import annotations

import pytest

from companies.models import Company, ComplexProfile
from companies.selectors import complex_statistics
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_counts_by_size_and_status_and_progress(django_assert_num_queries):
    ComplexProfile.load()
    CompanyFactory.create_batch(3, size_class=Company.SizeClass.LARGE, move_in_status=Company.MoveInStatus.MOVED_IN)
    CompanyFactory(size_class=Company.SizeClass.SME, move_in_status=Company.MoveInStatus.UNDER_CONSTRUCTION)
    CompanyFactory(size_class=Company.SizeClass.STARTUP, move_in_status=Company.MoveInStatus.MOVED_IN, is_public=False)
    profile = ComplexProfile.load()
    profile.allotted_company_target = 8
    profile.save()

    with django_assert_num_queries(2):
        stats = complex_statistics()

    assert stats.total == 5
    assert {bar.key: bar.count for bar in stats.by_size} == {"large": 3, "midsized": 0, "sme": 1, "startup": 1}
    assert {bar.key: bar.count for bar in stats.by_move_in_status} == {
        "allotted": 0,
        "under_construction": 1,
        "moved_in": 4,
    }
    assert stats.moved_in == 4 and stats.target == 8
    assert stats.moved_in_percent == 50.0
    assert stats.progress_width == 90.0
    large = next(bar for bar in stats.by_size if bar.key == "large")
    assert large.percent == 100 and large.width == 180


def test_empty_complex_draws_empty_bars():
    stats = complex_statistics()
    assert stats.total == 0
    assert all(bar.width == 0 for bar in stats.by_size)
    assert stats.moved_in_percent == 0


def test_panel_renders_numbers_and_accessible_table(client):
    CompanyFactory.create_batch(2, move_in_status=Company.MoveInStatus.MOVED_IN)
    page = client.get("/companies/").content.decode()
    assert 'role="img"' in page and 'aria-labelledby="chart-size-title"' in page
    assert '<table class="visually-hidden">' in page
    assert "2 / 150 (1%)" in page
    assert "1,120,000㎡" in page
