"""Schemathesis against the live API schema (fetched from the app, requests through WSGI, on
PostgreSQL): anonymous and with a token of a seeded representative, positive and negative
examples, zero server errors and zero answers that differ from the schema (status code,
content type, headers, body).

`make test` runs a bounded number of examples per operation with a fixed seed, so a failure
is reproducible; `make fuzz` runs the same test much longer (FUZZ_EXAMPLES, FUZZ_SEED).
"""

from __future__ import annotations

import functools
import os
import re
from datetime import time
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.models import AgendaItem, Audience, Speaker
from programs.models import CallQuestion
from tests.factories import CompanyFactory, EventFactory, RepresentativeFactory
from tests.programs.factories import ApplicationFactory, CallFactory, CallQuestionFactory

from .events.helpers import register

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
SEED = int(os.environ.get("FUZZ_SEED", "14"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@pytest.fixture
def api_data(db: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Something behind every path: a public company, an event with an agenda (one item without
    speaker), a call with one question of each kind, the representative's application and
    registration, and the representative's API token."""
    settings.DEBUG_PROPAGATE_EXCEPTIONS = True  # a server error fails with its traceback
    # The requests run inside this test's transaction: the start and end of a request must not
    # close the connection (Django's test client disconnects the same receivers).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
        request.addfinalizer(functools.partial(signal.connect, close_old_connections))
    # The rate limits would turn most examples into 429s; their answer is documented anyway.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "user": "100000/minute"})
    representative = RepresentativeFactory(company=CompanyFactory(homepage="https://example.kr/a?b=c")).user
    event = EventFactory(audience=Audience.TENANTS)
    speaker = Speaker.objects.create(event=event, name_ko="연사")
    AgendaItem.objects.create(event=event, starts_at=time(9, 30), title_ko="개회", speaker=speaker)
    AgendaItem.objects.create(event=event, starts_at=time(10), title_ko="휴식")
    EventFactory(audience=Audience.PUBLIC, capacity=1)
    call = CallFactory()
    for kind in CallQuestion.Kind:
        CallQuestionFactory(call=call, kind=kind, choices=["예", "아니요"] if kind == CallQuestion.Kind.CHOICE else [])
    application = ApplicationFactory(company=representative.company, call=call)
    [registration] = register(EventFactory(), representative)
    # The representative takes part in the event's consultations and asked a researcher.
    from meetings.models import MeetingRequest
    from tests.meetings.factories import ParticipantFactory, make_grid

    grid, _slots, _tables = make_grid(event=event, slots=2, tables=1)
    participant = ParticipantFactory(grid=grid, user=representative, company=representative.company)
    meeting_request = MeetingRequest.objects.create(
        grid=grid, sender=participant, recipient=ParticipantFactory(grid=grid)
    )
    # A hiring camp with its positions: the camp and position ids exist; seeker objects are another
    # person's, so those paths answer 404 as they must.
    from tests.hiring.factories import camp_world

    camp = camp_world(companies=1)
    return {
        "token": Token.objects.create(user=representative).key,
        "call": call.pk,
        "ids": {
            "applications": application.pk,
            "calls": call.pk,
            "companies": representative.company.slug,
            "events": event.pk,
            "programs": call.program_id,
            "registrations": registration.pk,
            "meetings": {"grids": grid.pk, "requests": meeting_request.pk},
            "hiring": {
                "camps": camp.camp.pk,
                "company": {"positions": camp.positions[0].pk if camp.positions else 0},
            },
        },
    }


@pytest.fixture
def api_schema(api_data: dict[str, Any]) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


def _aim_at_seeded_rows(case: Any, api_data: dict[str, Any]) -> None:
    """Random ids find nothing (404); point well-formed ones at the rows the test made, so that
    the views behind them run too. Malformed ones are left as generated."""
    parts = case.path.split("/")
    known = api_data["ids"][parts[3]]
    depth = 4
    # /api/v1/meetings/grids/{id}/…, /api/v1/hiring/company/positions/{id}/…: nested by path part;
    # a resource without a seeded row gets an id that exists nowhere (404).
    while isinstance(known, dict):
        known = known.get(parts[depth], 0)
        depth += 1
    for name, value in (case.path_parameters or {}).items():
        if (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and SLUG.fullmatch(value)
        ):
            case.path_parameters[name] = known
    if isinstance(case.body, dict) and isinstance(case.body.get("call"), int):
        case.body["call"] = api_data["call"]


def _fuzz_settings(test: Any) -> Any:
    settings = hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    return hypothesis.seed(SEED)(settings(test))


@schema.parametrize()
@_fuzz_settings
def test_api_answers_anonymous_callers_as_its_schema_says(case: Any, api_data: dict[str, Any]) -> None:
    _aim_at_seeded_rows(case, api_data)
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@_fuzz_settings
def test_api_answers_token_callers_as_its_schema_says(case: Any, api_data: dict[str, Any]) -> None:
    _aim_at_seeded_rows(case, api_data)
    case.call_and_validate(headers={"Authorization": f"Token {api_data['token']}"}, checks=CHECKS)
