"""Another company's application, attachment or review answers 404 everywhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Application
from programs.services import application_attach, application_create, review_assign
from tests.factories import MembershipFactory, UserFactory

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(open_call, representative):
    application = application_create(call=open_call, user=representative)
    application_attach(
        application=application,
        upload=SimpleUploadedFile("plan.pdf", PDF_BYTES),
        by=representative,
        document=open_call.documents.get(),
    )
    return application


def _urls(application):
    attachment = application.attachments.get()
    return [
        application.get_absolute_url(),
        f"/programs/applications/{application.pk}/withdraw/",
        f"/programs/applications/{application.pk}/outcome/",
        attachment.get_absolute_url(),
        f"/api/v1/applications/{application.pk}/",
    ]


def test_owner_sees_application_and_attachment(client, application, representative):
    client.force_login(representative)
    assert client.get(application.get_absolute_url()).status_code == 200
    response = client.get(application.attachments.get().get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert "plan.pdf" in response["Content-Disposition"]
    assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 200


def test_any_approved_member_of_the_company_sees_it(client, application, member):
    client.force_login(member)
    assert client.get(application.get_absolute_url()).status_code == 200
    assert client.get(application.attachments.get().get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["other_company", "pending_member", "no_company"])
def test_others_get_404(client, application, other_representative, who):
    if who == "other_company":
        user = other_representative
    elif who == "pending_member":
        user = MembershipFactory(company=application.company, status="pending").user
    else:
        user = UserFactory()
    client.force_login(user)
    for url in _urls(application):
        method = client.post if url.endswith("/withdraw/") else client.get
        assert method(url).status_code == 404, url
    # A POST to edit or submit another company's application changes nothing.
    assert client.post(application.get_absolute_url(), {"action": "submit"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_anonymous_is_sent_to_login(client, application):
    response = client.get(application.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(application.attachments.get().get_absolute_url()).status_code == 302
    assert client.get("/api/v1/applications/").status_code in {401, 403}


def test_staff_and_assigned_reviewer_get_the_attachment(client, application, staff):
    url = application.attachments.get().get_absolute_url()
    client.force_login(staff)
    assert client.get(url).status_code == 200
    reviewer = UserFactory()
    client.force_login(reviewer)
    assert client.get(url).status_code == 404
    review_assign(application=application, reviewer=reviewer, by=staff)
    assert client.get(url).status_code == 200


def test_review_of_another_reviewer_is_404(client, application, staff):
    review = review_assign(application=application, reviewer=UserFactory(), by=staff)
    client.force_login(UserFactory())
    assert client.get(review.get_absolute_url()).status_code == 404
    client.force_login(MembershipFactory(company=application.company).user)
    assert client.get(review.get_absolute_url()).status_code == 404


def test_private_files_are_not_under_a_public_url(client, application, settings):
    attachment = application.attachments.get()
    assert client.get(f"{settings.MEDIA_URL}{attachment.file.name}").status_code == 404
