"""Companies to and from spreadsheets (CSV and XLSX), for SBA staff who keep lists in Excel.

Both formats have the same columns (``COLUMNS``). An import validates every row first and
changes nothing when any row is invalid; otherwise it creates or updates companies by slug in
one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from magok.errors import DomainError
from magok.inputs import validate_uri
from magok.spreadsheets import CSV_CONTENT_TYPE as CSV_CONTENT_TYPE
from magok.spreadsheets import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from magok.spreadsheets import csv_bytes, formula_safe, formula_unescape, xlsx_bytes

from .models import Company, Sector

COLUMNS = (
    "name_ko",
    "name_en",
    "slug",
    "size_class",
    "sectors",
    "keywords",
    "parcel_code",
    "move_in_status",
    "moved_in_on",
    "homepage",
    "employee_count",
    "business_registration_number",
    "is_public",
    "description_ko",
    "description_en",
)
SECTOR_SEPARATOR = ";"
_TRUE = {"1", "true", "yes", "y", "o", "예", "공개", "t"}
_FALSE = {"0", "false", "no", "n", "x", "아니오", "비공개", "f", ""}


class SpreadsheetError(DomainError):
    """The file cannot be read as a company list at all (not a row-level error)."""


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number, the header being row 1
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def company_rows(companies: Iterable[Company]) -> Iterable[list[Any]]:
    for company in companies:
        yield [formula_safe(value) for value in _company_cells(company)]


def _company_cells(company: Company) -> list[Any]:
    return [
        company.name_ko,
        company.name_en,
        company.slug,
        company.size_class,
        SECTOR_SEPARATOR.join(sorted(sector.slug for sector in company.sectors.all())),
        company.keywords,
        company.parcel_code,
        company.move_in_status,
        company.moved_in_on.isoformat() if company.moved_in_on else "",
        company.homepage,
        "" if company.employee_count is None else company.employee_count,
        company.business_registration_number,
        1 if company.is_public else 0,
        company.description_ko,
        company.description_en,
    ]


def _export_queryset(companies: Iterable[Company] | None) -> Iterable[Company]:
    if companies is None:
        return Company.objects.order_by("name_ko", "pk").prefetch_related("sectors")
    return companies


def companies_export_csv(*, companies: Iterable[Company] | None = None) -> bytes:
    return csv_bytes([COLUMNS, *company_rows(_export_queryset(companies))])


def companies_export_xlsx(*, companies: Iterable[Company] | None = None) -> bytes:
    return xlsx_bytes([COLUMNS, *company_rows(_export_queryset(companies))], title="companies", freeze_header=True)


def _read_csv(content: bytes) -> list[dict[str, Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp949")  # Excel's default "CSV" on Korean Windows
        except UnicodeDecodeError:
            raise SpreadsheetError(
                _("파일 인코딩을 읽을 수 없습니다. UTF-8 CSV로 저장해 주세요."), "spreadsheet_encoding"
            ) from None
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    return _rows_to_dicts(rows)


def _read_xlsx(content: bytes) -> list[dict[str, Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise SpreadsheetError(_("XLSX 파일을 열 수 없습니다."), "spreadsheet_unreadable") from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _rows_to_dicts(rows)


def _rows_to_dicts(rows: list[list[Any]]) -> list[dict[str, Any]]:
    if not rows:
        raise SpreadsheetError(_("빈 파일입니다."), "spreadsheet_empty")
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise SpreadsheetError(
            _("필수 열이 없습니다: %(columns)s") % {"columns": ", ".join(missing)}, "spreadsheet_columns"
        )
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        record: dict[str, Any] = {"_row": number}
        for index, column in enumerate(header):
            if column in COLUMNS:
                record[column] = row[index] if index < len(row) else None
        records.append(record)
    return records


def companies_read(*, filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of the uploaded file as dicts keyed by column (plus ``_row``, the row number)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        return _read_csv(content)
    raise SpreadsheetError(_("CSV 또는 XLSX 파일만 가져올 수 있습니다."), "spreadsheet_format")


class CompanyImportForm(forms.ModelForm):
    """Validates one spreadsheet row with the model's own rules (validators, choices, uniqueness)."""

    homepage = forms.URLField(required=False, assume_scheme="https", validators=[validate_uri])

    class Meta:
        model = Company
        fields = [c for c in COLUMNS if c != "sectors"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return formula_unescape(str(value).strip())


def _cell_to_form_value(column: str, value: Any) -> Any:
    if column == "moved_in_on":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
    if column == "is_public":
        text = _text(value).lower()
        if text in _TRUE or value is True:
            return "on"
        if text in _FALSE or value is False:
            return ""
        raise forms.ValidationError(_("공개 여부는 1 또는 0으로 적어 주세요."))
    return _text(value)


def _row_errors(number: int, errors: Mapping[str, Iterable[Any]]) -> list[RowError]:
    return [
        RowError(row=number, column=column if column != "__all__" else "", message=str(message))
        for column, messages in errors.items()
        for message in messages
    ]


def companies_import(*, rows: list[dict[str, Any]]) -> ImportResult:
    """Validate every row; when all are valid, create or update the companies by slug in one
    transaction. With any invalid row nothing is written and the result lists the errors."""
    result = ImportResult()
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    existing = {
        company.slug: company for company in Company.objects.filter(slug__in=[_text(r.get("slug")) for r in rows])
    }
    seen_slugs: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    valid: list[tuple[CompanyImportForm, list[Sector]]] = []
    for record in rows:
        number = record["_row"]
        data: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column in COLUMNS:
            if column == "sectors":
                continue
            try:
                data[column] = _cell_to_form_value(column, record.get(column))
            except forms.ValidationError as exc:
                row_errors.append(RowError(row=number, column=column, message=" ".join(exc.messages)))
        slug = data.get("slug", "")
        if slug in seen_slugs:
            row_errors.append(
                RowError(
                    row=number, column="slug", message=_("%(row)s행과 slug가 같습니다.") % {"row": seen_slugs[slug]}
                )
            )
        elif slug:
            seen_slugs[slug] = number
        brn = data.get("business_registration_number", "")
        if brn and brn in seen_numbers:
            row_errors.append(
                RowError(
                    row=number,
                    column="business_registration_number",
                    message=_("%(row)s행과 사업자등록번호가 같습니다.") % {"row": seen_numbers[brn]},
                )
            )
        elif brn:
            seen_numbers[brn] = number
        sector_slugs = [s.strip() for s in _text(record.get("sectors")).split(SECTOR_SEPARATOR) if s.strip()]
        unknown = [s for s in sector_slugs if s not in sectors]
        if unknown:
            row_errors.append(
                RowError(
                    row=number,
                    column="sectors",
                    message=_("없는 업종입니다: %(slugs)s") % {"slugs": ", ".join(unknown)},
                )
            )
        form = CompanyImportForm(data=data, instance=existing.get(slug))
        if not form.is_valid():
            row_errors.extend(_row_errors(number, form.errors))
        if row_errors:
            result.errors.extend(row_errors)
        else:
            valid.append((form, [sectors[s] for s in sector_slugs]))
    if result.errors:
        return result
    with transaction.atomic():
        for form, row_sectors in valid:
            created = form.instance.pk is None
            company = form.save()
            company.sectors.set(row_sectors)
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result
