from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import MembershipFactory, RepresentativeFactory, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db


def test_profile_shows_memberships_with_their_status(client, pending):
    client.force_login(pending.user)
    response = client.get(reverse("accounts:profile"))
    page = text_of(response)
    assert "내 정보" in page
    assert "로보티즈" in page and "승인 대기" in page
    assert reverse("accounts:join") in response.content.decode()


def test_profile_update_saves_and_switches_the_language(client):
    user = UserFactory(name="김마곡")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"name": "김마곡2", "phone": "010-0000-0000", "position": "팀장", "language": "en"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert (user.name, user.phone, user.position, user.language) == ("김마곡2", "010-0000-0000", "팀장", "en")
    assert 'lang="en"' in client.get(reverse("accounts:profile")).content.decode()


def test_profile_requires_a_name(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:profile"), {"name": "", "language": "ko"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_header_links_the_representative_to_the_members_page(client, company):
    representative = RepresentativeFactory(company=company).user
    client.force_login(representative)
    assert reverse("accounts:members") in client.get(reverse("home")).content.decode()
    client.force_login(MembershipFactory(company=company).user)
    assert reverse("accounts:members") not in client.get(reverse("home")).content.decode()
