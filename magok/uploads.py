"""Limits on what a request may bring in, enforced while it arrives.

Two limits, both settings: ``REQUEST_MAX_BYTES`` for a whole request (refused with 413 from its
Content-Length before any of the body is read) and ``UPLOAD_MAX_BYTES`` for each uploaded file
(counted while the file streams in; past the limit nothing more of it is kept). Forms then see an
``OversizedUpload`` in place of the file and refuse it with a message, so a too-large file
never costs more than the limit in memory or on disk. The reverse proxy in front should refuse
larger bodies first (SECURITY.md, "Uploads and request size").
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def upload_too_large_message(limit: int) -> str:
    return _("파일이 너무 큽니다. %(limit)s 이하의 파일만 올릴 수 있습니다.") % {"limit": filesizeformat(limit)}


class OversizedUpload(UploadedFile):
    """Stands for a file that was larger than ``UPLOAD_MAX_BYTES``: none of its content was
    kept. Its ``size`` is over the limit, so size checks refuse it; ``message`` says why."""

    def __init__(self, *, name: str, content_type: str, limit: int) -> None:
        super().__init__(file=io.BytesIO(), name=name, content_type=content_type, size=limit + 1)
        self.limit = limit

    @property
    def message(self) -> str:
        return upload_too_large_message(self.limit)


class ImageField(forms.ImageField):
    """An image field that refuses an ``OversizedUpload`` as too large (the plain field would
    call it "not an image")."""

    def to_python(self, data: Any) -> Any:
        if isinstance(data, OversizedUpload):
            raise ValidationError(data.message, code="file_size")
        return super().to_python(data)


class UploadSizeLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: passes a file's bytes on to the handlers that keep them
    (memory, temporary file) until the file passes ``UPLOAD_MAX_BYTES``. From then on it holds
    back the rest, drops the part the others kept, and the file arrives as an
    ``OversizedUpload``."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit: int = settings.UPLOAD_MAX_BYTES
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            # Returning None keeps the chunk from the handlers after this one.
            self.oversized = True
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.oversized:
            return None  # the next handler returns the file
        # Close what the other handlers kept of this file (a temporary file is deleted on close).
        for handler in self.request.upload_handlers if self.request is not None else []:
            partial = getattr(handler, "file", None) if handler is not self else None
            if partial is not None and hasattr(partial, "close"):
                partial.close()
        return OversizedUpload(name=self.file_name or "file", content_type=self.content_type or "", limit=self.limit)


class RequestSizeLimitMiddleware:
    """Answers 413 to a request whose body is declared larger than ``REQUEST_MAX_BYTES``,
    without reading it. A body without Content-Length (chunked) is not read by Django at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            content = render_to_string("413.html", {"limit": settings.REQUEST_MAX_BYTES})
            return HttpResponse(content, status=413)
        return self.get_response(request)
