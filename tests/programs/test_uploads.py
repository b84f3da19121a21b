from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import ApplicationAttachment
from programs.services import ProgramError, application_attach, application_create
from programs.uploads import MAX_UPLOAD_BYTES, UploadRejected, upload_check, upload_name_clean

from .factories import PDF_BYTES

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HWP_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def _zip(entries: dict[str, bytes]) -> bytes:
    # A fixed timestamp: the bytes end up in the test ids, which every xdist worker must
    # collect identically.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2027, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
HWPX_BYTES = _zip({"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<hs/>"})


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("plan.pdf", PDF_BYTES, "application/pdf"),
        ("logo.png", PNG_BYTES, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        ("사업계획서.hwp", HWP_BYTES, "application/x-hwp"),
        ("사업계획서.hwpx", HWPX_BYTES, "application/hwp+zip"),
        ("plan.docx", DOCX_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budget.xlsx", XLSX_BYTES, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_types_by_content(name, content, mime):
    checked = upload_check(SimpleUploadedFile(name, content, "application/octet-stream"))
    assert checked.content_type == mime
    assert checked.size == len(content)


def test_oversized_file_is_refused():
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(UploadRejected, match="10 MB"):
        upload_check(big)


def test_file_at_the_limit_is_accepted():
    exact = SimpleUploadedFile("exact.pdf", PDF_BYTES + b"0" * (MAX_UPLOAD_BYTES - len(PDF_BYTES)))
    assert upload_check(exact).size == MAX_UPLOAD_BYTES


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"MZ\x90\x00 this is an exe"),  # wrong magic bytes behind a good name
        ("plan.pdf", b"<html><script>alert(1)</script></html>"),
        ("plan.docx", _zip({"evil.sh": b"rm -rf /"})),  # a zip that is not an office file
        ("plan.pdf", b""),
    ],
)
def test_wrong_magic_bytes_are_refused(name, content):
    with pytest.raises(UploadRejected):
        upload_check(SimpleUploadedFile(name, content, "application/pdf"))


def test_extension_must_match_the_content():
    with pytest.raises(UploadRejected):
        upload_check(SimpleUploadedFile("image.pdf", PNG_BYTES, "application/pdf"))
    with pytest.raises(UploadRejected):
        upload_check(SimpleUploadedFile("plan.exe", PDF_BYTES))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\plan.pdf", "plan.pdf"),
        ("/var/www/plan.pdf", "plan.pdf"),
        ("pl\x00an\r\n.pdf", "plan.pdf"),
        ("....pdf", "pdf"),
        ("사업계획서 (최종).pdf", "사업계획서 (최종).pdf"),
        ("", "file"),
    ],
)
def test_path_tricks_in_the_name_are_removed(raw, clean):
    assert upload_name_clean(raw) == clean


@pytest.mark.django_db
def test_stored_under_private_root_with_a_random_name(settings, open_call, representative):
    application = application_create(call=open_call, user=representative)
    attachment = application_attach(
        application=application,
        upload=SimpleUploadedFile("../../../secret/사업계획서.pdf", PDF_BYTES),
        by=representative,
        document=open_call.documents.get(),
    )
    path = Path(attachment.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "사업계획서" not in path.name and path.suffix == ".pdf"
    assert attachment.original_name == "사업계획서.pdf"
    assert path.read_bytes() == PDF_BYTES
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - private files have no URL


@pytest.mark.django_db
def test_new_upload_replaces_the_previous_file_for_the_same_document(open_call, representative):
    application = application_create(call=open_call, user=representative)
    document = open_call.documents.get()
    first = application_attach(
        application=application, upload=SimpleUploadedFile("a.pdf", PDF_BYTES), by=representative, document=document
    )
    application_attach(
        application=application, upload=SimpleUploadedFile("b.pdf", PDF_BYTES), by=representative, document=document
    )
    assert list(ApplicationAttachment.objects.values_list("original_name", flat=True)) == ["b.pdf"]
    assert not ApplicationAttachment.objects.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_rejected_upload_via_service_stores_nothing(open_call, representative):
    application = application_create(call=open_call, user=representative)
    with pytest.raises(ProgramError):
        application_attach(
            application=application,
            upload=SimpleUploadedFile("plan.pdf", b"GIF89a..."),
            by=representative,
            document=open_call.documents.get(),
        )
    assert not ApplicationAttachment.objects.exists()


@pytest.mark.django_db
def test_upload_through_the_page_shows_the_reason(client, open_call, representative):
    application = application_create(call=open_call, user=representative)
    document = open_call.documents.get()
    client.force_login(representative)
    response = client.post(
        application.get_absolute_url(),
        {"action": "save", f"doc_{document.pk}": SimpleUploadedFile("plan.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "허용되지 않는 파일 형식입니다" in response.content.decode()
    assert not ApplicationAttachment.objects.exists()
