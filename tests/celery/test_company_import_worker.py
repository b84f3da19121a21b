"""A long company import through a real Celery worker: the admin hands the rows to the worker,
the progress page follows it to the end, and the companies are there once."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from companies.models import Company, CompanyImport
from companies.spreadsheets import COLUMNS, company_import_run
from tests.factories import StaffFactory

from .processes import Worker, wait_for
from .test_worker import redis_server, smtp_sink, worker  # noqa: F401 - fixtures

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("celery-worker")]


def _file(count: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for n in range(count):
        values = {
            "name_ko": f"가져온기업{n}",
            "slug": f"imported-{n}",
            "size_class": "중소기업",
            "move_in_status": "입주 완료",
            "moved_in_on": "2026.11.01",
            "is_public": "공개",
        }
        sheet.append([values.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_long_import_runs_in_the_worker_and_its_progress_page_follows_it(
    worker: Worker,  # noqa: F811 - the fixture imported above
    client,
    monkeypatch,
):
    import companies.admin

    monkeypatch.setattr(companies.admin, "IMPORT_INLINE_MAX_ROWS", 10)
    client.force_login(StaffFactory())
    worker.start()

    response = client.post(
        reverse("admin:companies_company_import"), {"file": SimpleUploadedFile("big.xlsx", _file(120))}
    )

    job = CompanyImport.objects.get()
    assert response["Location"] == reverse("admin:companies_company_import_progress", args=[job.pk])
    wait_for(lambda: CompanyImport.objects.get(pk=job.pk).is_finished, timeout=60, what="the import to finish")
    job.refresh_from_db()
    assert (job.status, job.processed, job.total, job.created) == ("done", 120, 120, 120)
    assert (
        Company.objects.filter(slug__startswith="imported-", size_class="sme", move_in_status="moved_in").count() == 120
    )
    assert "120개 추가" in client.get(response["Location"]).content.decode()
    # The message delivered again (a worker that died after the run) finds the run done.
    assert company_import_run(import_id=job.pk) is False
