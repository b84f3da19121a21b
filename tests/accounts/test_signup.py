from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.consent import SIGNUP_CONSENT
from accounts.models import User
from tests.factories import UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db

VALID = {
    "email": "New.Person@Example.KR",
    "name": "홍길동",
    "password1": "마곡-산업단지-2027",
    "password2": "마곡-산업단지-2027",
    "phone": "02-1234-5678",
    "position": "선임연구원",
    "language": "en",
    "consent": "on",
}


def test_signup_page_shows_purpose_items_and_retention_of_the_consent(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    page = text_of(response)
    assert "개인정보 수집·이용 동의" in page
    assert str(SIGNUP_CONSENT.purpose) in page
    assert str(SIGNUP_CONSENT.items) in page
    assert str(SIGNUP_CONSENT.retention) in page
    assert SIGNUP_CONSENT.version in page


def test_signup_without_consent_is_refused(client):
    response = client.post(reverse("accounts:signup"), {**VALID, "consent": ""})
    assert response.status_code == 200
    assert "개인정보 수집·이용에 동의해야 합니다" in text_of(response)
    assert not User.objects.exists()


def test_signup_creates_user_records_consent_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:join")
    user = User.objects.get()
    assert user.email == "new.person@example.kr"
    assert (user.name, user.phone, user.position, user.language) == ("홍길동", "02-1234-5678", "선임연구원", "en")
    assert user.privacy_consent_version == SIGNUP_CONSENT.version
    assert user.privacy_consented_at is not None
    assert user.check_password(VALID["password1"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_signup_with_an_email_taken_in_another_letter_case_is_refused(client):
    UserFactory(email="new.person@example.kr")
    response = client.post(reverse("accounts:signup"), VALID)
    assert response.status_code == 200
    assert "이미 가입된 이메일입니다" in text_of(response)
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password1", "password2", "field", "code"),
    [
        ("마곡-산업단지-2027", "다른-비밀번호-2027", "password2", "invalid"),
        ("20271234567", "20271234567", "password1", "password_entirely_numeric"),
        ("password", "password", "password1", "password_too_common"),
        ("mg-27", "mg-27", "password1", "password_too_short"),
    ],
)
def test_signup_applies_the_password_validators(client, password1, password2, field, code):
    response = client.post(reverse("accounts:signup"), {**VALID, "password1": password1, "password2": password2})
    assert response.status_code == 200
    assert not User.objects.exists()
    codes = [error.code or "invalid" for error in response.context["form"].errors.as_data()[field]]
    assert code in codes


def test_signup_page_sends_logged_in_users_to_their_profile(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:signup"))["Location"] == reverse("accounts:profile")
