"""The staff roles (groups made by a data migration): each can do its job and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from magok.staff_roles import (
    COMPANIES_MANAGER,
    EVENTS_MANAGER,
    PROGRAMS_MANAGER,
    READ_ONLY,
    ROLES,
    role_permission_names,
)
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_of(role: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_the_migration_made_every_role_with_exactly_its_permissions():
    for role in ROLES:
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == role_permission_names(role), role


# role -> (permissions it must have, permissions it must not have)
EXPECTED = {
    EVENTS_MANAGER: (
        {"events.change_event", "events.add_event", "events.change_registration", "audit.view_auditentry"},
        {
            "events.delete_registration",
            "events.delete_event",
            "programs.view_application",
            "companies.change_company",
            "accounts.change_membership",
            "notifications.view_outboundemail",
            "accounts.change_user",
        },
    ),
    PROGRAMS_MANAGER: (
        {"programs.change_application", "programs.manage_reviews", "programs.change_outcome", "audit.view_auditentry"},
        {"events.view_registration", "companies.change_company", "programs.delete_application", "accounts.view_user"},
    ),
    COMPANIES_MANAGER: (
        {"companies.change_company", "companies.change_profilechangerequest", "accounts.change_membership"},
        {"accounts.change_user", "events.view_registration", "programs.view_application", "companies.delete_company"},
    ),
    READ_ONLY: (
        {"companies.view_company", "events.view_event", "programs.view_application", "audit.view_auditentry"},
        {
            "companies.change_company",
            "events.change_event",
            "events.view_registration",  # attendee lists are personal data
            "programs.change_application",
            "accounts.view_user",
            "django_celery_beat.view_periodictask",
            "axes.view_accessattempt",
        },
    ),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_can_and_cannot(role):
    user = member_of(role)
    can, cannot = EXPECTED[role]
    assert {name for name in can if not user.has_perm(name)} == set()
    assert {name for name in cannot if user.has_perm(name)} == set()


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (EVENTS_MANAGER, "admin:events_event_changelist", 200),
        (EVENTS_MANAGER, "admin:programs_application_changelist", 403),
        (EVENTS_MANAGER, "admin:accounts_user_changelist", 403),
        (EVENTS_MANAGER, "admin:audit_auditentry_changelist", 200),
        (PROGRAMS_MANAGER, "admin:programs_application_changelist", 200),
        (PROGRAMS_MANAGER, "admin:events_registration_changelist", 403),
        (COMPANIES_MANAGER, "admin:companies_company_changelist", 200),
        (COMPANIES_MANAGER, "admin:accounts_membership_changelist", 200),
        (COMPANIES_MANAGER, "admin:events_event_changelist", 403),
        (READ_ONLY, "admin:companies_company_changelist", 200),
        (READ_ONLY, "admin:events_registration_changelist", 403),
        (READ_ONLY, "admin:notifications_outboundemail_changelist", 403),
        (READ_ONLY, "admin:django_celery_beat_periodictask_changelist", 403),
        (READ_ONLY, "admin:companies_company_add", 403),
    ],
)
def test_admin_pages_per_role(client, role, url, status):
    client.force_login(member_of(role))
    assert client.get(reverse(url)).status_code == status


def test_events_manager_works_attendees_and_read_only_cannot(client):
    registration = RegistrationFactory(event=EventFactory())
    url = reverse("admin:events_event_attendees", args=[registration.event_id])
    client.force_login(member_of(EVENTS_MANAGER))
    client.post(url, {"registration": registration.pk, "operation": "check_in"})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    client.force_login(member_of(READ_ONLY))
    assert client.get(url).status_code == 403
