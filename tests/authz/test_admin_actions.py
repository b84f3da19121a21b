"""Every admin action states the permission it needs, and a staff member who may only look at a
list is offered no action that changes, sends or exports anything beyond what they may see.

Django offers an action to anyone who can open the list, and a view permission opens it; the
services behind several actions check only `is_staff`. So the permission must be on the action."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _actions(model_admin: admin.ModelAdmin) -> list[tuple[str, object]]:
    return [(name, func) for func, name, _description in model_admin._get_base_actions()]


PROJECT_APPS = {
    "accounts",
    "companies",
    "events",
    "programs",
    "meetings",
    "hiring",
    "notifications",
    "magok",
    "audit",
    "digest",
    "backoffice",
}
OURS = [(model, model_admin) for model, model_admin in ADMINS if model._meta.app_label in PROJECT_APPS]


@pytest.mark.parametrize(("model", "model_admin"), OURS, ids=[m._meta.label for m, _ in OURS])
def test_every_action_states_its_permission(model, model_admin):
    unstated = [name for name, func in _actions(model_admin) if not getattr(func, "allowed_permissions", None)]
    assert not unstated, f"{model._meta.label}: actions without permissions=[...]: {unstated}"


@pytest.fixture
def view_only_staff():
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_view_only_staff_are_offered_only_looking(model, model_admin, view_only_staff):
    request = RequestFactory().get("/")
    request.user = view_only_staff
    offered = model_admin.get_actions(request)
    # An action that states no permission counts as changing: nobody has said it only looks.
    changing = [
        name
        for name, (func, _name, _description) in offered.items()
        if set(getattr(func, "allowed_permissions", ("unstated",))) - {"view", "view_registrations"}
    ]
    assert not changing, f"{model._meta.label}: a view-only staff member is offered {changing}"


def test_attendee_lists_need_the_registration_permission():
    from events.models import Event

    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_event"))
    request = RequestFactory().get("/")
    request.user = staff
    offered = admin.site._registry[Event].get_actions(request)
    assert "export_csv" not in offered and "export_xlsx" not in offered

    staff.user_permissions.add(Permission.objects.get(codename="view_registration"))
    request.user = type(staff).objects.get(pk=staff.pk)  # permissions are cached per object
    offered = admin.site._registry[Event].get_actions(request)
    assert "export_csv" in offered and "export_xlsx" in offered
