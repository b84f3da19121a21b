from __future__ import annotations

import pytest

from companies.models import Company
from tests.factories import CompanyFactory, SectorFactory

from .factories import business_number

pytestmark = pytest.mark.django_db


def test_search_finds_robotis_with_two_syllables(client, robotis):
    CompanyFactory(name_ko="팜스빌")
    response = client.get("/api/v1/companies/", {"search": "로보"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["results"][0]["slug"] == "robotis"
    assert data["results"][0]["keywords"] == ["로봇", "액추에이터", "다이나믹셀"]
    assert data["results"][0]["sectors"][0]["slug"] == "machinery-robotics"


def test_filters_and_search_combine(client, robotis, robotics):
    CompanyFactory(name_ko="로보스타트", size_class=Company.SizeClass.STARTUP)
    assert [
        c["slug"]
        for c in client.get("/api/v1/companies/", {"search": "로보", "sector": robotics.slug}).json()["results"]
    ] == ["robotis"]
    startups = client.get("/api/v1/companies/", {"search": "로보", "size": "startup"}).json()
    assert [c["name_ko"] for c in startups["results"]] == ["로보스타트"]


def test_invalid_filter_is_a_400(client):
    response = client.get("/api/v1/companies/", {"size": "gigantic"})
    assert response.status_code == 400
    assert "size" in response.json()


def test_detail_by_slug_never_exposes_business_number(client, robotis):
    robotis.business_registration_number = business_number(9)
    robotis.save()
    response = client.get("/api/v1/companies/robotis/")
    assert response.status_code == 200
    body = response.content.decode()
    assert response.json()["name_en"] == "Robotis"
    assert "business_registration_number" not in body
    assert robotis.business_registration_number.replace("-", "") not in body.replace("-", "")


def test_private_company_is_not_in_the_api(client):
    hidden = CompanyFactory(is_public=False)
    assert client.get(f"/api/v1/companies/{hidden.slug}/").status_code == 404
    assert client.get("/api/v1/companies/").json()["count"] == 0


def test_api_is_read_only(client, robotis):
    assert client.post("/api/v1/companies/", {"name_ko": "x"}).status_code == 405
    assert client.delete("/api/v1/companies/robotis/").status_code == 405


def test_pagination(client):
    CompanyFactory.create_batch(25)
    first = client.get("/api/v1/companies/").json()
    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]


def _make(count: int) -> None:
    sectors = [SectorFactory(), SectorFactory()]
    for _ in range(count):
        company = CompanyFactory(keywords="로봇")
        company.sectors.set(sectors)


@pytest.mark.parametrize("params", [{}, {"search": "로봇"}])
def test_api_list_query_count_is_constant(client, django_assert_num_queries, params):
    _make(1)
    # A search: the page with its total, sectors. The plain list: the page, its total (a COUNT,
    # kept with the public content when the page cache is on: tests/test_page_cache.py), sectors.
    expected = 2 if params else 3
    with django_assert_num_queries(expected):
        assert client.get("/api/v1/companies/", params).json()["count"] == 1
    _make(49)
    with django_assert_num_queries(expected):
        data = client.get("/api/v1/companies/", {**params, "page_size": 50}).json()
    assert data["count"] == 50 and len(data["results"]) == 50


def test_openapi_schema_documents_the_company_paths(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/companies/" in schema["paths"]
    assert "/api/v1/companies/{slug}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/companies/"]["get"]["parameters"]}
    assert {"search", "size", "sector", "move_in_status", "page"} <= parameters
    # The number is never public: no public company schema carries it. (A company's own
    # programme application, visible only to that company, may.)
    company_schemas = {name: body for name, body in schema["components"]["schemas"].items() if "Company" in name}
    assert company_schemas
    for name, body in company_schemas.items():
        assert "business_registration_number" not in body.get("properties", {}), name


def test_api_docs_page_is_served_without_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "cdn" not in response.content.decode().lower()


@pytest.mark.parametrize("params", [{"search": ":"}, {"search": "%", "size": "sme"}])
def test_a_search_that_can_match_nothing_answers_an_empty_page(client, params):
    """Found by the schema fuzzer: a query with no letter or digit matches nothing (an empty
    ``pk__in``), which the plain list's total must not try to turn into SQL."""
    _make(3)
    data = client.get("/api/v1/companies/", params).json()
    assert data["count"] == 0 and data["results"] == []
    page = client.get("/companies/", {"q": params["search"]})
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
