"""Answers that Python or PostgreSQL cannot take are refused with a message, on the application
page and in the API alike (they used to answer 500 or store an object's Python repr)."""

from __future__ import annotations

import json

import pytest

from programs.models import Application, CallQuestion
from programs.services import application_create

from .factories import CallQuestionFactory

pytestmark = pytest.mark.django_db

# Strings a form field or a JSON string can carry; the last two are finite but endless to expand.
BAD_NUMBER_STRINGS = ["NaN", "sNaN", "-Infinity", "Infinity", "1e5000", "9" * 40]


@pytest.fixture
def questions(open_call):
    return {
        kind: CallQuestionFactory(call=open_call, kind=kind, choices=["예", "아니요"] if kind == "choice" else [])
        for kind in (CallQuestion.Kind.TEXT, CallQuestion.Kind.NUMBER, CallQuestion.Kind.CHOICE)
    }


@pytest.fixture
def draft(open_call, representative):
    return application_create(call=open_call, user=representative)


@pytest.mark.parametrize(
    ("kind", "value"),
    [*((CallQuestion.Kind.NUMBER, v) for v in BAD_NUMBER_STRINGS), (CallQuestion.Kind.TEXT, "a\x00b")],
)
def test_application_page_refuses_bad_answers(client, representative, draft, questions, kind, value):
    client.force_login(representative)
    response = client.post(draft.get_absolute_url(), {f"q_{questions[kind].pk}": value, "action": "save"})
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors[f"q_{questions[kind].pk}"]
    draft.refresh_from_db()
    assert draft.answers == {}


def test_application_page_keeps_a_good_number(client, representative, draft, questions):
    client.force_login(representative)
    number = questions[CallQuestion.Kind.NUMBER]
    response = client.post(draft.get_absolute_url(), {f"q_{number.pk}": "12.5", "action": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {str(number.pk): 12.5}


def _create(client, call, answers_json: str):
    body = f'{{"call": {call.pk}, "answers": {answers_json}}}'
    return client.post("/api/v1/applications/", body, content_type="application/json")


@pytest.mark.parametrize(
    ("kind", "answer_json"),
    [
        *((CallQuestion.Kind.NUMBER, json.dumps(v)) for v in BAD_NUMBER_STRINGS),
        (CallQuestion.Kind.NUMBER, "1e5000"),  # a JSON number that Python reads as infinity
        (CallQuestion.Kind.NUMBER, "true"),
        (CallQuestion.Kind.NUMBER, '{"a": 1}'),
        (CallQuestion.Kind.TEXT, json.dumps("a\x00b")),
        (CallQuestion.Kind.TEXT, '{"a": 1}'),  # was stored as the string "{'a': 1}"
        (CallQuestion.Kind.TEXT, "[1, 2]"),
        (CallQuestion.Kind.CHOICE, '["예"]'),
    ],
)
def test_api_refuses_bad_answers(client, representative, open_call, questions, kind, answer_json):
    client.force_login(representative)
    response = _create(client, open_call, f'{{"{questions[kind].pk}": {answer_json}}}')
    assert response.status_code == 400, response.content
    assert str(questions[kind].pk) in response.json()["answers"]
    assert not Application.objects.exclude(answers={}).exists()


@pytest.mark.parametrize("key", ["²", "1\x00", "-1", "x"])
def test_api_refuses_answer_keys_that_are_not_question_ids(client, representative, open_call, key):
    client.force_login(representative)
    response = _create(client, open_call, json.dumps({key: "답"}))
    assert response.status_code == 400
    assert "answers" in response.json()


def test_api_stores_good_answers_as_the_page_does(client, representative, open_call, questions):
    client.force_login(representative)
    answers = {
        str(questions[CallQuestion.Kind.NUMBER].pk): "7",
        str(questions[CallQuestion.Kind.TEXT].pk): "  로봇  ",
        str(questions[CallQuestion.Kind.CHOICE].pk): "예",
    }
    response = _create(client, open_call, json.dumps(answers))
    assert response.status_code == 201, response.content
    assert Application.objects.get().answers == {
        str(questions[CallQuestion.Kind.NUMBER].pk): 7,
        str(questions[CallQuestion.Kind.TEXT].pk): "로봇",
        str(questions[CallQuestion.Kind.CHOICE].pk): "예",
    }
