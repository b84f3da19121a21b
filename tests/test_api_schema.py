"""The API schema says what the API answers (checked in depth by test_api_schema_fuzz.py)."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from drf_spectacular.generators import SchemaGenerator

from events.models import AgendaItem
from tests.factories import CompanyFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api_schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    ("component", "field"),
    [("Company", "logo"), ("AgendaItem", "speaker"), ("Registration", "ticket_code")],
)
def test_fields_that_can_be_null_say_so(api_schema, component, field):
    assert api_schema["components"]["schemas"][component]["properties"][field].get("nullable") is True


def test_every_operation_documents_its_error_answers(api_schema):
    for path, operations in api_schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"403", "429"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert "400" in codes, (method, path)
            for code in codes - {"204"}:
                if code >= "400":
                    assert "application/json" in operation["responses"][code]["content"], (method, path, code)


def test_agenda_times_carry_their_utc_offset(client):
    event = EventFactory()
    AgendaItem.objects.create(event=event, starts_at=time(9, 30), title_ko="개회")
    [item] = client.get(f"/api/v1/events/{event.pk}/").json()["agenda_items"]
    assert item["starts_at"] == "09:30:00+09:00"
    assert item["speaker"] is None


@pytest.mark.parametrize("url", ["/api/v1/events/0.5/", "/api/v1/companies/파일/", "/api/v1/nothing-here/"])
def test_unmatched_api_paths_answer_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "homepage", ['https://example.kr/"onmouseover="x', "https://example.kr/<b>", "https://example.kr/a>"]
)
def test_homepage_refuses_characters_a_uri_cannot_hold(homepage):
    company = CompanyFactory.build(homepage=homepage)
    with pytest.raises(ValidationError) as error:
        company.full_clean(exclude=[f.name for f in company._meta.fields if f.name != "homepage"])
    assert "homepage" in error.value.message_dict


def test_blank_homepage_and_contact_email_are_allowed_by_the_schema(api_schema):
    schemas = api_schema["components"]["schemas"]
    for component, field in (("Company", "homepage"), ("Application", "contact_email")):
        alternatives = schemas[component]["properties"][field]["anyOf"]
        assert {"type": "string", "maxLength": 0} in alternatives
        assert any(re.fullmatch("email|uri", a.get("format", "")) for a in alternatives)
