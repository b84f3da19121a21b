"""The audit trail in the admin: one filterable list and a per-object history; nobody can add,
change or delete an entry, superusers included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from audit.services import record
from events import services as events
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, staff_with_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    event = EventFactory(title_ko="마곡 테크콘서트")
    return record(
        action=AuditAction.EVENT_UPDATE, obj=event, by=StaffFactory(), before={"capacity": 10}, after={"capacity": 20}
    )


def test_entries_are_append_only(entry):
    entry.reason = "고침"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().reason == ""


def test_admin_cannot_add_change_or_delete(client, entry):
    client.force_login(StaffFactory())
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    # The change page is a read-only view: a POST changes nothing.
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    client.post(change_url, {"reason": "고침", "action": "event.cancel"})
    fresh = AuditEntry.objects.get()
    assert fresh.reason == "" and fresh.action == AuditAction.EVENT_UPDATE
    changelist = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert 'name="action"' not in changelist  # no bulk actions (no "delete selected")


def test_list_is_filterable_by_action_and_object(client, entry):
    other = record(action=AuditAction.EVENT_CANCEL, obj=EventFactory(title_ko="마곡살롱"), by=None)
    client.force_login(StaffFactory())
    url = reverse("admin:audit_auditentry_changelist")
    by_action = client.get(url, {"action__exact": "event.cancel"}).context["cl"].result_list
    assert list(by_action) == [other]
    by_object = client.get(url, {"content_type__id__exact": entry.content_type_id, "object_id": entry.object_id})
    assert list(by_object.context["cl"].result_list) == [entry]


def test_object_history_shows_the_audit_entries(client):
    staff = staff_with_permissions("events", "view_event", "change_event")
    staff.user_permissions.add(*staff_with_permissions("audit", "view_auditentry").user_permissions.all())
    event = EventFactory(capacity=10)
    events.event_update(event=event, by=StaffFactory(email="lee@sba.example.kr"), capacity=30)
    client.force_login(staff)
    page = client.get(reverse("admin:events_event_history", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "lee@sba.example.kr" in html and "행사 수정" in html
    assert '<th scope="row">정원</th><td>10</td>' in html and "<td>30</td>" in html


def test_history_of_a_registration_shows_its_check_in(client):
    registration = RegistrationFactory()
    admin_user = StaffFactory()
    events.registration_check_in(by=admin_user, event=registration.event, registration=registration)
    client.force_login(admin_user)
    html = client.get(reverse("admin:events_registration_history", args=[registration.pk])).content.decode()
    assert "입장 확인" in html and admin_user.email in html


def test_staff_without_the_audit_permission_get_djangos_history(client, entry):
    staff = staff_with_permissions("events", "view_event")
    client.force_login(staff)
    page = client.get(reverse("admin:events_event_history", args=[entry.object_id]))
    assert page.status_code == 200 and "audit-history" not in page.content.decode()
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403


def test_system_entries_name_no_actor():
    system = record(action=AuditAction.REGISTRATION_PROMOTE, obj=RegistrationFactory(), by=None)
    assert system.actor is None and system.actor_repr == ""
