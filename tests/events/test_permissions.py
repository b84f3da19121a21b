"""Every registration URL answers 404 for another company's registration; anonymous → login."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import RegistrationFactory, UserFactory

from .helpers import register

pytestmark = pytest.mark.django_db

HTML_URLS = [("get", "events:ticket"), ("get", "events:ticket_qr"), ("get", "events:cancel"), ("post", "events:cancel")]


@pytest.fixture
def foreign_registration(event, other_member):
    [registration] = register(event, other_member)
    return registration


@pytest.mark.parametrize(("method", "name"), HTML_URLS)
def test_other_companys_registration_is_404_in_html(client, member, representative, foreign_registration, method, name):
    for user in (member, representative):
        client.force_login(user)
        response = getattr(client, method)(reverse(name, args=[foreign_registration.pk]))
        assert response.status_code == 404
    foreign_registration.refresh_from_db()
    assert foreign_registration.status == "confirmed"


@pytest.mark.parametrize(("method", "name"), HTML_URLS)
def test_anonymous_is_sent_to_login(client, foreign_registration, method, name):
    response = getattr(client, method)(reverse(name, args=[foreign_registration.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_my_registrations_needs_login(client):
    response = client.get(reverse("events:my"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_register_page_for_tenant_event_sends_anonymous_to_login(client, event):
    response = client.get(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("method", ["get", "delete"])
def test_other_companys_registration_is_404_in_api(member, representative, foreign_registration, method):
    api = APIClient()
    for user in (member, representative):
        api.force_authenticate(user)
        response = getattr(api, method)(f"/api/v1/registrations/{foreign_registration.pk}/")
        assert response.status_code == 404
    foreign_registration.refresh_from_db()
    assert foreign_registration.status == "confirmed"


def test_api_needs_authentication(event, foreign_registration):
    api = APIClient()
    assert api.get("/api/v1/registrations/").status_code in (401, 403)
    assert api.delete(f"/api/v1/registrations/{foreign_registration.pk}/").status_code in (401, 403)
    assert api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json").status_code in (
        401,
        403,
    )


def test_api_list_shows_only_own(member, foreign_registration, event):
    [own] = register(event, member)
    api = APIClient()
    api.force_authenticate(member)
    ids = [row["id"] for row in api.get("/api/v1/registrations/").json()["results"]]
    assert ids == [own.pk]


def test_token_authentication_works(member, event):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json")
    assert response.status_code == 201, response.content


def test_representative_sees_and_cancels_company_registrations(client, event, member, representative):
    [own] = register(event, member)
    client.force_login(representative)
    assert client.get(reverse("events:ticket", args=[own.pk])).status_code == 200
    assert client.post(reverse("events:cancel", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert own.status == "cancelled"


def test_plain_colleague_cannot_see_colleagues_ticket(client, event, member, company):
    from tests.factories import MembershipFactory

    [own] = register(event, member)
    colleague = MembershipFactory(company=company).user
    client.force_login(colleague)
    assert client.get(reverse("events:ticket", args=[own.pk])).status_code == 404


def test_staff_only_check_in(client, event, member):
    client.force_login(member)
    for name in ("events:check_in", "events:check_in_counts"):
        response = client.get(reverse(name, args=[event.pk]))
        assert response.status_code == 302
    response = client.post(reverse("events:check_in_scan", args=[event.pk]), "{}", content_type="application/json")
    assert response.status_code == 302


def test_unknown_registration_404(client, member):
    client.force_login(member)
    assert client.get(reverse("events:ticket", args=[999999])).status_code == 404


def test_user_without_registration_gets_404_for_factory_registration(client):
    registration = RegistrationFactory()
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("events:ticket", args=[registration.pk])).status_code == 404
