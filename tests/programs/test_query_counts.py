"""List pages and API lists run a constant number of queries."""

from __future__ import annotations

import pytest

from programs.models import Application
from tests.factories import CompanyFactory, SectorFactory

from .factories import ApplicationFactory, CallFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _add_programs(n):
    sector = SectorFactory()
    for _ in range(n):
        call = CallFactory(program=ProgramFactory(), eligible_size_classes=["sme"])
        call.eligible_sectors.add(sector)


def test_public_list_is_constant(client, count_queries):
    _add_programs(1)
    one = count_queries(client, "/programs/")
    _add_programs(10)
    assert count_queries(client, "/programs/") == one


def test_public_api_lists_are_constant(client, count_queries):
    _add_programs(1)
    one_programs, one_calls = count_queries(client, "/api/v1/programs/"), count_queries(client, "/api/v1/calls/")
    _add_programs(10)
    assert count_queries(client, "/api/v1/programs/") == one_programs
    assert count_queries(client, "/api/v1/calls/") == one_calls


def test_my_applications_list_is_constant(
    client, company, representative, django_assert_max_num_queries, count_queries
):
    ApplicationFactory(company=company)
    client.force_login(representative)
    one = count_queries(client, "/programs/applications/")
    one_api = count_queries(client, "/api/v1/applications/")
    for _ in range(10):
        ApplicationFactory(company=company, status=Application.Status.SUBMITTED)
    assert count_queries(client, "/programs/applications/") == one
    assert count_queries(client, "/api/v1/applications/") == one_api
    with django_assert_max_num_queries(one):
        client.get("/programs/applications/")


def test_admin_lists_are_constant(client, staff, count_queries):
    call = CallFactory()
    ApplicationFactory(call=call, status=Application.Status.SUBMITTED)
    client.force_login(staff)
    urls = ["/admin/programs/call/", "/admin/programs/application/", f"/admin/programs/call/{call.pk}/ranking/"]
    before = [count_queries(client, url) for url in urls]
    for _ in range(10):
        ApplicationFactory(call=call, company=CompanyFactory(), status=Application.Status.SUBMITTED)
        CallFactory(program=call.program)
    assert [count_queries(client, url) for url in urls] == before
