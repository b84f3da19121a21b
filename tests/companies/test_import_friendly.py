"""The company import reads what staff type: the admin's Korean labels as well as codes, the
common date forms, and says what went wrong where and what would be accepted; a long file runs
in a worker with a progress page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from companies.models import Company, CompanyImport
from companies.spreadsheets import (
    COLUMNS,
    companies_import,
    companies_read,
    company_import_run,
    company_import_start,
)
from tests.factories import StaffFactory, staff_with_permissions

from .test_spreadsheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db


def records(*rows: list, header: list | None = None) -> list[dict]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(COLUMNS))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return companies_read(filename="list.xlsx", content=buffer.getvalue())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("중소기업", "sme"),
        ("대기업", "large"),
        ("스타트업", "startup"),
        ("sme", "sme"),
        ("SME", "sme"),
        ("Startup", "startup"),
    ],
)
def test_size_class_accepts_the_korean_label_and_the_code(bio, cell, expected):
    result = companies_import(rows=records(row(size_class=cell)))
    assert result.ok, result.errors
    assert Company.objects.get(slug="new-co").size_class == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("입주 완료", "moved_in"),
        ("입주완료", "moved_in"),
        ("건축 중", "under_construction"),
        ("분양 완료", "allotted"),
        ("moved_in", "moved_in"),
    ],
)
def test_move_in_status_accepts_the_korean_label_and_the_code(bio, cell, expected):
    result = companies_import(rows=records(row(move_in_status=cell)))
    assert result.ok, result.errors
    assert Company.objects.get(slug="new-co").move_in_status == expected


@pytest.mark.parametrize("cell", ["2026.11.01", "2026-11-01", "2026/11/01", "20261101", "2026. 11. 1.", 20261101])
def test_each_date_form_is_read(bio, cell):
    result = companies_import(rows=records(row(moved_in_on=cell, move_in_status="입주 완료")))
    assert result.ok, result.errors
    assert Company.objects.get(slug="new-co").moved_in_on == date(2026, 11, 1)


def test_an_excel_date_cell_is_read(bio):
    result = companies_import(rows=records(row(moved_in_on=date(2026, 11, 1))))
    assert result.ok, result.errors
    assert Company.objects.get(slug="new-co").moved_in_on == date(2026, 11, 1)


@pytest.mark.parametrize("cell", ["2026.13.01", "01.11.2026", "2026년 11월", "2026-02-30"])
def test_an_unreadable_date_names_row_column_and_the_accepted_forms(bio, cell):
    result = companies_import(
        rows=records(row(), row(slug="second", business_registration_number="", moved_in_on=cell))
    )
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (3, "moved_in_on")
    assert "2026.11.01" in error.message and "20261101" in error.message
    assert error.column_label == "입주일 (moved_in_on)"
    assert not Company.objects.exists()


def test_an_unknown_label_lists_the_accepted_values(bio):
    result = companies_import(rows=records(row(size_class="영세기업")))
    [error] = result.errors
    assert (error.row, error.column) == (2, "size_class")
    assert "영세기업" in error.message
    for accepted in ("대기업 (large)", "중견기업 (midsized)", "중소기업 (sme)", "스타트업 (startup)"):
        assert accepted in error.message


def test_public_flag_and_sectors_accept_korean(bio):
    result = companies_import(rows=records(row(is_public="비공개", sectors=bio.name_ko)))
    assert result.ok, result.errors
    company = Company.objects.get(slug="new-co")
    assert not company.is_public and list(company.sectors.all()) == [bio]


def test_unknown_sector_lists_the_accepted_sectors(bio):
    [error] = companies_import(rows=records(row(sectors="우주"))).errors
    assert error.column == "sectors" and bio.slug in error.message and bio.name_ko in error.message


def test_headers_may_be_the_admin_labels(bio):
    header = [
        "기업명 (한국어)",
        "기업명 (영어)",
        "주소용 이름",
        "기업 규모",
        "업종",
        "기술 키워드",
        "필지 번호",
        "입주 현황",
        "입주일",
        "홈페이지",
        "임직원 수",
        "사업자등록번호",
        "공개",
        "소개 (한국어)",
        "소개 (영어)",
    ]
    result = companies_import(rows=records(row(size_class="중소기업", moved_in_on="2026.11.01"), header=header))
    assert result.ok, result.errors
    assert Company.objects.get(slug="new-co").size_class == "sme"


def test_template_download_lists_the_valid_values(client, bio):
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:companies_company_import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, values = workbook.worksheets
    assert [cell.value for cell in data[1]] == list(COLUMNS)
    assert data.max_row == 1  # no example row that an upload would import by mistake
    accepted = {row[0]: row[2] for row in values.iter_rows(min_row=2, values_only=True)}
    assert "중소기업 (sme)" in accepted["size_class"] and "입주 완료 (moved_in)" in accepted["move_in_status"]
    assert "2026.11.01" in accepted["moved_in_on"] and bio.slug in accepted["sectors"]
    assert any("중소기업" in v.formula1 for v in data.data_validations.dataValidation)


def test_template_and_progress_need_import_permissions(client):
    client.force_login(staff_with_permissions("companies", "view_company"))
    assert client.get(reverse("admin:companies_company_import_template")).status_code == 403
    job = CompanyImport.objects.create(file_name="x.xlsx", total=1)
    assert client.get(reverse("admin:companies_company_import_progress", args=[job.pk])).status_code == 403


def test_a_long_file_runs_in_a_worker_and_shows_progress(
    client, bio, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import companies.admin
    from companies.tasks import run_company_import

    # The task itself runs here, in this process (the real worker: tests/celery/test_company_import_worker.py).
    monkeypatch.setattr(run_company_import, "delay", lambda pk: run_company_import.apply(args=[pk]))
    monkeypatch.setattr(companies.admin, "IMPORT_INLINE_MAX_ROWS", 2)
    client.force_login(StaffFactory())
    rows = [
        row(slug=f"co-{n}", business_registration_number="", size_class="중소기업", moved_in_on="2026.11.01")
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:companies_company_import"), {"file": SimpleUploadedFile("big.xlsx", xlsx_bytes(rows))}
        )
    job = CompanyImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:companies_company_import_progress", args=[job.pk]
    )
    assert (job.status, job.processed, job.total, job.created) == ("done", 3, 3, 3)
    assert job.rows == []
    page = client.get(response["Location"]).content.decode()
    assert "3개 추가" in page and 'http-equiv="refresh"' not in page
    assert Company.objects.filter(slug__startswith="co-").count() == 3


def test_a_running_import_page_shows_how_far_it_got_and_reloads(client):
    job = CompanyImport.objects.create(
        file_name="big.xlsx", total=200, processed=50, status=CompanyImport.Status.RUNNING
    )
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:companies_company_import_progress", args=[job.pk])).content.decode()
    assert "200행 중 50행 확인 (25%)" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_a_failed_worker_import_changes_nothing_and_lists_errors(client, bio, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    rows = records(
        row(slug="ok", business_registration_number=""),
        row(slug="bad", business_registration_number="", size_class="?"),
    )
    job = company_import_start(rows=rows, file_name="x.xlsx", by=staff)
    assert company_import_run(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["row"] == 3 and not Company.objects.exists()
    client.force_login(staff)
    page = client.get(reverse("admin:companies_company_import_progress", args=[job.pk])).content.decode()
    assert "기업 규모 (size_class)" in page


def test_running_an_import_twice_imports_once(bio):
    job = company_import_start(rows=records(row()), file_name="x.xlsx", by=StaffFactory())
    assert company_import_run(import_id=job.pk) is True
    assert company_import_run(import_id=job.pk) is False
    assert Company.objects.count() == 1


def test_progress_is_recorded_while_rows_are_checked(bio, monkeypatch):
    import companies.spreadsheets as spreadsheets

    monkeypatch.setattr(spreadsheets, "PROGRESS_EVERY", 1)
    seen = []
    rows = records(*[row(slug=f"co-{n}", business_registration_number="") for n in range(3)])
    job = company_import_start(rows=rows, file_name="x.xlsx", by=None)
    original = spreadsheets.companies_import

    def spy(*, rows, progress):
        def recording(n):
            progress(n)
            seen.append(CompanyImport.objects.get(pk=job.pk).processed)

        return original(rows=rows, progress=recording)

    monkeypatch.setattr(spreadsheets, "companies_import", spy)
    company_import_run(import_id=job.pk)
    assert seen == [1, 2, 3]


def test_rows_with_any_excel_cell_type_can_wait_for_the_worker(bio):
    from datetime import datetime, time

    rows = records(row(moved_in_on=datetime(2026, 11, 1, 0, 0), description_ko=time(9, 30)))
    job = company_import_start(rows=rows, file_name="x.xlsx", by=None)
    job.refresh_from_db()
    assert job.rows[0]["moved_in_on"].startswith("2026-11-01")
