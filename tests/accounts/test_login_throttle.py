"""Failed logins are limited per account across addresses and per address across accounts,
beyond axes' lockout of one (e-mail, address) pair; the limits are waits, not long locks."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts import services
from accounts.throttle import ACCOUNT, _delay
from tests.factories import PASSWORD, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def _login(client, email: str, password: str, address: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def _spread_guesses(client, email: str, *, addresses: int, each: int) -> list[int]:
    """``each`` wrong passwords from each of ``addresses`` addresses, fewer than the pair lockout."""
    return [
        _login(client, email, WRONG, f"10.0.0.{a}").status_code for a in range(1, addresses + 1) for _ in range(each)
    ]


def test_guesses_spread_over_many_addresses_make_the_account_wait(client, settings):
    assert settings.AXES_FAILURE_LIMIT > 4  # each address stays below the pair lockout
    UserFactory(email="kim@example.kr")
    statuses = _spread_guesses(client, "kim@example.kr", addresses=10, each=4)
    # Only the first guesses had their password checked; the rest were refused unchecked.
    assert statuses.count(200) == settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    assert statuses.count(429) == 40 - settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    # Even the right password from a fresh address must wait.
    response = _login(client, "kim@example.kr", PASSWORD, "10.0.1.1")
    assert response.status_code == 429
    page = text_of(response)
    assert "이 계정에 대한 로그인 실패가 너무 많아" in page
    # The first wait is the base delay (less the seconds this test took so far).
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= settings.LOGIN_THROTTLE_DELAY_SECONDS
    assert f"{seconds}초 뒤에 다시 시도해 주세요" in page
    assert "_auth_user_id" not in client.session


def test_one_address_trying_one_password_against_many_accounts_is_stopped(client, settings):
    users = [UserFactory(email=f"user{n}@example.kr") for n in range(30)]
    statuses = [_login(client, user.email, WRONG, "10.0.0.9").status_code for user in users]
    assert statuses.count(200) == settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert statuses[settings.LOGIN_ADDRESS_FAILURE_LIMIT :] == [429] * (30 - settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    response = _login(client, users[-1].email, PASSWORD, "10.0.0.9")
    assert response.status_code == 429
    assert "이 네트워크에서 로그인 실패가 너무 많아" in text_of(response)
    # The accounts themselves are not held up: their owners log in from elsewhere.
    assert _login(client, users[-1].email, PASSWORD, "10.0.0.10").status_code == 302


def test_after_the_wait_the_owner_logs_in_and_the_count_starts_again(client, settings):
    settings.LOGIN_THROTTLE_DELAY_SECONDS = 1
    user = UserFactory(email="kim@example.kr")
    _spread_guesses(client, "kim@example.kr", addresses=settings.LOGIN_ACCOUNT_FAILURE_LIMIT, each=1)
    assert _login(client, "kim@example.kr", PASSWORD, "10.0.1.1").status_code == 429
    time.sleep(1.2)
    response = _login(client, "kim@example.kr", PASSWORD, "10.0.1.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    # The successful login cleared the account's count: one more typo is just a typo.
    assert _login(client, "kim@example.kr", WRONG, "10.0.1.2").status_code == 200


def test_refused_attempts_do_not_lengthen_the_wait(client, settings):
    UserFactory(email="kim@example.kr")
    _spread_guesses(client, "kim@example.kr", addresses=settings.LOGIN_ACCOUNT_FAILURE_LIMIT, each=1)
    for a in range(30):
        response = _login(client, "kim@example.kr", WRONG, f"10.0.2.{a}")
        assert response.status_code == 429
    assert int(response["Retry-After"]) <= settings.LOGIN_THROTTLE_DELAY_SECONDS


def test_the_wait_doubles_with_each_failure_up_to_the_cap(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 10
    settings.LOGIN_THROTTLE_DELAY_SECONDS = 30
    settings.LOGIN_THROTTLE_MAX_MINUTES = 15
    assert [_delay(ACCOUNT, n) for n in range(9, 17)] == [0, 30, 60, 120, 240, 480, 900, 900]
    assert _delay(ACCOUNT, 10_000) == 900


def test_resetting_the_password_ends_the_wait(client, settings):
    user = UserFactory(email="kim@example.kr")
    _spread_guesses(client, "kim@example.kr", addresses=settings.LOGIN_ACCOUNT_FAILURE_LIMIT, each=1)
    assert _login(client, "kim@example.kr", PASSWORD, "10.0.1.1").status_code == 429
    services.user_lockout_clear(user=user)
    assert _login(client, "kim@example.kr", PASSWORD, "10.0.1.1").status_code == 302


def test_the_wait_page_is_in_english_for_english_visitors(client, settings):
    UserFactory(email="kim@example.kr")
    _spread_guesses(client, "kim@example.kr", addresses=settings.LOGIN_ACCOUNT_FAILURE_LIMIT, each=1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _login(client, "kim@example.kr", PASSWORD, "10.0.1.1")
    page = text_of(response)
    assert "Too many failed logins for this account" in page
    assert f"Please try again in {response['Retry-After']} seconds." in page


def test_the_admin_login_waits_too(client, settings):
    UserFactory(email="admin@example.kr", is_staff=True, is_superuser=True)
    _spread_guesses(client, "admin@example.kr", addresses=settings.LOGIN_ACCOUNT_FAILURE_LIMIT, each=1)
    response = client.post(
        reverse("admin:login"), {"username": "admin@example.kr", "password": PASSWORD}, REMOTE_ADDR="10.0.1.1"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
