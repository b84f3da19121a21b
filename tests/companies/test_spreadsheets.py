from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from companies.models import Company
from companies.spreadsheets import (
    COLUMNS,
    companies_export_csv,
    companies_export_xlsx,
    companies_import,
    companies_read,
)
from tests.factories import CompanyFactory, StaffFactory

from .factories import business_number

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return [
        (
            c.slug,
            c.name_ko,
            c.name_en,
            c.size_class,
            tuple(sorted(s.slug for s in c.sectors.all())),
            c.keywords,
            c.parcel_code,
            c.move_in_status,
            c.moved_in_on,
            c.homepage,
            c.employee_count,
            c.business_registration_number,
            c.is_public,
            c.description_ko,
            c.description_en,
        )
        for c in Company.objects.order_by("slug").prefetch_related("sectors")
    ]


@pytest.fixture
def companies(robotis, robotics, bio):
    robotis.business_registration_number = business_number(1)
    robotis.moved_in_on = date(2018, 3, 1)
    robotis.employee_count = 150
    robotis.homepage = "https://www.robotis.com"
    robotis.parcel_code = "C4-5"
    robotis.save()
    wells = CompanyFactory(
        slug="wellsbio",
        name_ko="웰스바이오",
        name_en="Wells Bio",
        keywords="체외진단, 바이오",
        move_in_status=Company.MoveInStatus.UNDER_CONSTRUCTION,
        is_public=False,
        description_ko="여러 줄\n소개",
    )
    wells.sectors.set([bio, robotics])
    return [robotis, wells]


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(**overrides) -> list:
    values = {
        "name_ko": "새기업",
        "name_en": "New Co",
        "slug": "new-co",
        "size_class": "startup",
        "sectors": "bio-pharma",
        "keywords": "바이오",
        "parcel_code": "A1",
        "move_in_status": "allotted",
        "moved_in_on": "",
        "homepage": "",
        "employee_count": 12,
        "business_registration_number": business_number(2),
        "is_public": 1,
        "description_ko": "",
        "description_en": "",
        **overrides,
    }
    return [values[column] for column in COLUMNS]


def test_xlsx_round_trip_restores_the_same_data(companies):
    before = snapshot()
    content = companies_export_xlsx()
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    Company.objects.all().delete()
    result = companies_import(rows=companies_read(filename="export.xlsx", content=content))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    assert snapshot() == before


def test_csv_round_trip_restores_the_same_data(companies):
    before = snapshot()
    content = companies_export_csv()
    assert content.startswith("\ufeff".encode())
    Company.objects.filter(slug="robotis").update(name_en="Changed", keywords="")
    result = companies_import(rows=companies_read(filename="export.csv", content=content))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 2)
    assert snapshot() == before


def test_import_with_one_bad_row_changes_nothing_and_reports_it(companies):
    before = snapshot()
    content = xlsx_bytes(
        [
            row(slug="good-one", business_registration_number=business_number(3)),
            row(slug="robotis", name_ko="로보티즈 수정", size_class="robotis-size"),
            row(slug="bad-brn", business_registration_number=business_number(4, valid=False)),
            row(slug="bad-sector", sectors="no-such-sector", business_registration_number=business_number(5)),
        ]
    )
    result = companies_import(rows=companies_read(filename="x.xlsx", content=content))
    assert not result.ok
    reported = {(e.row, e.column) for e in result.errors}
    assert reported == {(3, "size_class"), (4, "business_registration_number"), (5, "sectors")}
    assert snapshot() == before
    assert not Company.objects.filter(slug="good-one").exists()


def test_duplicate_slug_within_the_file_is_an_error(companies):
    content = xlsx_bytes([row(), row(name_ko="둘째")])
    result = companies_import(rows=companies_read(filename="x.xlsx", content=content))
    assert [(e.row, e.column) for e in result.errors] == [(3, "slug"), (3, "business_registration_number")]
    assert not Company.objects.filter(slug="new-co").exists()


def test_cp949_csv_from_korean_excel_is_read():
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(row(sectors=""))
    rows = companies_read(filename="list.csv", content=buffer.getvalue().encode("cp949"))
    assert rows[0]["name_ko"] == "새기업"


def test_admin_changelist_has_import_and_export_buttons(client, companies):
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:companies_company_changelist")).content.decode()
    assert reverse("admin:companies_company_import") in page
    assert reverse("admin:companies_company_export", args=["xlsx"]) in page


def test_admin_export_then_import_xlsx(client, companies):
    client.force_login(StaffFactory())
    before = snapshot()
    response = client.get(reverse("admin:companies_company_export", args=["xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    Company.objects.all().delete()
    upload = SimpleUploadedFile("companies.xlsx", response.content)
    response = client.post(reverse("admin:companies_company_import"), {"file": upload})
    assert response.status_code == 302
    assert snapshot() == before


def test_admin_import_reports_row_errors(client, companies):
    client.force_login(StaffFactory())
    upload = SimpleUploadedFile("bad.xlsx", xlsx_bytes([row(), row(slug="x y", name_ko="")]))
    response = client.post(reverse("admin:companies_company_import"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>3</td><td>주소용 이름 (slug)</td>" in page and "<td>3</td><td>기업명 (한국어) (name_ko)</td>" in page
    assert not Company.objects.filter(slug="new-co").exists()


def test_admin_import_refuses_other_file_types(client):
    client.force_login(StaffFactory())
    upload = SimpleUploadedFile("list.txt", b"hello")
    response = client.post(reverse("admin:companies_company_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_admin_import_needs_staff(client, representative):
    client.force_login(representative)
    response = client.get(reverse("admin:companies_company_import"))
    assert response.status_code == 302  # to the admin login


def test_demo_companies_round_trip_through_admin_xlsx(client):
    from companies.demo import load_demo

    load_demo()
    before = snapshot()
    client.force_login(StaffFactory())
    exported = client.get(reverse("admin:companies_company_export", args=["xlsx"])).content
    Company.objects.all().delete()
    response = client.post(
        reverse("admin:companies_company_import"), {"file": SimpleUploadedFile("demo.xlsx", exported)}, follow=True
    )
    assert "150" in response.content.decode()
    assert snapshot() == before


def test_formula_like_text_is_exported_as_text_and_imported_back_unchanged(companies):
    Company.objects.filter(slug="robotis").update(keywords="=1+1, 로봇", parcel_code="-D12")
    before = snapshot()
    sheet = load_workbook(io.BytesIO(companies_export_xlsx())).active
    keywords = sheet.cell(2 if sheet.cell(2, 3).value == "robotis" else 3, list(COLUMNS).index("keywords") + 1)
    assert keywords.data_type == "s" and keywords.value == "'=1+1, 로봇"
    for content, name in ((companies_export_xlsx(), "x.xlsx"), (companies_export_csv(), "x.csv")):
        result = companies_import(rows=companies_read(filename=name, content=content))
        assert result.ok, result.errors
        assert snapshot() == before
