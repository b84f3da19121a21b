from __future__ import annotations

import pytest
from django.urls import reverse

from companies.models import ComplexProfile
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_changelist_searches_and_filters(staff_client, robotis, robotics):
    url = reverse("admin:companies_company_changelist")
    page = staff_client.get(url, {"q": "로보", "sectors__id__exact": robotics.pk, "size_class": "sme"})
    assert page.status_code == 200
    assert "로보티즈" in page.content.decode()
    assert staff_client.get(url, {"q": "없는기업"}).context["cl"].result_count == 0


def test_company_change_page_shows_members_inline(staff_client, representative, robotis):
    page = staff_client.get(reverse("admin:companies_company_change", args=[robotis.pk]))
    assert page.status_code == 200
    assert representative.email in page.content.decode() or str(representative.pk) in page.content.decode()
    assert "memberships-TOTAL_FORMS" in page.content.decode()


def test_staff_edit_complex_figures(staff_client):
    profile = ComplexProfile.load()
    url = reverse("admin:companies_complexprofile_change", args=[profile.pk])
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(reverse("admin:companies_complexprofile_add")).status_code == 403
    response = staff_client.post(
        url,
        {
            "name_ko": "마곡산업단지",
            "name_en": "Magok Industrial Complex",
            "area_m2": 1_120_000,
            "designated_on": "2008-12-01",
            "allotted_company_target": 151,
            "move_in_target_year": 2025,
            # The yearly targets inline (backoffice's results compare against them).
            "year_targets-TOTAL_FORMS": 1,
            "year_targets-INITIAL_FORMS": 0,
            "year_targets-0-year": 2026,
            "year_targets-0-moved_in_companies": 120,
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.allotted_company_target, profile.move_in_target_year) == (151, 2025)
    assert [(t.year, t.moved_in_companies) for t in profile.year_targets.all()] == [(2026, 120)]


def test_export_selected_action(staff_client, robotis):
    response = staff_client.post(
        reverse("admin:companies_company_changelist"),
        {"action": "export_selected_csv", "_selected_action": [robotis.pk]},
    )
    assert response.status_code == 200
    assert "로보티즈" in response.content.decode("utf-8-sig")


def test_import_page_renders(staff_client):
    page = staff_client.get(reverse("admin:companies_company_import"))
    assert page.status_code == 200
    assert "business_registration_number" in page.content.decode()


def test_staff_keep_search_aliases_in_the_admin(staff_client, robotis):
    from companies.models import SearchAlias
    from companies.selectors import company_search

    add = reverse("admin:companies_searchalias_add")
    refused = staff_client.post(add, {"terms": "LG, lg", "note": ""})
    assert refused.status_code == 200 and not SearchAlias.objects.exists()
    assert "서로 다른 말을 두 개 이상" in refused.content.decode()
    assert staff_client.post(add, {"terms": "다이나믹셀, Dynamixel", "note": "제품명"}).status_code == 302
    assert [c.slug for c in company_search(query="dynamixel")] == ["robotis"]
    alias = SearchAlias.objects.get()
    assert staff_client.get(reverse("admin:companies_searchalias_changelist")).status_code == 200
    delete = reverse("admin:companies_searchalias_delete", args=[alias.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    assert list(company_search(query="dynamixel")) == []
