"""The admin's navigation is grouped by task, and the technical screens are for superusers only,
whatever permissions a staff account holds."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from backoffice.navigation import is_superuser_only
from backoffice.sites import SuperuserOnlyAdmin, superuser_only_labels
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TECHNICAL = [
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "authtoken.tokenproxy",
    "django_celery_beat.periodictask",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.solarschedule",
    "auth.group",
]


@pytest.fixture
def all_perms_staff():
    """Staff holding every model permission there is, but not a superuser."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


def _groups(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return {group["app_label"]: group for group in admin.site.get_app_list(request)}


def _labels(group):
    return {model["model"]._meta.label_lower for model in group["models"] if "model" in model}


def test_every_technical_screen_is_registered_superuser_only():
    assert set(TECHNICAL) <= set(superuser_only_labels(admin.site))


def test_groups_are_in_task_order_for_a_superuser():
    groups = _groups(StaffFactory())
    assert list(groups) == ["companies", "events", "programs", "results", "system"]
    assert {"companies.company", "accounts.membership", "companies.profilechangerequest"} <= _labels(
        groups["companies"]
    )
    assert {"events.event", "events.registration"} <= _labels(groups["events"])
    assert {"programs.call", "programs.application"} <= _labels(groups["programs"])
    assert {"programs.outcome", "companies.complexprofile"} <= _labels(groups["results"])
    assert set(TECHNICAL) <= _labels(groups["system"])


def test_staff_with_every_permission_do_not_see_the_technical_screens(all_perms_staff):
    groups = _groups(all_perms_staff)
    shown = set().union(*(_labels(group) for group in groups.values()))
    assert not shown & set(TECHNICAL)
    # The outbox stays: failed ticket e-mails are resent from it (see backoffice.navigation).
    assert "notifications.outboundemail" in _labels(groups["system"])


@pytest.mark.parametrize("label", TECHNICAL)
def test_staff_with_every_permission_cannot_open_a_technical_screen(client, all_perms_staff, label):
    app_label, model_name = label.split(".")
    client.force_login(all_perms_staff)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403


@pytest.mark.parametrize("label", TECHNICAL)
def test_superuser_opens_a_technical_screen(client, label):
    app_label, model_name = label.split(".")
    client.force_login(StaffFactory())
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200


def test_a_new_app_lands_in_its_group_and_unknown_apps_in_system():
    from backoffice.navigation import group_of

    assert group_of("meetings.meetingrequest").key == "events"
    assert group_of("hiring.position").key == "programs"
    assert group_of("somelib.thing").key == "system"
    assert is_superuser_only("axes.accesslog") and not is_superuser_only("events.event")


def test_registering_a_technical_model_later_still_guards_it():
    from django_celery_beat.models import PeriodicTask

    assert isinstance(admin.site._registry[PeriodicTask], SuperuserOnlyAdmin)


def test_sidebar_shows_the_groups_on_every_admin_page(client):
    client.force_login(StaffFactory())
    html = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert 'class="app-results module' in html and 'class="app-system module' in html
