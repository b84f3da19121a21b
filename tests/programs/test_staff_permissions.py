"""Least privilege: ``is_staff`` alone does not open programme documents; the model permission
does (as check-in needs its permission). Without it a document answers 404, as for anyone else."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.services import application_attach, application_create
from tests.factories import staff_with_permissions

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(open_call, representative):
    application = application_create(call=open_call, user=representative)
    return application_attach(
        application=application,
        upload=SimpleUploadedFile("plan.pdf", PDF_BYTES),
        by=representative,
        document=open_call.documents.get(),
    )


def test_staff_without_the_permission_gets_404_for_a_document(client, attachment):
    client.force_login(staff_with_permissions("programs"))
    assert client.get(attachment.get_absolute_url()).status_code == 404
    # The right to see applications or calls is not the right to read their documents.
    client.force_login(staff_with_permissions("programs", "view_application", "view_call"))
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_staff_with_the_permission_gets_the_document(client, attachment):
    client.force_login(staff_with_permissions("programs", "view_applicationattachment"))
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_owner_gets_and_other_company_does_not(client, attachment, representative, other_representative):
    client.force_login(representative)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.force_login(other_representative)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_admin_zip_of_a_calls_documents_needs_the_document_permission(client, attachment):
    url = f"/admin/programs/call/{attachment.application.call_id}/attachments.zip"
    client.force_login(staff_with_permissions("programs", "view_call"))
    assert client.get(url).status_code == 403
    client.force_login(staff_with_permissions("programs", "view_call", "view_applicationattachment"))
    assert client.get(url).status_code == 200
