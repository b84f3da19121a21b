from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from notifications.models import OutboundEmail
from notifications.services import email_send
from tests.factories import PASSWORD, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "새-비밀번호-마곡-2027"


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks, monkeypatch):
    """Ask for a reset as a visitor does, then let "the worker" run the task it was handed
    (Celery's eager mode runs the real task in this process)."""
    from magok.celery import app

    # The app reads its configuration through the CELERY_ namespace.
    monkeypatch.setattr(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)

    def request(email: str):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert not OutboundEmail.objects.filter(to__iexact=email).exists()  # nothing rendered in the request
        for callback in callbacks:
            callback()
        return response

    return request


def _reset_path(email: OutboundEmail) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", email.body_text)
    assert match, email.body_text
    return match.group(1)


def test_password_reset_goes_through_the_outbox_and_sets_a_new_password(client, request_reset):
    user = UserFactory(email="kim@example.kr", name="김마곡")
    response = request_reset("KIM@example.kr")
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


def test_reset_email_is_written_in_the_users_language_and_can_be_sent(request_reset):
    UserFactory(email="lee@example.kr", language="en")
    request_reset("lee@example.kr")
    email = OutboundEmail.objects.get()
    assert email.language == "en"
    assert "Password reset" in email.subject
    assert "/accounts/password/reset/" in email.body_text
    assert email_send(email_id=email.pk) is True
    assert mail.outbox[0].to == ["lee@example.kr"]
    assert mail.outbox[0].subject == email.subject


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(request_reset):
    response = request_reset("nobody@example.kr")
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not OutboundEmail.objects.exists()


def test_reset_request_does_the_same_work_for_known_and_unknown_addresses(client, django_capture_on_commit_callbacks):
    """Rendering and storing the e-mail in the request made it measurably slower for addresses
    with an account; the request now only hands the address on. (Timing: bench/enumeration_timing.py.)"""
    UserFactory(email="kim@example.kr")
    answers = {}
    for email in ["kim@example.kr", "nobody@example.kr"]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        answers[email] = (response.status_code, response["Location"], len(queries), len(callbacks))
    assert answers["kim@example.kr"] == answers["nobody@example.kr"]
    assert answers["kim@example.kr"][2] == 0  # no lookup of the address in the request at all
    assert not OutboundEmail.objects.exists()


def test_reset_task_run_twice_queues_one_email():
    UserFactory(email="kim@example.kr")
    assert services.password_reset_send(email="kim@example.kr", request_id="r1") == 1
    assert services.password_reset_send(email="kim@example.kr", request_id="r1") == 0
    assert OutboundEmail.objects.count() == 1


def test_reset_with_the_broker_down_queues_the_email_in_the_request(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from accounts import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.send_password_reset, "delay", broker_down)
    UserFactory(email="kim@example.kr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "kim@example.kr"})
    assert OutboundEmail.objects.get().to == "kim@example.kr"


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


def test_resetting_the_password_lifts_a_lockout(client, settings, request_reset):
    user = UserFactory(email="kim@example.kr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": "wrong"})
    assert (
        client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": PASSWORD}).status_code == 429
    )

    request_reset("kim@example.kr")
    set_password_url = client.get(_reset_path(OutboundEmail.objects.get()))["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.post(reverse("accounts:login"), {"username": "kim@example.kr", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
