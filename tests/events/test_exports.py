from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from events.exports import attendee_rows, attendees_export_csv, attendees_export_xlsx
from events.models import Event, Registration

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


def test_attendee_rows_list_the_seats_that_are_not_cancelled(event, representative):
    kim, lee, park = register(event, representative, attendee("김"), attendee("이"), attendee("박"))
    Registration.objects.filter(pk=lee.pk).update(status=Registration.Status.CANCELLED)
    Registration.objects.filter(pk=park.pk).update(checked_in_at=timezone.now())
    park.refresh_from_db()
    header, *rows = list(attendee_rows(events=Event.objects.filter(pk=event.pk)))
    assert header[:4] == ["행사명", "이름", "기업", "이메일"] and header[-1] == "티켓 번호"
    assert sorted(row[3] for row in rows) == ["a김@test.example.kr", "a박@test.example.kr"]
    park_row = next(row for row in rows if row[3] == "a박@test.example.kr")
    assert park_row[0] == event.title_ko and park_row[2] == representative.company.name_ko
    assert park_row[6] == "참가 확정"
    assert park_row[8] == timezone.localtime(park.checked_in_at).strftime("%Y-%m-%d %H:%M")
    assert park_row[9] == park.ticket_code


def test_csv_and_xlsx_hold_the_same_rows(event, representative):
    register(event, representative, attendee("김"), attendee("이"))
    events = Event.objects.filter(pk=event.pk)
    from_csv = list(csv.reader(io.StringIO(attendees_export_csv(events=events).decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(attendees_export_xlsx(events=events))).active
    from_xlsx = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "attendees" and len(from_csv) == 3
    assert from_csv == from_xlsx
