"""Too-large uploads are refused while they stream in, and too-large requests unread."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from magok.uploads import OversizedUpload
from programs.models import ApplicationAttachment
from programs.services import application_create

from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db

LIMIT = 100_000


class RecordingHandler(FileUploadHandler):
    """Keeps nothing; counts the bytes that reach it (as the storing handlers would get them)."""

    received: list[int] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        RecordingHandler.received.append(0)

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.received[-1] += len(raw_data)
        return None

    def file_complete(self, file_size):
        return None


def test_the_handler_stops_passing_a_file_on_at_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT
    settings.FILE_UPLOAD_HANDLERS = [
        "magok.uploads.UploadSizeLimitHandler",
        "tests.programs.test_upload_limits.RecordingHandler",
    ]
    RecordingHandler.received = []
    big = io.BytesIO(os.urandom(10 * LIMIT))
    big.name = "big.pdf"
    small = io.BytesIO(PDF_BYTES)
    small.name = "small.pdf"
    request = RequestFactory().post("/", {"big": big, "after": "kept", "small": small})
    upload = request.FILES["big"]
    assert isinstance(upload, OversizedUpload) and upload.size > LIMIT
    assert "너무 큽니다" in upload.message
    # The storing handlers got at most the limit of the big file, and the fields after it arrive.
    assert RecordingHandler.received[0] <= LIMIT
    assert request.POST["after"] == "kept"
    assert RecordingHandler.received[1] == len(PDF_BYTES)


def test_an_oversized_document_is_refused_with_a_message_and_nothing_is_stored(
    client, settings, open_call, representative
):
    settings.UPLOAD_MAX_BYTES = LIMIT
    application = application_create(call=open_call, user=representative)
    document = open_call.documents.get()
    client.force_login(representative)
    big = io.BytesIO(PDF_BYTES + b"0" * (3 * LIMIT))
    big.name = "plan.pdf"
    response = client.post(application.get_absolute_url(), {"action": "save", f"doc_{document.pk}": big}, follow=True)
    assert "파일이 너무 큽니다" in response.content.decode()
    assert not ApplicationAttachment.objects.exists()
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not private.exists() or not any(path.is_file() for path in private.rglob("*"))


def test_an_oversized_logo_is_refused_as_too_large(client, settings):
    from companies.models import ProfileChangeRequest
    from tests.factories import RepresentativeFactory

    settings.UPLOAD_MAX_BYTES = LIMIT
    representative = RepresentativeFactory().user
    buffer = io.BytesIO()
    Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(buffer, format="PNG")
    assert LIMIT < buffer.tell() < 2 * 1024 * 1024  # a logo the logo rules alone would accept
    buffer.seek(0)
    buffer.name = "logo.png"
    client.force_login(representative)
    url = reverse("companies:profile_edit", args=[representative.company.slug])
    response = client.post(url, {"name_en": "X", "logo": buffer})
    assert response.status_code == 200
    assert "파일이 너무 큽니다" in " ".join(response.context["form"].errors["logo"])
    assert not ProfileChangeRequest.objects.exists()


def test_a_request_declaring_more_than_the_limit_answers_413_unread(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post("/accounts/login/", {"email": "a@example.kr", "password": "x" * 2000})
    assert response.status_code == 413
    assert "요청이 너무 큽니다" in response.content.decode()


def test_a_request_within_the_limit_passes(client, settings):
    settings.REQUEST_MAX_BYTES = 10_000
    response = client.post("/accounts/login/", {"email": "a@example.kr", "password": "x" * 2000})
    assert response.status_code != 413
