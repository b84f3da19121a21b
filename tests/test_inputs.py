"""The shared parsers of magok/inputs.py, and the JSON depth limit on every API POST."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from drf_spectacular.generators import SchemaGenerator

from magok.inputs import MAX_JSON_DEPTH, parse_decimal, parse_int, parse_json, parse_month, parse_text, validate_uri
from tests.factories import EventFactory, RepresentativeFactory
from tests.programs.factories import ApplicationFactory, CallFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (3, 3),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("1.5", None),
        (True, None),
        ("9" * 40, None),
        ("", None),
        (None, None),
        ("1\x00", None),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05", date(2026, 5, 1)),
        ("2026-5", date(2026, 5, 1)),
        ("0001-01", None),
        ("9999-12", None),
        ("2026-13", None),
        ("²⁰²⁶-01", None),
        ("2026-05-01", None),
        (None, None),
    ],
)
def test_parse_month(value, expected):
    assert parse_month(value) == expected


def test_parse_text_refuses_nul_and_cuts():
    assert parse_text("a\x00b") is None
    assert parse_text("  로봇 ") == "로봇"
    assert parse_text("x" * 500, max_length=10) == "x" * 10


@pytest.mark.parametrize(
    "value",
    [
        "NaN",
        "sNaN",
        "-Infinity",
        "inf",
        "1e999999999",
        "1e-999999999",
        "9" * 19,
        float("nan"),
        float("inf"),
        True,
        [1],
        {"a": 1},
        "",
        "1\x00",
    ],
)
def test_parse_decimal_refuses(value):
    with pytest.raises(ValidationError):
        parse_decimal(value)


@pytest.mark.parametrize(
    ("value", "expected"), [("12.5", Decimal("12.5")), (7, Decimal(7)), ("9" * 18, Decimal("9" * 18))]
)
def test_parse_decimal_accepts(value, expected):
    assert parse_decimal(value) == expected


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_parse_json_refuses_deep_nesting(depth):
    with pytest.raises(ValueError):
        parse_json("[" * depth + "]" * depth)
    assert parse_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_parse_json_refuses_non_json_constants(constant):
    with pytest.raises(ValueError):
        parse_json(f'{{"a": {constant}}}')


@pytest.mark.parametrize(
    "url",
    [
        'https://example.kr/"x',
        "https://example.kr/<script>",
        "https://example.kr/a>b",
        "https://example.kr/{x}",
        "https://example.kr/a|b",
    ],
)
def test_validate_uri_refuses_characters_a_uri_cannot_hold(url):
    with pytest.raises(ValidationError):
        validate_uri(url)
    validate_uri("https://example.kr/a?b=c#d")


def _post_operations() -> list[tuple[str, bool]]:
    """Every POST of the API schema, and whether it takes a body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, "requestBody" in operations["post"])
        for path, operations in schema["paths"].items()
        if "post" in operations
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_every_api_post_refuses_deeply_nested_json(client, depth):
    operations = _post_operations()
    assert operations
    representative = RepresentativeFactory().user
    ids = {
        "events": EventFactory().pk,
        "applications": ApplicationFactory(company=representative.company, call=CallFactory()).pk,
    }
    client.force_login(representative)
    body = "[" * depth + "]" * depth
    for path, takes_body in operations:
        seeded = "{" not in path or path.split("/")[3] in ids
        # Paths of objects not seeded here (meetings, hiring) point at an id that exists nowhere:
        # they may answer 404 before reading the body, but never fail on it.
        url = re.sub(r"\{[^}]+\}", lambda _m, p=path: str(ids.get(p.split("/")[3], 999_999)), path)
        response = client.post(url, body, content_type="application/json")
        assert response.status_code < 500, (url, response.status_code)
        if takes_body and seeded:
            assert response.status_code == 400, (url, response.content[:200])
        elif takes_body:
            assert response.status_code in (400, 403, 404), (url, response.status_code)
