"""Companies to and from spreadsheets (CSV and XLSX), for SBA staff who keep lists in Excel.

Both formats have the same columns (``COLUMNS``). An import validates every row first and
changes nothing when any row is invalid; otherwise it creates or updates companies by slug in
one transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from magok.errors import DomainError
from magok.inputs import validate_uri
from magok.spreadsheets import CSV_CONTENT_TYPE as CSV_CONTENT_TYPE
from magok.spreadsheets import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from magok.spreadsheets import csv_bytes, formula_safe, formula_unescape, xlsx_bytes

from .models import Company, CompanyImport, Sector

logger = logging.getLogger(__name__)

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
# Files with more rows than this are imported by a worker, with a progress page.
IMPORT_INLINE_MAX_ROWS = 300
PROGRESS_EVERY = 50
# A run that started this long ago and is still "running" belonged to a worker that died; its
# writes were one transaction, so nothing of it was kept and it may run again.
IMPORT_STALE_AFTER = timedelta(minutes=15)
CHOICE_COLUMNS = {"size_class": Company.SizeClass, "move_in_status": Company.MoveInStatus}
# The date forms staff type in Excel: 2026.11.01, 2026-11-01, 2026/11/01, 20261101, and the
# Korean "2026. 11. 1." (spaces and a final dot are ignored).
DATE_FORMS = ("2026.11.01", "2026-11-01", "2026/11/01", "20261101")
_DATE_PATTERN = re.compile(r"^(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})\.?$|^(\d{4})(\d{2})(\d{2})$")


class SpreadsheetError(DomainError):
    """The file cannot be read as a company list at all (not a row-level error)."""


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number, the header being row 1
    column: str
    message: str

    @property
    def column_label(self) -> str:
        """The column as the admin names it, with its code: 기업 규모 (size_class)."""
        return f"{column_label(self.column)} ({self.column})" if self.column in COLUMNS else self.column


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
        return Company.objects.order_by("sort_name", "pk").prefetch_related("sectors")
    return companies


def companies_export_csv(*, companies: Iterable[Company] | None = None) -> bytes:
    return csv_bytes([COLUMNS, *company_rows(_export_queryset(companies))])


def companies_export_xlsx(*, companies: Iterable[Company] | None = None) -> bytes:
    return xlsx_bytes([COLUMNS, *company_rows(_export_queryset(companies))], title="companies", freeze_header=True)


EXAMPLES = {
    "name_ko": "마곡바이오",
    "name_en": "Magok Bio",
    "slug": "magok-bio",
    "keywords": "바이오, 진단",
    "parcel_code": "D12-3",
    "homepage": "https://example.com",
    "employee_count": 42,
    "business_registration_number": "",
    "description_ko": "",
    "description_en": "",
}


def _accepted_values(column: str, sectors: list[Sector]) -> str:
    if column in CHOICE_COLUMNS:
        return accepted_choices(CHOICE_COLUMNS[column])
    if column == "sectors":
        names = ", ".join(f"{sector.name_ko} ({sector.slug})" for sector in sectors)
        return _("업종 이름 또는 코드를 세미콜론(;)으로 구분: %(names)s") % {"names": names}
    if column == "moved_in_on":
        return _("날짜: %(forms)s") % {"forms": ", ".join(DATE_FORMS)}
    if column == "is_public":
        return _("1 / 0, 공개 / 비공개, 예 / 아니오")
    if column == "slug":
        return _("영문 소문자, 숫자, 하이픈(-). 같은 slug의 기업은 수정됩니다.")
    return ""


def companies_import_template_xlsx() -> bytes:
    """An empty import file (the columns only), and a second sheet listing each column's label,
    the values it accepts and an example. The choice columns offer their Korean labels in a
    drop-down (Excel data validation)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    sectors = list(Sector.objects.order_by("order", "name_ko"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "companies"
    sheet.append(list(COLUMNS))
    example: dict[str, Any] = {
        **EXAMPLES,
        "size_class": str(Company.SizeClass.SME.label),
        "move_in_status": str(Company.MoveInStatus.MOVED_IN.label),
        "moved_in_on": "2026.11.01",
        "is_public": "공개" if translation.get_language() == "ko" else "1",
        "sectors": SECTOR_SEPARATOR.join(sector.name_ko for sector in sectors[:1]),
    }
    sheet.freeze_panes = "A2"
    values = workbook.create_sheet(_("허용 값"))
    values.append([_("열"), _("이름"), _("허용 값"), _("예시")])
    for column in COLUMNS:
        values.append(
            [
                column,
                column_label(column),
                formula_safe(_accepted_values(column, sectors)),
                formula_safe(example.get(column, "")),
            ]
        )
    for column, enum in CHOICE_COLUMNS.items():
        letter = chr(ord("A") + COLUMNS.index(column))
        labels = ",".join(str(label) for _value, label in enum.choices)
        validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
        validation.error = _accepted_values(column, sectors)
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}5000")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def _compact(text: str) -> str:
    """Compared without case or spaces: "입주 완료", "입주완료" and " 입주  완료 " are one label."""
    return "".join(text.split()).casefold()


def column_label(column: str) -> str:
    """The column's name as the admin shows it (the model field's label, in the active language)."""
    field = Company._meta.get_field(column)
    return str(getattr(field, "verbose_name", column))


def _header_aliases() -> dict[str, str]:
    """Header text → column: the code (``size_class``) or the label in Korean or English (기업 규모)."""
    aliases = {_compact(column): column for column in COLUMNS}
    for language in ("ko", "en"):
        with translation.override(language):
            aliases.update({_compact(column_label(column)): column for column in COLUMNS})
    return aliases


def choice_aliases(choices: Any) -> dict[str, str]:
    """Cell text → choice value: the code (``moved_in``) or the label in Korean or English."""
    aliases = {_compact(value): value for value in choices.values}
    for language in ("ko", "en"):
        with translation.override(language):
            aliases.update({_compact(str(label)): value for value, label in choices.choices})
    return aliases


def accepted_choices(choices: Any) -> str:
    """The values a choice column accepts, as an error message lists them: 대기업 (large), ..."""
    return ", ".join(f"{label} ({value})" for value, label in choices.choices)


def parse_date_cell(value: Any) -> date | None:
    """A date cell in any of ``DATE_FORMS`` (or an Excel date); None when empty. Raises
    ``forms.ValidationError`` naming the accepted forms."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "".join(_text(value).split())
    if not text:
        return None
    match = _DATE_PATTERN.match(text)
    if match:
        year, month, day = (int(part) for part in (match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)))
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise forms.ValidationError(
        _("날짜를 읽을 수 없습니다: %(value)s. 허용 형식: %(forms)s")
        % {"value": _text(value), "forms": ", ".join(DATE_FORMS)}
    )


def _rows_to_dicts(rows: list[list[Any]]) -> list[dict[str, Any]]:
    if not rows:
        raise SpreadsheetError(_("빈 파일입니다."), "spreadsheet_empty")
    aliases = _header_aliases()
    header = [aliases.get(_compact(str(cell)), str(cell).strip()) if cell is not None else "" for cell in rows[0]]
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


def _cell_to_form_value(column: str, value: Any, choices: dict[str, dict[str, str]]) -> Any:
    if column == "moved_in_on":
        parsed = parse_date_cell(value)
        return parsed.isoformat() if parsed else ""
    if column in CHOICE_COLUMNS:
        text = _text(value)
        if not text:
            return ""
        try:
            return choices[column][_compact(text)]
        except KeyError:
            raise forms.ValidationError(
                _("알 수 없는 값입니다: %(value)s. 허용 값: %(accepted)s")
                % {"value": text, "accepted": accepted_choices(CHOICE_COLUMNS[column])}
            ) from None
    if column == "is_public":
        text = _text(value).lower()
        if text in _TRUE or value is True:
            return "on"
        if text in _FALSE or value is False:
            return ""
        raise forms.ValidationError(
            _("알 수 없는 값입니다: %(value)s. 허용 값: 1, 0, 공개, 비공개, 예, 아니오") % {"value": _text(value)}
        )
    return _text(value)


def _row_errors(number: int, errors: Mapping[str, Iterable[Any]]) -> list[RowError]:
    return [
        RowError(row=number, column=column if column != "__all__" else "", message=str(message))
        for column, messages in errors.items()
        for message in messages
    ]


def companies_import(*, rows: list[dict[str, Any]], progress: Callable[[int], None] | None = None) -> ImportResult:
    """Validate every row; when all are valid, create or update the companies by slug in one
    transaction. With any invalid row nothing is written and the result lists the errors.
    ``progress(n)`` is told every ``PROGRESS_EVERY`` rows how many have been checked."""
    result = ImportResult()
    sector_list = list(Sector.objects.all())
    sectors = {sector.slug: sector for sector in sector_list}
    # A sector may also be named by its Korean or English name, as the admin shows it.
    sector_names = {
        _compact(name): sector for sector in sector_list for name in (sector.slug, sector.name_ko, sector.name_en)
    }
    choices = {column: choice_aliases(enum) for column, enum in CHOICE_COLUMNS.items()}
    existing = {
        company.slug: company for company in Company.objects.filter(slug__in=[_text(r.get("slug")) for r in rows])
    }
    seen_slugs: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    valid: list[tuple[CompanyImportForm, list[Sector]]] = []
    for checked, record in enumerate(rows, start=1):
        if progress and checked % PROGRESS_EVERY == 0:
            progress(checked)
        number = record["_row"]
        data: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column in COLUMNS:
            if column == "sectors":
                continue
            try:
                data[column] = _cell_to_form_value(column, record.get(column), choices)
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
        sector_cells = [s.strip() for s in _text(record.get("sectors")).split(SECTOR_SEPARATOR) if s.strip()]
        unknown = [s for s in sector_cells if _compact(s) not in sector_names]
        sector_slugs = [sector_names[_compact(s)].slug for s in sector_cells if _compact(s) in sector_names]
        if unknown:
            row_errors.append(
                RowError(
                    row=number,
                    column="sectors",
                    message=_("없는 업종입니다: %(slugs)s. 허용 값: %(accepted)s")
                    % {
                        "slugs": ", ".join(unknown),
                        "accepted": ", ".join(f"{sector.name_ko} ({sector.slug})" for sector in sector_list),
                    },
                )
            )
        form = CompanyImportForm(data=data, instance=existing.get(slug))
        if not form.is_valid():
            reported = {error.column for error in row_errors}
            for error in _row_errors(number, form.errors):
                if error.column in reported:
                    continue  # already explained, with the accepted values, above
                if error.column in CHOICE_COLUMNS:
                    error = RowError(
                        row=error.row,
                        column=error.column,
                        message=_("%(message)s 허용 값: %(accepted)s")
                        % {"message": error.message, "accepted": accepted_choices(CHOICE_COLUMNS[error.column])},
                    )
                row_errors.append(error)
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


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as JSON can keep them: dates from Excel cells as ISO text (the import reads both)."""

    def cell(value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return str(value)  # a time or another Excel type: the import reads text

    return [{key: cell(value) for key, value in row.items()} for row in rows]


def company_import_start(*, rows: list[dict[str, Any]], file_name: str, by: Any) -> CompanyImport:
    """Keep the parsed rows and ask a worker to import them (``company_import_run``). When the
    broker cannot be reached, the import runs here and now instead: slower, but nothing waits
    for a worker that was never told."""
    job = CompanyImport.objects.create(file_name=file_name[:200], rows=_jsonable(rows), total=len(rows), created_by=by)

    def prompt() -> None:
        from .tasks import run_company_import

        try:
            run_company_import.delay(job.pk)
        except Exception as exc:  # noqa: BLE001 - any broker failure: run it in this request
            logger.warning("could not enqueue company import %s (%s); running it now", job.pk, exc)
            company_import_run(import_id=job.pk)

    transaction.on_commit(prompt)
    return job


def company_import_run(*, import_id: int) -> bool:
    """Run a queued import, recording progress as it goes. Safe to call twice: the run is
    claimed with a conditional UPDATE, and a second call finds it taken (or finished) and
    returns False."""
    now = timezone.now()
    claimed = (
        CompanyImport.objects.filter(pk=import_id)
        .filter(
            Q(status=CompanyImport.Status.QUEUED)
            | Q(status=CompanyImport.Status.RUNNING, started_at__lt=now - IMPORT_STALE_AFTER)
        )
        .update(status=CompanyImport.Status.RUNNING, started_at=now, processed=0)
    )
    if not claimed:
        return False  # another worker got there first, or it is done
    job = CompanyImport.objects.get(pk=import_id)

    def progress(checked: int) -> None:
        CompanyImport.objects.filter(pk=import_id).update(processed=checked)

    result = companies_import(rows=job.rows, progress=progress)
    CompanyImport.objects.filter(pk=import_id).update(
        status=CompanyImport.Status.DONE if result.ok else CompanyImport.Status.FAILED,
        processed=job.total,
        created=result.created,
        updated=result.updated,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
        rows=[],  # the data now lives in the companies (or was refused); do not keep a copy
        finished_at=timezone.now(),
    )
    return True
