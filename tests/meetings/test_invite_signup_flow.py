"""End to end through the pages: a hospital researcher who registered on the public path without
an account gets the invitation, signs up from its link, confirms from the sign-up e-mail, lands
on the consultation profile, saves it, and takes part with the registration."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings.consultations import participants_invite
from meetings.models import Participant
from notifications.models import OutboundEmail
from tests.factories import RegistrationFactory

from .factories import make_grid

pytestmark = pytest.mark.django_db


def _site_path(text: str, pattern: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + pattern + r"\S*)", text)
    assert match, text
    return match.group(1)


def test_public_registrant_without_account_from_invitation_to_a_linked_profile(client, settings):
    settings.LANGUAGE_CODE = "ko"
    grid, _slots, _tables = make_grid(request_deadline=timezone.now() + timedelta(days=2))
    registration = RegistrationFactory(
        event=grid.event, user=None, email="lee@ewha-mc.example.kr", attendee_name="이연구"
    )
    assert participants_invite(grid=grid, by=None).queued == 1

    invitation = OutboundEmail.objects.get(to="lee@ewha-mc.example.kr")
    signup_path = _site_path(invitation.body_text, "/accounts/signup/")
    page = client.get(signup_path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="lee@ewha-mc.example.kr"' in html
    form = html[html.index('<form class="signup-form"') :].split("</form>")[0]
    next_value = unescape(re.search(r'<input type="hidden" name="next" value="([^"]+)"', form).group(1))
    profile_path = reverse("meetings:profile", kwargs={"grid_id": grid.pk})
    assert next_value == profile_path

    response = client.post(
        signup_path,
        {
            "email": "lee@ewha-mc.example.kr",
            "name": "이연구",
            "password1": "마곡-이화-2027-연구",
            "password2": "마곡-이화-2027-연구",
            "phone": "",
            "position": "연구교수",
            "language": "ko",
            "consent": "on",
            "next": next_value,
        },
    )
    assert response.status_code == 302 and not User.objects.filter(email="lee@ewha-mc.example.kr").exists()

    confirmation = OutboundEmail.objects.filter(to="lee@ewha-mc.example.kr").exclude(pk=invitation.pk).get()
    confirm_path = _site_path(confirmation.body_text, "/accounts/signup/confirm/")
    response = client.post(confirm_path)
    assert response.status_code == 302 and response["Location"] == profile_path

    profile = client.get(profile_path)
    assert profile.status_code == 200 and 'value="이연구"' in profile.content.decode()
    response = client.post(
        profile_path,
        {
            "display_name": "이연구",
            "organization": "이화의료원",
            "role": "hospital",
            "offers_keywords": "임상시험 설계, 바이오마커",
            "seeks_keywords": "의료기기",
            "introduction": "",
            "is_visible": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:participants", kwargs={"grid_id": grid.pk})
    participant = Participant.objects.get(grid=grid)
    user = User.objects.get(email="lee@ewha-mc.example.kr")
    assert (participant.user, participant.registration) == (user, registration)
    assert participant.organization == "이화의료원" and participant.offers_list == ["임상시험 설계", "바이오마커"]
