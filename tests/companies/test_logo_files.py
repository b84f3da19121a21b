"""Logos: approved ones are public; a logo proposed in a pending change request is not."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from companies.forms import ProfileEditForm
from companies.models import ProfileChangeRequest
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def pending_logo():
    company = CompanyFactory()
    change = ProfileChangeRequest.objects.create(
        company=company, submitted_by=UserFactory(), data={}, logo=SimpleUploadedFile("new.png", _png())
    )
    return change


def test_pending_logo_is_hidden_from_the_public_and_other_companies(client, pending_logo):
    url = pending_logo.logo.url
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404


def test_pending_logo_is_shown_to_staff_and_the_company(client, pending_logo):
    url = pending_logo.logo.url
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.force_login(MembershipFactory(company=pending_logo.company).user)
    assert client.get(url).status_code == 200


def test_approved_logo_is_public(client):
    company = CompanyFactory(logo=SimpleUploadedFile("logo.png", _png()))
    assert client.get(company.logo.url).status_code == 200


def test_logo_with_a_non_image_extension_is_refused():
    form = ProfileEditForm(data={}, files={"logo": SimpleUploadedFile("logo.pdf", _png(), "application/pdf")})
    form.is_valid()
    assert "logo" in form.errors


@pytest.mark.parametrize(
    "variant",
    [
        "logos//pending/{name}",
        "logos/pending//{name}",
        "logos/x/../pending/{name}",
        "logos/./pending/{name}",
        "logos/pending/./{name}",
        "logos/%2Fpending/{name}",
    ],
)
def test_pending_logo_is_not_served_through_a_path_the_file_server_normalises(client, pending_logo, variant):
    name = pending_logo.logo.name.rsplit("/", 1)[-1]
    url = "/media/" + variant.format(name=name)
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404


def test_pending_logo_gets_a_random_name(pending_logo):
    second = ProfileChangeRequest.objects.create(
        company=CompanyFactory(), data={}, logo=SimpleUploadedFile("new.png", _png())
    )
    for change in (pending_logo, second):
        directory, _slash, name = change.logo.name.rpartition("/")
        assert directory == "logos/pending" and name.endswith(".png")
        assert "new" not in name and len(name) >= 20
    assert pending_logo.logo.name != second.logo.name


def test_staff_without_the_permission_cannot_see_a_pending_logo(client, pending_logo):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(pending_logo.logo.url).status_code == 404
