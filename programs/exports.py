"""A call's results as XLSX and its uploaded documents as one zip, for SBA staff.

The results sheet lists the applications in ranking order (``selectors.call_ranking``) with
the contact details and the answers; its cells go through ``magok.spreadsheets``, which keeps
text that starts like a formula as text.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from magok.dates import format_datetime
from magok.spreadsheets import xlsx_bytes

from .models import ApplicationAttachment, Call, CallQuestion
from .selectors import call_ranking


def call_result_rows(*, call: Call) -> Iterable[list[Any]]:
    """The header, then one row per ranked application (unranked ones last)."""
    _criteria, ranking = call_ranking(call=call)
    questions = [q for q in call.questions.all() if q.kind != CallQuestion.Kind.FILE]
    yield (
        [_("순위"), _("기업"), _("상태"), _("제출 일시"), _("담당자"), _("이메일"), _("전화번호")]
        + [q.label_ko for q in questions]
        + [_("제출된 심사 수"), _("가중 평균 (100점 환산)")]
    )
    for row in ranking:
        application = row.application
        yield (
            [
                row.rank,
                application.company.name_ko,
                application.get_status_display(),
                format_datetime(application.submitted_at),
                application.contact_name,
                application.contact_email,
                application.contact_phone,
            ]
            + [application.answers.get(str(q.pk), "") for q in questions]
            + [row.submitted_reviews, float(row.average) if row.average is not None else None]
        )


def call_results_xlsx(*, call: Call) -> bytes:
    return xlsx_bytes(call_result_rows(call=call), title="applications")


def call_attachments_zip(*, call: Call) -> IO[bytes]:
    """All documents of a call in one zip, one folder per company, in a temporary file (so that
    a large call does not sit in memory) positioned at its start. Files missing from storage
    are left out."""
    attachments = ApplicationAttachment.objects.filter(application__call=call).select_related("application__company")
    spool = tempfile.TemporaryFile()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        seen: set[str] = set()
        for attachment in attachments:
            name = _archive_name(attachment, seen)
            seen.add(name)
            try:
                with attachment.file.open("rb") as handle, archive.open(name, "w") as target:
                    shutil.copyfileobj(handle, target, 64 * 1024)
            except FileNotFoundError:
                continue
    spool.seek(0)
    return spool


def _archive_name(attachment: ApplicationAttachment, seen: set[str]) -> str:
    """``<company>/<original name>``, with the attachment's id added when the company uploaded
    two files of the same name."""
    company = attachment.application.company
    folder = f"{company.slug or slugify(company.name_en) or company.pk}"
    name = f"{folder}/{attachment.original_name}"
    if name in seen:
        stem, dot, ext = attachment.original_name.rpartition(".")
        name = f"{folder}/{stem}-{attachment.pk}{dot}{ext}"
    return name
