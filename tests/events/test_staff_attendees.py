"""SBA staff's per-attendee work from the event's admin page: each through the events services,
so capacity, the per-company cap and the waitlist stay correct; an override needs a reason and
is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEntry
from audit.services import audit_entries_for
from events import services
from events.models import Registration
from notifications.models import OutboundEmail
from tests.factories import CompanyFactory, EventFactory, RegistrationFactory, StaffFactory, staff_with_permissions

pytestmark = pytest.mark.django_db

WALK_IN = services.AttendeeData(name="현장참가", email="walkin@example.kr", phone="010-1234-5678")


@pytest.fixture
def staff():
    return staff_with_permissions("events", "view_event", "view_registration", "change_registration")


def test_phone_registration_takes_a_free_seat_and_mails_the_ticket(staff):
    event = EventFactory(capacity=2)
    registration = services.registration_staff_add(event=event, by=staff, attendee=WALK_IN)
    assert registration.status == Registration.Status.CONFIRMED and registration.checked_in_at is None
    assert registration.registered_by == staff
    assert OutboundEmail.objects.filter(to="walkin@example.kr", dedupe_key__endswith=":confirmed").exists()
    entry = AuditEntry.objects.get(action=AuditAction.REGISTRATION_STAFF_ADD)
    assert entry.actor == staff and entry.after["override"] == [] and entry.reason == ""


def test_phone_registration_for_a_full_event_joins_the_waitlist(staff):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    registration = services.registration_staff_add(event=event, by=staff, attendee=WALK_IN)
    assert registration.status == Registration.Status.WAITLISTED


def test_walk_in_at_a_full_event_needs_an_override_reason(staff):
    event = EventFactory(capacity=1, starts_at=timezone.now() - timedelta(minutes=10))
    RegistrationFactory(event=event)
    with pytest.raises(services.RegistrationError) as refused:
        services.registration_staff_add(event=event, by=staff, attendee=WALK_IN, check_in=True)
    assert refused.value.code == "capacity_override_required"
    assert not Registration.objects.filter(email="walkin@example.kr").exists()

    registration = services.registration_staff_add(
        event=event, by=staff, attendee=WALK_IN, check_in=True, override_reason="연사 초청 손님"
    )
    assert registration.status == Registration.Status.CONFIRMED and registration.checked_in_at is not None
    entry = only(registration, AuditAction.REGISTRATION_STAFF_ADD)
    assert entry.after["override"] == ["capacity"] and entry.reason == "연사 초청 손님"
    assert entry.after["checked_in_at"] is not None
    # Checked in at the door: no ticket e-mail.
    assert not OutboundEmail.objects.filter(to="walkin@example.kr").exists()


def test_walk_in_takes_a_free_seat_without_override_even_with_people_waiting(staff):
    # Once the event runs nobody is promoted: a seat freed at the door is the walk-in's.
    event = EventFactory(capacity=2, starts_at=timezone.now() - timedelta(minutes=10))
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    registration = services.registration_staff_add(event=event, by=staff, attendee=WALK_IN, check_in=True)
    assert registration.status == Registration.Status.CONFIRMED
    assert only(registration, AuditAction.REGISTRATION_STAFF_ADD).after["override"] == []


def test_seat_cap_per_company_needs_an_override(staff):
    company = CompanyFactory()
    event = EventFactory(capacity=10, seat_cap_per_company=1)
    RegistrationFactory(event=event, company=company)
    with pytest.raises(services.RegistrationError) as refused:
        services.registration_staff_add(event=event, by=staff, attendee=WALK_IN, company=company)
    assert refused.value.code == "seat_cap_override_required"
    registration = services.registration_staff_add(
        event=event, by=staff, attendee=WALK_IN, company=company, override_reason="대표 요청"
    )
    assert only(registration, AuditAction.REGISTRATION_STAFF_ADD).after["override"] == ["seat_cap"]


def test_adding_someone_registered_already_is_refused(staff):
    event = EventFactory()
    RegistrationFactory(event=event, email="walkin@example.kr")
    with pytest.raises(services.RegistrationError) as refused:
        services.registration_staff_add(event=event, by=staff, attendee=WALK_IN)
    assert refused.value.code == "duplicate"


def test_staff_without_the_registration_permission_cannot_add():
    viewer = staff_with_permissions("events", "view_event", "view_registration")
    with pytest.raises(services.RegistrationError) as refused:
        services.registration_staff_add(event=EventFactory(), by=viewer, attendee=WALK_IN)
    assert refused.value.code == "forbidden"


def test_restore_takes_a_free_seat_or_joins_the_end_of_the_waitlist(staff):
    event = EventFactory(capacity=1)
    cancelled = RegistrationFactory(event=event, status=Registration.Status.CANCELLED, cancelled_at=timezone.now())
    restored = services.registration_restore(registration=cancelled, by=staff)
    assert restored.status == Registration.Status.CONFIRMED and restored.cancelled_at is None
    entry = only(restored, AuditAction.REGISTRATION_RESTORE)
    assert entry.before["status"] == "cancelled" and entry.after["status"] == "confirmed"

    other = RegistrationFactory(event=event, status=Registration.Status.CANCELLED, cancelled_at=timezone.now())
    assert services.registration_restore(registration=other, by=staff).status == Registration.Status.WAITLISTED
    with pytest.raises(services.RegistrationError):
        services.registration_restore(registration=restored, by=staff)  # not cancelled


def test_restore_over_capacity_with_a_reason(staff):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    cancelled = RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    restored = services.registration_restore(registration=cancelled, by=staff, override_reason="실수로 취소함")
    assert restored.status == Registration.Status.CONFIRMED
    assert only(restored, AuditAction.REGISTRATION_RESTORE).reason == "실수로 취소함"


def test_promote_without_a_free_seat_is_an_override(staff):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    with pytest.raises(services.RegistrationError) as refused:
        services.registration_promote(registration=waiting, by=staff)
    assert refused.value.code == "capacity_override_required"
    promoted = services.registration_promote(registration=waiting, by=staff, override_reason="VIP")
    assert promoted.status == Registration.Status.CONFIRMED
    entry = only(promoted, AuditAction.REGISTRATION_PROMOTE)
    assert entry.actor == staff and entry.after["override"] == ["capacity"] and entry.reason == "VIP"
    assert OutboundEmail.objects.filter(dedupe_key=f"events:registration:{waiting.pk}:promoted").exists()


def test_resend_ticket_queues_a_new_email_each_time(staff):
    registration = RegistrationFactory()
    services.registration_ticket_resend(registration=registration, by=staff)
    services.registration_ticket_resend(registration=registration, by=staff)
    assert OutboundEmail.objects.filter(to=registration.email).count() == 2
    assert audit_entries_for(obj=registration).filter(action=AuditAction.REGISTRATION_TICKET_RESEND).count() == 2
    waiting = RegistrationFactory(status=Registration.Status.WAITLISTED)
    with pytest.raises(services.RegistrationError):
        services.registration_ticket_resend(registration=waiting, by=staff)


def test_undo_check_in_frees_the_registration_for_a_new_scan(staff):
    registration = RegistrationFactory(checked_in_at=timezone.now())
    assert services.registration_check_in_undo(registration=registration, by=staff)
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert not services.registration_check_in_undo(registration=registration, by=staff)  # nothing to undo
    result = services.registration_check_in(by=staff, event=registration.event, registration=registration)
    assert result.status == "checked_in"


def only(registration, action):
    [entry] = audit_entries_for(obj=registration).filter(action=action)
    return entry


# --- the admin page ----------------------------------------------------------------------


def test_attendee_page_lists_everyone_with_their_state(client, staff):
    event = EventFactory()
    RegistrationFactory(event=event, attendee_name="확정자", checked_in_at=timezone.now())
    RegistrationFactory(event=event, attendee_name="대기자", status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, attendee_name="취소자", status=Registration.Status.CANCELLED)
    client.force_login(staff)
    response = client.get(reverse("admin:events_event_attendees", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("확정자", "대기자", "취소자"):
        assert name in html
    assert 'value="undo_check_in"' in html and 'value="promote"' in html and 'value="restore"' in html


def test_attendee_page_needs_the_registration_view_permission(client):
    client.force_login(staff_with_permissions("events", "view_event"))
    assert client.get(reverse("admin:events_event_attendees", args=[EventFactory().pk])).status_code == 403


def test_view_only_staff_see_the_list_but_cannot_post(client):
    viewer = staff_with_permissions("events", "view_event", "view_registration")
    registration = RegistrationFactory()
    client.force_login(viewer)
    url = reverse("admin:events_event_attendees", args=[registration.event_id])
    assert 'value="cancel"' not in client.get(url).content.decode()
    response = client.post(url, {"registration": registration.pk, "operation": "cancel"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_admin_walk_in_over_capacity_shows_the_reason_needed_then_adds(client, staff):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    client.force_login(staff)
    url = reverse("admin:events_event_attendees", args=[event.pk])
    form = {"add": "1", "name": "현장참가", "email": "walkin@example.kr", "check_in": "on", "consent": "on"}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "정원이 찼습니다" in response.content.decode()
    assert not Registration.objects.filter(email="walkin@example.kr").exists()
    response = client.post(url, {**form, "override_reason": "현장 요청"})
    assert response.status_code == 302
    assert Registration.objects.get(email="walkin@example.kr").checked_in_at is not None


def test_admin_buttons_call_the_services(client, staff):
    event = EventFactory(capacity=1)
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    client.force_login(staff)
    url = reverse("admin:events_event_attendees", args=[event.pk])
    client.post(url, {"registration": confirmed.pk, "operation": "check_in"})
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at is not None
    client.post(url, {"registration": confirmed.pk, "operation": "undo_check_in"})
    confirmed.refresh_from_db()
    assert confirmed.checked_in_at is None
    client.post(url, {"registration": confirmed.pk, "operation": "cancel"})
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == "cancelled" and waiting.status == "confirmed"  # promoted by the cancel
    client.post(url, {"registration": confirmed.pk, "operation": "restore"})
    confirmed.refresh_from_db()
    assert confirmed.status == "waitlisted"
    client.post(url, {"registration": waiting.pk, "operation": "resend"})
    assert OutboundEmail.objects.filter(to=waiting.email, dedupe_key__contains=":resent:").exists()


def test_admin_action_on_another_events_registration_is_404(client, staff):
    registration = RegistrationFactory()
    client.force_login(staff)
    url = reverse("admin:events_event_attendees", args=[EventFactory().pk])
    assert client.post(url, {"registration": registration.pk, "operation": "cancel"}).status_code == 404


def test_door_page_undoes_a_check_in(client, staff):
    registration = RegistrationFactory(attendee_name="박연구", checked_in_at=timezone.now())
    client.force_login(staff)
    url = reverse("events:check_in", args=[registration.event_id])
    page = client.get(url, {"q": "박연구"}).content.decode()
    assert "undo-check-in-button" in page
    response = client.post(url, {"registration": registration.pk, "undo": "1", "q": "박연구"})
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert AuditEntry.objects.filter(action=AuditAction.REGISTRATION_CHECK_IN_UNDO).count() == 1


def test_superuser_sees_the_attendee_link_on_the_event_page(client):
    event = EventFactory()
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert reverse("admin:events_event_attendees", args=[event.pk]) in page


def test_attendee_page_queries_do_not_grow_with_attendees(client, staff, django_assert_max_num_queries):
    event = EventFactory(capacity=100)
    for _ in range(30):
        RegistrationFactory(event=event, company=CompanyFactory())
    client.force_login(staff)
    url = reverse("admin:events_event_attendees", args=[event.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('class="attendee ') == 30
