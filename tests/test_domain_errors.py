"""One domain error: every API answers it with {"detail", "code"} and 400 or 409, the schema says
so, and every code a service raises is in the documented table."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from magok.errors import CODES, DomainError

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ["accounts", "companies", "events", "programs", "notifications", "magok"]


class Refusing(APIView):
    permission_classes = [permissions.AllowAny]
    code = ""

    def post(self, request: Request) -> Response:
        raise DomainError("규칙이 거절했습니다.", self.code)


@pytest.mark.parametrize(("code", "status"), [("forbidden", 400), ("already_decided", 409), ("duplicate", 409)])
def test_an_api_view_answers_a_domain_error_with_its_message_and_code(code, status):
    response = Refusing.as_view(code=code)(APIRequestFactory().post("/anything/"))
    assert response.status_code == status
    assert response.data == {"detail": "규칙이 거절했습니다.", "code": code}


def test_other_api_errors_keep_drf_answers():
    class Broken(APIView):
        permission_classes = [permissions.IsAuthenticated]

        def post(self, request: Request) -> Response:
            raise AssertionError("not reached")

    response = Broken.as_view()(APIRequestFactory().post("/anything/"))
    assert response.status_code in (401, 403) and "code" not in response.data


def _domain_error_names() -> set[str]:
    for app in APPS:
        for module in sorted((BASE_DIR / app).glob("*.py")):
            importlib.import_module(f"{app}.{module.stem}")
    names, todo = set(), [DomainError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _constant_codes(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constant_codes(node.body) + _constant_codes(node.orelse)
    return []


def _raised_codes() -> dict[str, str]:
    """code -> where it is raised: the second argument of every call of a DomainError class
    (including ``super().__init__`` inside one)."""
    names = _domain_error_names()
    found: dict[str, str] = {}
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            inside = {
                id(call)
                for cls in ast.walk(tree)
                if isinstance(cls, ast.ClassDef) and cls.name in names
                for call in ast.walk(cls)
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
            }
            for call in ast.walk(tree):
                if not isinstance(call, ast.Call) or len(call.args) < 2:
                    continue
                func = call.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in names or id(call) in inside:
                    for code in _constant_codes(call.args[1]):
                        found[code] = f"{path.relative_to(BASE_DIR)}:{call.lineno}"
    return found


def test_every_raised_code_is_documented():
    raised = _raised_codes()
    # The scan finds the codes of every app (a scan that finds nothing would pass vacuously).
    assert {"email_taken", "profile_changed", "duplicate", "missing_items", "email_sending"} <= set(raised)
    undocumented = {code: where for code, where in raised.items() if code not in CODES}
    assert not undocumented
    assert all(code.isidentifier() and code == code.lower() for code in CODES)


@pytest.mark.django_db
def test_schema_documents_the_error_answers_of_write_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["DomainError"]
    assert set(error["required"]) == {"detail", "code"}
    enum_ref = error["properties"]["code"].get("$ref") or error["properties"]["code"]["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][enum_ref.rsplit("/", 1)[1]]["enum"]
    assert set(enum) == set(CODES)
    writes = [
        ("/api/v1/events/{id}/registrations/", "post"),
        ("/api/v1/registrations/{id}/", "delete"),
        ("/api/v1/applications/", "post"),
        ("/api/v1/applications/{id}/submit/", "post"),
    ]
    for path, method in writes:
        responses = schema["paths"][path][method]["responses"]
        for status, sample in (("400", "missing_items"), ("409", "duplicate")):
            answer = responses[status]
            documented = answer["content"]["application/json"]["schema"]
            # 400 is a rule's refusal or invalid input ({field: [messages]}); 409 only a refusal.
            refs = [option["$ref"] for option in documented["anyOf"]] if status == "400" else [documented["$ref"]]
            assert "#/components/schemas/DomainError" in refs, path
            assert f"`{sample}`" in answer["description"], (path, status)
