from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import OutboundEmail
from notifications.services import email_send
from tests.factories import PASSWORD, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "새-비밀번호-마곡-2027"


def _reset_path(email: OutboundEmail) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", email.body_text)
    assert match, email.body_text
    return match.group(1)


def test_password_reset_goes_through_the_outbox_and_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="kim@example.kr", name="김마곡")
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("accounts:password_reset"), {"email": "KIM@example.kr"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 0  # not sent directly: queued

    email = OutboundEmail.objects.get()
    assert email.to == "kim@example.kr"
    assert email.language == "ko"
    assert "비밀번호 재설정" in email.subject
    assert "김마곡 님" in email.body_text

    # The link redirects to a URL without the token, where the new password is set.
    response = client.get(_reset_path(email))
    assert response.status_code == 302
    set_password_url = response["Location"]
    response = client.get(set_password_url)
    assert response.context["validlink"] is True
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # The link works once.
    client.logout()
    response = client.get(_reset_path(email), follow=True)
    assert response.context["validlink"] is False


def test_reset_email_is_written_in_the_users_language_and_can_be_sent():
    from django.test import Client

    UserFactory(email="lee@example.kr", language="en")
    Client().post(reverse("accounts:password_reset"), {"email": "lee@example.kr"})
    email = OutboundEmail.objects.get()
    assert email.language == "en"
    assert "Password reset" in email.subject
    assert "/accounts/password/reset/" in email.body_text
    assert email_send(email_id=email.pk) is True
    assert mail.outbox[0].to == ["lee@example.kr"]
    assert mail.outbox[0].subject == email.subject


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.kr"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not OutboundEmail.objects.exists()


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "비밀번호를 바꿨습니다" in text_of(response)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_requires_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_resetting_the_password_lifts_a_lockout(client, settings):
    user = UserFactory(email="kim@example.kr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": "wrong"})
    assert (
        client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": PASSWORD}).status_code == 429
    )

    client.post(reverse("accounts:password_reset"), {"email": "kim@example.kr"})
    set_password_url = client.get(_reset_path(OutboundEmail.objects.get()))["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
