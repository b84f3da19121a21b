"""Least privilege: ``is_staff`` alone does not open other people's tickets or cancel their
registrations; ``events.view_registration`` / ``events.change_registration`` do (as check-in
needs ``change_registration``). Without them a ticket answers 404, as for anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import staff_with_permissions

from .helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(event, member):
    [registration] = register(event, member)
    return registration


@pytest.mark.parametrize("name", ["events:ticket", "events:ticket_qr"])
def test_staff_without_the_permission_gets_404_for_a_ticket(client, registration, name):
    client.force_login(staff_with_permissions("events"))
    assert client.get(reverse(name, args=[registration.pk])).status_code == 404


@pytest.mark.parametrize("name", ["events:ticket", "events:ticket_qr"])
def test_staff_with_the_view_permission_sees_a_ticket(client, registration, name):
    client.force_login(staff_with_permissions("events", "view_registration"))
    assert client.get(reverse(name, args=[registration.pk])).status_code == 200


def test_owner_sees_and_other_company_does_not(client, registration, member, other_member):
    client.force_login(member)
    assert client.get(reverse("events:ticket", args=[registration.pk])).status_code == 200
    client.force_login(other_member)
    assert client.get(reverse("events:ticket", args=[registration.pk])).status_code == 404


def test_staff_cancel_needs_the_change_permission(client, registration):
    url = reverse("events:cancel", args=[registration.pk])
    client.force_login(staff_with_permissions("events"))
    assert client.post(url).status_code == 404
    client.force_login(staff_with_permissions("events", "view_registration"))
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    client.force_login(staff_with_permissions("events", "view_registration", "change_registration"))
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
