from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from magok.spreadsheets import csv_bytes, xlsx_bytes

ROWS = [["이름", "메모"], ['=HYPERLINK("http://evil.example")', "+82 2"], [3, "-"]]


def test_csv_is_utf8_with_a_bom_and_keeps_formula_like_text_as_text():
    content = csv_bytes(ROWS)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["이름", "메모"], ['\'=HYPERLINK("http://evil.example")', "'+82 2"], ["3", "'-"]]


def test_xlsx_keeps_formula_like_text_as_text_and_can_freeze_the_header():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(ROWS, title="people", freeze_header=True))).active
    assert sheet.title == "people" and sheet.freeze_panes == "A2"
    assert list(sheet.iter_rows(values_only=True)) == [
        ("이름", "메모"),
        ('\'=HYPERLINK("http://evil.example")', "'+82 2"),
        (3, "'-"),
    ]
    assert load_workbook(io.BytesIO(xlsx_bytes(ROWS, title="people"))).active.freeze_panes is None
