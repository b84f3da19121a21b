from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events.models import AgendaItem, Event, Registration, Speaker
from tests.factories import StaffFactory
from tests.outbox import rendered_emails

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory())
    return client


CHANGELIST = "admin:events_event_changelist"


def post_action(client, action: str, events: list[Event], **extra: str):
    data = {"action": action, "_selected_action": [e.pk for e in events], **extra}
    return client.post(reverse(CHANGELIST), data)


def test_changelist_shows_counts(admin_client, event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    Registration.objects.filter(pk=regs[0].pk).update(status="cancelled")
    response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    row = response.context["cl"].result_list.get(pk=event.pk)
    assert (row.n_confirmed, row.n_waitlisted, row.n_cancelled, row.n_checked_in) == (2, 2, 1, 0)


def test_duplicate_action_copies_program_as_draft(admin_client, event):
    speaker = Speaker.objects.create(event=event, name_ko="안유화")
    AgendaItem.objects.create(event=event, starts_at="14:00", title_ko="강연", speaker=speaker)
    post_action(admin_client, "duplicate_events", [event])
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == Event.Status.DRAFT and copy.title_ko.endswith("(사본)")
    assert copy.agenda_items.get().speaker == copy.speakers.get()


def test_export_csv_and_xlsx(admin_client, event, representative):
    register(event, representative, attendee("김"), attendee("이"))
    response = post_action(admin_client, "export_csv", [event])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "이름" and len(rows) == 3
    assert {rows[1][3], rows[2][3]} == {"a김@test.example.kr", "a이@test.example.kr"}
    response = post_action(admin_client, "export_xlsx", [event])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet.cell(2, 1).value == event.title_ko


def test_send_message_to_confirmed_only(admin_client, event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(4)))
    response = post_action(admin_client, "send_message", [event])
    assert response.status_code == 200 and b"subject" in response.content
    post_action(admin_client, "send_message", [event], apply="1", subject="주차 안내", body="지하 2층에 주차하세요.")
    sent = rendered_emails().filter(subject__contains="주차 안내")
    assert sorted(sent.values_list("to", flat=True)) == sorted(r.email for r in regs[:3])


def test_cancel_action_notifies_everyone(admin_client, event, representative):
    register(event, representative, *(attendee(i) for i in range(4)))
    post_action(admin_client, "cancel_events", [event], apply="1", message="연기합니다")
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert rendered_emails().filter(subject__contains="행사 취소").count() == 4


def test_admin_capacity_raise_promotes(admin_client, event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    url = reverse("admin:events_event_change", args=[event.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if name == "invited_companies":
            data[name] = [c.pk for c in value]
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif hasattr(value, "strftime") and name.endswith("_at"):
            from django.utils import timezone

            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
        else:
            data[name] = value
    data["capacity"] = 4
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = formset.formset.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = formset.formset.initial_form_count()
        for i, inline_form in enumerate(formset.formset.forms):
            if inline_form.instance.pk:
                data[f"{prefix}-{i}-id"] = inline_form.instance.pk
                data[f"{prefix}-{i}-event"] = event.pk
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Registration.objects.get(pk=regs[3].pk).status == "confirmed"
    assert Registration.objects.get(pk=regs[4].pk).status == "waitlisted"
    assert rendered_emails().filter(to=regs[3].email, subject__contains="참가 확정으로").exists()


def test_attendance_report_per_company(admin_client, event, representative, other_member):
    regs = register(event, representative, attendee(1), attendee(2))
    register(event, other_member)
    Registration.objects.filter(pk=regs[0].pk).update(checked_in_at="2030-01-01T10:00:00+09:00")
    response = admin_client.get(reverse("admin:events_event_attendance", args=[event.pk]))
    assert response.status_code == 200
    assert response.context["confirmed"] == 3 and response.context["checked_in"] == 1
    assert response.context["no_shows"] == 2
    by_company = {row["company__name_ko"]: row for row in response.context["rows"]}
    assert by_company[representative.company.name_ko]["no_shows"] == 1
    assert by_company[other_member.company.name_ko]["no_shows"] == 1
    assert "33%" in response.content.decode()


def test_kind_and_registration_admin_pages(admin_client, event, member):
    register(event, member)
    assert admin_client.get(reverse("admin:events_eventkind_add")).status_code == 200
    assert admin_client.get(reverse("admin:events_registration_changelist"), {"q": member.email}).status_code == 200


def test_change_page_links_to_check_in_and_attendance(admin_client, event):
    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert reverse("events:check_in", args=[event.pk]) in html
    assert reverse("admin:events_event_attendance", args=[event.pk]) in html
    assert admin_client.get(reverse("admin:events_event_add")).status_code == 200


def test_attendee_export_keeps_formula_like_text_as_text(admin_client, event, representative):
    # A name typed into a public form must not run as a formula when staff open the export.
    register(event, representative, attendee("김"))
    Registration.objects.filter(event=event).update(attendee_name='=HYPERLINK("http://evil.example","x")')
    rows = list(csv.reader(io.StringIO(post_action(admin_client, "export_csv", [event]).content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'
    sheet = load_workbook(io.BytesIO(post_action(admin_client, "export_xlsx", [event]).content)).active
    cell = sheet.cell(2, 2)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_registration_change_form_cannot_move_a_seat_to_another_event_email_or_company(admin_client, event, member):
    from tests.factories import CompanyFactory, EventFactory

    [registration] = register(event, member)
    other_event, other_company = EventFactory(capacity=1), CompanyFactory()
    url = reverse("admin:events_registration_change", args=[registration.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "event": other_event.pk,
            "company": other_company.pk,
            "email": "someone.else@example.com",
            "status": Registration.Status.WAITLISTED,
            "attendee_name": "고친 이름",
            "phone": "010-0000-0000",
            "position": "팀장",
            "language": "ko",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration.refresh_from_db()
    assert registration.attendee_name == "고친 이름"  # contact details may be corrected
    assert (registration.event_id, registration.company_id, registration.email, registration.status) == (
        event.pk,
        member.company.pk,
        member.email,
        Registration.Status.CONFIRMED,
    )


def test_send_message_submitted_twice_sends_once(admin_client, event, representative):
    regs = register(event, representative, *(attendee(i) for i in range(5)))
    for _ in range(2):
        post_action(admin_client, "send_message", [event], apply="1", subject="주차 안내", body="지하 2층")
    assert rendered_emails().filter(subject__contains="주차 안내").count() == 3
    # Another message is sent; so is the same one to someone confirmed since.
    post_action(admin_client, "send_message", [event], apply="1", subject="주차 안내", body="지하 3층으로 변경")
    assert rendered_emails().filter(subject__contains="주차 안내").count() == 6
    from events.services import registration_cancel

    registration_cancel(registration=regs[0], by=representative)
    post_action(admin_client, "send_message", [event], apply="1", subject="주차 안내", body="지하 2층")
    assert rendered_emails().filter(to=regs[3].email, subject__contains="주차 안내").count() == 1
