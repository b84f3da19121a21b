"""List pages and API lists run a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Application
from tests.factories import CompanyFactory, SectorFactory

from .factories import ApplicationFactory, CallFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_programs(n):
    sector = SectorFactory()
    for _ in range(n):
        call = CallFactory(program=ProgramFactory(), eligible_size_classes=["sme"])
        call.eligible_sectors.add(sector)


def test_public_list_is_constant(client):
    _add_programs(1)
    one = _count(client, "/programs/")
    _add_programs(10)
    assert _count(client, "/programs/") == one


def test_public_api_lists_are_constant(client):
    _add_programs(1)
    one_programs, one_calls = _count(client, "/api/v1/programs/"), _count(client, "/api/v1/calls/")
    _add_programs(10)
    assert _count(client, "/api/v1/programs/") == one_programs
    assert _count(client, "/api/v1/calls/") == one_calls


def test_my_applications_list_is_constant(client, company, representative, django_assert_max_num_queries):
    ApplicationFactory(company=company)
    client.force_login(representative)
    one = _count(client, "/programs/applications/")
    one_api = _count(client, "/api/v1/applications/")
    for _ in range(10):
        ApplicationFactory(company=company, status=Application.Status.SUBMITTED)
    assert _count(client, "/programs/applications/") == one
    assert _count(client, "/api/v1/applications/") == one_api
    with django_assert_max_num_queries(one):
        client.get("/programs/applications/")


def test_admin_lists_are_constant(client, staff):
    call = CallFactory()
    ApplicationFactory(call=call, status=Application.Status.SUBMITTED)
    client.force_login(staff)
    urls = ["/admin/programs/call/", "/admin/programs/application/", f"/admin/programs/call/{call.pk}/ranking/"]
    before = [_count(client, url) for url in urls]
    for _ in range(10):
        ApplicationFactory(call=call, company=CompanyFactory(), status=Application.Status.SUBMITTED)
        CallFactory(program=call.program)
    assert [_count(client, url) for url in urls] == before
