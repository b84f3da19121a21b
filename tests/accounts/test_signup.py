from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.consent import SIGNUP_CONSENT
from accounts.models import SignupRequest, User
from notifications.models import OutboundEmail
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


def _confirm_path(email: OutboundEmail) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/[^/\s]+/)", email.body_text)
    assert match, email.body_text
    return match.group(1)


def test_signup_makes_no_account_until_the_link_in_the_email_is_confirmed(client):
    response = client.post(reverse("accounts:signup"), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session

    email = OutboundEmail.objects.get()
    assert email.to == "new.person@example.kr"
    assert email.language == "en"
    assert "Confirm your sign-up" in email.subject
    # Opening the link (a mail scanner does too) only shows the button.
    response = client.get(_confirm_path(email))
    assert response.status_code == 200
    assert not User.objects.exists()

    response = client.post(_confirm_path(email))
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

    # The link works once.
    client.logout()
    response = client.post(_confirm_path(email))
    assert response.status_code == 400
    assert "만료되었습니다" in text_of(response)
    assert User.objects.count() == 1


def test_signup_answers_the_same_whether_or_not_the_address_has_an_account(client):
    owner = UserFactory(email="new.person@example.kr", name="김기존", language="ko")
    taken = client.post(reverse("accounts:signup"), VALID)
    fresh = client.post(reverse("accounts:signup"), {**VALID, "email": "someone.else@example.kr"})
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    page = text_of(client.get(taken["Location"]))
    assert "이메일을 확인해 주세요" in page
    assert "이미 가입된" not in page
    assert User.objects.get() == owner

    # The owner is told instead, with the ways back into the account; the password is unchanged.
    told = OutboundEmail.objects.get(to="new.person@example.kr")
    assert "이미 가입된 이메일입니다" in told.subject
    assert "김기존 님" in told.body_text
    assert "/accounts/password/reset/" in told.body_text
    assert "/accounts/signup/confirm/" not in told.body_text
    owner.refresh_from_db()
    assert not owner.check_password(VALID["password1"])
    assert OutboundEmail.objects.filter(to="someone.else@example.kr").count() == 1


def test_a_strangers_signup_with_my_address_does_not_change_mine(client):
    stranger = {**VALID, "name": "낯선 사람", "password1": "낯선-비밀번호-2027", "password2": "낯선-비밀번호-2027"}
    client.post(reverse("accounts:signup"), stranger)
    client.post(reverse("accounts:signup"), VALID)
    stranger_email, my_email = OutboundEmail.objects.order_by("pk")
    client.post(_confirm_path(my_email))
    user = User.objects.get()
    assert user.name == "홍길동"
    assert user.check_password(VALID["password1"])
    # The stranger's link died with it.
    client.logout()
    assert client.post(_confirm_path(stranger_email)).status_code == 400
    assert User.objects.count() == 1


def test_an_expired_signup_link_is_refused(client):
    client.post(reverse("accounts:signup"), VALID)
    SignupRequest.objects.update(created_at=timezone.now() - timedelta(days=4))
    response = client.post(_confirm_path(OutboundEmail.objects.get()))
    assert response.status_code == 400
    assert not User.objects.exists()


def test_confirming_after_the_address_got_an_account_sends_to_login(client):
    client.post(reverse("accounts:signup"), VALID)
    UserFactory(email="new.person@example.kr")
    response = client.post(_confirm_path(OutboundEmail.objects.get()))
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


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


def test_unconfirmed_signups_are_deleted_once_their_link_has_expired(client):
    client.post(reverse("accounts:signup"), VALID)
    SignupRequest.objects.update(created_at=timezone.now() - timedelta(days=4))
    client.post(reverse("accounts:signup"), {**VALID, "email": "later@example.kr"})
    assert list(SignupRequest.objects.values_list("email", flat=True)) == ["later@example.kr"]


def test_signups_for_one_address_are_limited_per_hour(client):
    """Each sign-up e-mails the typed address: a sixth try within the hour e-mails nobody."""
    from accounts.views import SIGNUP_ATTEMPTS_PER_EMAIL_HOUR

    for _ in range(SIGNUP_ATTEMPTS_PER_EMAIL_HOUR):
        assert client.post(reverse("accounts:signup"), VALID).status_code == 302
    sent = OutboundEmail.objects.count()

    refused = client.post(reverse("accounts:signup"), VALID)

    assert refused.status_code == 200
    assert "가입 신청이 너무 많습니다" in text_of(refused)
    assert OutboundEmail.objects.count() == sent


def test_signups_from_one_client_are_limited_per_hour(client):
    from accounts.views import SIGNUP_ATTEMPTS_PER_CLIENT_HOUR

    for n in range(SIGNUP_ATTEMPTS_PER_CLIENT_HOUR):
        assert client.post(reverse("accounts:signup"), {**VALID, "email": f"person{n}@example.kr"}).status_code == 302

    refused = client.post(reverse("accounts:signup"), {**VALID, "email": "one-more@example.kr"})

    assert refused.status_code == 200
    assert not SignupRequest.objects.filter(email="one-more@example.kr").exists()
