"""Sign-up with ``?email=`` and ``?next=``: the address pre-filled, and the confirmed account
lands on ``next`` when it is a page of this site, else where the address is expected."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import SignupRequest
from notifications.models import OutboundEmail
from tests.factories import RegistrationFactory
from tests.meetings.factories import make_grid

from .test_signup import VALID, _confirm_path

pytestmark = pytest.mark.django_db


def _signup_form(response) -> str:
    """The sign-up form's HTML (every page also has the language switch, with its own ``next``)."""
    html = response.content.decode()
    return html[html.index('<form class="signup-form"') :].split("</form>")[0]


def test_signup_prefills_the_address_and_carries_next_to_the_confirmed_account(client):
    response = client.get(reverse("accounts:signup"), {"email": "kim@ewha.example.kr", "next": "/meetings/7/profile/"})
    html = response.content.decode()
    form = _signup_form(response)
    assert re.search(r'name="email"[^>]*value="kim@ewha.example.kr"', form)
    assert '<input type="hidden" name="next" value="/meetings/7/profile/">' in form
    assert "/accounts/login/?next=/meetings/7/profile/" in html

    client.post(reverse("accounts:signup"), {**VALID, "next": "/meetings/7/profile/"})
    assert SignupRequest.objects.get().next_url == "/meetings/7/profile/"
    response = client.post(_confirm_path(OutboundEmail.objects.get()))
    assert response.status_code == 302
    assert response["Location"] == "/meetings/7/profile/"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "profile"]
)
def test_an_unsafe_next_is_ignored(client, unsafe):
    form = _signup_form(client.get(reverse("accounts:signup"), {"next": unsafe}))
    assert 'name="next"' not in form
    client.post(reverse("accounts:signup"), {**VALID, "next": unsafe})
    assert SignupRequest.objects.get().next_url == ""
    response = client.post(_confirm_path(OutboundEmail.objects.get()))
    assert response["Location"] == reverse("accounts:join")


def test_without_next_a_confirmed_registrant_lands_on_the_open_consultation_profile(client):
    grid, _slots, _tables = make_grid()
    RegistrationFactory(event=grid.event, user=None, email="new.person@example.kr")
    client.post(reverse("accounts:signup"), VALID)
    response = client.post(_confirm_path(OutboundEmail.objects.get()))
    assert response["Location"] == reverse("meetings:profile", kwargs={"grid_id": grid.pk})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("비즈니스 상담회에 참여할 수 있습니다" in text for text in texts), texts


def test_a_logged_in_visitor_goes_to_a_safe_next(client, member):
    client.force_login(member)
    assert client.get(reverse("accounts:signup"), {"next": "/meetings/"})["Location"] == "/meetings/"
    assert client.get(reverse("accounts:signup"), {"next": "https://evil.example/"})["Location"] == reverse(
        "accounts:profile"
    )
