"""CSV/XLSX exports that staff open in Excel: text that starts like a formula must stay text.

A cell such as ``=HYPERLINK(...)`` typed into a public form would otherwise run when staff
open the export (CSV/formula injection). ``formula_safe`` prefixes such text with an
apostrophe, as Excel itself does; ``formula_unescape`` undoes it when a file comes back in.
``csv_bytes`` and ``xlsx_bytes`` write every cell through ``formula_safe``, so an export built
on them cannot forget it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def formula_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_unescape(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Korean text as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([formula_safe(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str, freeze_header: bool = False) -> bytes:
    """One worksheet named ``title``; ``freeze_header`` keeps the first row in view."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append([formula_safe(cell) for cell in row])
    if freeze_header:
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_workbook_bytes(sheets: Mapping[str, Iterable[Sequence[Any]]]) -> bytes:
    """One worksheet per entry of ``sheets`` (title → rows, the first row a header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([formula_safe(cell) for cell in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
