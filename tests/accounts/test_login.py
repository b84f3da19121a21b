from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db


def test_login_page_has_the_login_form_with_an_email_field(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<form class="login-form[^"]*"', html)
    assert re.search(r'<label for="id_username">이메일', html)
    assert 'name="username"' in html and 'type="email"' in html
    assert 'name="password"' in html


def test_login_accepts_the_email_in_any_letter_case_and_sets_the_language_cookie(client):
    user = UserFactory(email="kim@robotis.example.kr", language="en")
    response = client.post(reverse("accounts:login"), {"username": "  Kim@Robotis.Example.KR ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_login_follows_a_safe_next_url_only(client):
    UserFactory(email="kim@example.kr")
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/profile/", {"username": "kim@example.kr", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example.com/",
        {"username": "kim@example.kr", "password": PASSWORD},
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_an_error_and_does_not_log_in(client):
    UserFactory(email="kim@example.kr")
    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": "wrong-password"})
    assert response.status_code == 200
    assert "이메일 또는 비밀번호가 올바르지 않습니다" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="gone@example.kr", is_active=False)
    response = client.post(reverse("accounts:login"), {"username": "gone@example.kr", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_header_shows_the_logged_in_users_name_and_logout_button(client):
    client.force_login(UserFactory(name="김마곡"))
    html = client.get(reverse("home")).content.decode()
    assert "김마곡" in html
    assert f'action="{reverse("accounts:logout")}" method="post"' in html
