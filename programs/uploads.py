"""Validation and private storage of application documents.

A file is accepted by what it is (its first bytes, and for ZIP-based formats the entries
inside), not by what it is called; the extension must still agree with the content so that a
downloaded file opens in the right program. Files are stored under PRIVATE_MEDIA_ROOT with a
random name and never get a public URL.
"""

from __future__ import annotations

import os
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from magok.errors import DomainError
from magok.uploads import OversizedUpload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"
COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5.0 (and old MS Office)

# Detected kind -> (MIME type, extensions that may carry it)
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "pdf": ("application/pdf", frozenset({"pdf"})),
    "png": ("image/png", frozenset({"png"})),
    "jpeg": ("image/jpeg", frozenset({"jpg", "jpeg"})),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({"docx"})),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({"xlsx"})),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", frozenset({"pptx"})),
    "hwpx": ("application/hwp+zip", frozenset({"hwpx"})),
    "hwp": ("application/x-hwp", frozenset({"hwp"})),
}
ALLOWED_EXTENSIONS = sorted(ext for _mime, exts in KINDS.values() for ext in exts)


class UploadRejected(DomainError):
    """The file cannot be accepted; ``message`` is for the user."""


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def upload_name_clean(name: str) -> str:
    """Only the last path component, without control characters, separators or '..'."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace("..", "").strip().strip(".").strip()
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 150 - len(ext) - 1]}.{ext}" if dot and len(ext) <= 10 else name[:150]
    return name or "file"


# ZIP-based documents (HWPX, DOCX, XLSX, PPTX) are judged by their central directory and a
# few bytes of one entry; nothing is inflated beyond SNIFF_READ_BYTES. Before that, every
# entry's declared size and compression ratio are checked, so that a small upload that unpacks
# to gigabytes (a "zip bomb") is refused and never reaches a program that opens it. Real office
# files compress text some 5-20 times; a ratio above ZIP_MAX_RATIO is refused for entries over
# ZIP_RATIO_GRACE_BYTES (a small run of spaces may compress better than that).
SNIFF_READ_BYTES = 64
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_GRACE_BYTES = 1024 * 1024
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"


def _zip_refused() -> UploadRejected:
    return UploadRejected(
        _(
            "압축 파일의 내용이 지나치게 큽니다. 압축을 풀면 %(limit)d MB를 넘거나 압축률이 비정상적으로 "
            "높은 파일은 올릴 수 없습니다."
        )
        % {"limit": ZIP_MAX_TOTAL_BYTES // 2**20},
        "upload_archive_too_large",
    )


def _zip_declared_entries(stream: IO[bytes]) -> int | None:
    """The entry count in the end-of-central-directory record, read before ``zipfile`` parses
    the whole directory; None when there is no such record (or a ZIP64 one)."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    tail_length = min(size, 22 + 0xFFFF)  # the record and the longest comment
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    position = tail.rfind(_END_OF_CENTRAL_DIRECTORY)
    if position < 0 or len(tail) < position + 22:
        return None
    entries = int.from_bytes(tail[position + 10 : position + 12], "little")
    return None if entries == 0xFFFF else entries


def _zip_check_sizes(archive: zipfile.ZipFile) -> None:
    """Raises UploadRejected when the entries declare too much content or an unusual ratio."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _zip_refused()
    total = 0
    for info in infos:
        total += info.file_size
        if total > ZIP_MAX_TOTAL_BYTES:
            raise _zip_refused()
        if info.file_size > ZIP_RATIO_GRACE_BYTES and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise _zip_refused()


def _zip_entry_head(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most SNIFF_READ_BYTES of an entry, inflating no more than that."""
    with archive.open(name) as entry:
        return entry.read(SNIFF_READ_BYTES)


def _zip_kind(stream: IO[bytes]) -> str | None:
    """Raises UploadRejected for an archive that would unpack to too much (see above)."""
    declared = _zip_declared_entries(stream)
    if declared is not None and declared > ZIP_MAX_ENTRIES:
        raise _zip_refused()
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            _zip_check_sizes(archive)
            names = set(archive.namelist())
            if "mimetype" in names and _zip_entry_head(archive, "mimetype").strip() == b"application/hwp+zip":
                return "hwpx"
            if "[Content_Types].xml" not in names:
                return None
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        return None
    return None


def sniff_kind(stream: IO[bytes]) -> str | None:
    """The kind of file by its content, or None when it is not one we accept. Raises
    UploadRejected for a ZIP-based file that would unpack to too much."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(PDF):
        return "pdf"
    if head.startswith(PNG):
        return "png"
    if head.startswith(JPEG):
        return "jpeg"
    if head.startswith(COMPOUND_FILE):
        return "hwp"
    if head.startswith(ZIP):
        try:
            return _zip_kind(stream)
        finally:
            stream.seek(0)
    return None


def upload_check(upload: Any) -> CheckedUpload:
    """Check size, content and name of an uploaded file. Raises UploadRejected."""
    if isinstance(upload, OversizedUpload):
        # Refused while it streamed in (magok.uploads): none of its content was kept.
        raise UploadRejected(upload.message, "upload_too_large")
    size = upload.size
    if size is None or size > MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("파일이 너무 큽니다. %(limit)d MB 이하의 파일만 올릴 수 있습니다.")
            % {"limit": MAX_UPLOAD_BYTES // 2**20},
            "upload_too_large",
        )
    if size == 0:
        raise UploadRejected(_("빈 파일은 올릴 수 없습니다."), "upload_empty")
    name = upload_name_clean(upload.name)
    kind = sniff_kind(upload.file if hasattr(upload, "file") else upload)
    allowed = ", ".join(ALLOWED_EXTENSIONS)
    if kind is None:
        raise UploadRejected(
            _("허용되지 않는 파일 형식입니다. 올릴 수 있는 형식: %(allowed)s") % {"allowed": allowed}, "upload_type"
        )
    mime, extensions = KINDS[kind]
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in extensions:
        raise UploadRejected(
            _("파일 이름의 확장자(%(ext)s)가 파일 내용(%(kind)s)과 맞지 않습니다.")
            % {"ext": extension or "-", "kind": kind.upper()},
            "upload_content",
        )
    return CheckedUpload(name=name, content_type=mime, size=size)


def attachment_upload_to(instance: Any, filename: str) -> str:
    """A random name in a folder per call; the original name is kept on the row only."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    call_id = instance.application.call_id if instance.application_id else 0
    return f"applications/{call_id}/{uuid.uuid4().hex}.{extension}"


@deconstructible(path="programs.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT (read on use, so tests can
    move it) and without a URL."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a permission-checking view.")


private_storage = PrivateStorage()
