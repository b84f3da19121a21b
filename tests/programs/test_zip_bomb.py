"""ZIP-based documents are judged without inflating them: declared sizes and compression
ratios are checked first, and at most a few bytes of one entry are read."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs import uploads
from programs.uploads import UploadRejected, upload_check

BOMB_BYTES = 64 * 1024 * 1024  # unpacked; about 64 KB packed


def _zip(entries: dict[str, bytes | int], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """An archive; an int entry is that many zero bytes, written in pieces so that the test
    itself never holds them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2027, 1, 1, 0, 0, 0))
            info.compress_type = compression
            if isinstance(content, int):
                with archive.open(info, "w") as entry:
                    piece = bytes(1024 * 1024)
                    for _ in range(content // len(piece)):
                        entry.write(piece)
            else:
                archive.writestr(info, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hwpx_bomb() -> bytes:
    return _zip({"mimetype": BOMB_BYTES, "Contents/section0.xml": b"<hs/>"})


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": BOMB_BYTES})


def _check_measuring_memory(name: str, content: bytes) -> tuple[Exception | None, int]:
    upload = SimpleUploadedFile(name, content)
    tracemalloc.start()
    try:
        upload_check(upload)
    except UploadRejected as exc:
        return exc, tracemalloc.get_traced_memory()[1]
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return None, peak


def test_a_zip_bomb_is_refused_without_inflating_it(hwpx_bomb):
    assert len(hwpx_bomb) < 1024 * 1024
    refused, peak = _check_measuring_memory("사업계획서.hwpx", hwpx_bomb)
    assert refused is not None and "압축 파일의 내용이 지나치게 큽니다" in str(refused)
    assert peak < 2 * 1024 * 1024


def test_a_bomb_inside_an_office_file_is_refused(docx_bomb):
    refused, _peak = _check_measuring_memory("plan.docx", docx_bomb)
    assert refused is not None and "압축" in str(refused)


def test_sniffing_reads_only_a_prefix_of_an_entry():
    # An incompressible 4 MB "mimetype" entry passes the ratio check; the sniffer must still
    # not read it whole.
    content = _zip({"mimetype": os.urandom(4 * 1024 * 1024)}, compression=zipfile.ZIP_STORED)
    refused, peak = _check_measuring_memory("plan.hwpx", content)
    assert refused is not None  # not an HWPX file
    assert peak < 1024 * 1024


def test_too_much_declared_content_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_TOTAL_BYTES", 10_000)
    content = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": os.urandom(6_000), "word/b.xml": os.urandom(6_000)}
    )
    with pytest.raises(UploadRejected, match="압축"):
        upload_check(SimpleUploadedFile("plan.docx", content))


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 3)
    content = _zip({"[Content_Types].xml": b"<Types/>", **{f"word/{n}.xml": b"<w/>" for n in range(4)}})
    with pytest.raises(UploadRejected, match="압축"):
        upload_check(SimpleUploadedFile("plan.docx", content))


def test_a_real_office_file_with_ordinary_compression_is_accepted():
    text = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(60_000))
    content = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": text})
    assert upload_check(SimpleUploadedFile("plan.docx", content)).content_type.endswith("document")
