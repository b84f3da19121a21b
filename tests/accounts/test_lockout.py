"""django-axes: five failed logins for one e-mail address from one IP lock it out for a while."""

from __future__ import annotations

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db


def _fail(client, email: str, times: int) -> None:
    for _ in range(times):
        response = client.post(reverse("accounts:login"), {"username": email, "password": "not-the-password"})
        assert response.status_code in (200, 429)


def test_five_wrong_passwords_lock_out_even_the_right_one(client):
    UserFactory(email="kim@example.kr")
    _fail(client, "kim@example.kr", settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": PASSWORD})
    assert response.status_code == 429
    page = text_of(response)
    assert "로그인이 잠시 제한되었습니다" in page
    assert "15분 뒤에 다시 시도해 주세요" in page
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_out(client):
    user = UserFactory(email="kim@example.kr")
    _fail(client, "kim@example.kr", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_letter_case_does_not_give_extra_attempts(client):
    UserFactory(email="kim@example.kr")
    for email in ["kim@example.kr", "KIM@example.kr", "Kim@Example.kr", "kim@EXAMPLE.KR", "KIM@EXAMPLE.KR"]:
        _fail(client, email, 1)
    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": PASSWORD})
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "kim@example.kr"


def test_another_user_from_the_same_address_is_not_locked_out(client):
    UserFactory(email="kim@example.kr")
    other = UserFactory(email="lee@example.kr")
    _fail(client, "kim@example.kr", settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("accounts:login"), {"username": "lee@example.kr", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_lockout_page_is_in_english_for_english_visitors(client):
    UserFactory(email="kim@example.kr")
    _fail(client, "kim@example.kr", settings.AXES_FAILURE_LIMIT)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in text_of(response)


def test_authenticate_needs_the_request_for_the_lockout_to_work():
    UserFactory(email="kim@example.kr")
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="kim@example.kr", password=PASSWORD) is not None
    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="kim@example.kr", password=PASSWORD)


def test_the_test_client_logs_in_when_given_a_request(client):
    """For tests: ``client.force_login(user)``, or ``client.login(request=HttpRequest(), ...)``."""
    user = UserFactory(email="kim@example.kr")
    assert client.login(request=HttpRequest(), username="kim@example.kr", password=PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
