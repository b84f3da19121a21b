"""Every URL of the site and the API, called by every role, with the answer each must get.

The table in `matrix.py` is the site's access policy in one place. A URL pattern without an entry
fails `test_every_url_has_an_entry`, so a new page cannot ship without someone deciding who may
use it. Conventions: anonymous visitors of a login-only page are sent to the login page (302);
another company's object answers 404; a POST that succeeds redirects (302) on the site.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from .matrix import MATRIX
from .requests import send, url_names
from .world import (
    ANONYMOUS,
    MEMBER,
    OTHER,
    REPRESENTATIVE,
    REVIEWER,
    ROLES,
    STAFF,
    STAFF_APPS,
    STAFF_NO_PERMS,
    SUPERUSER,
    build_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_url_has_an_entry():
    names = set(url_names())
    missing = sorted(names - set(MATRIX))
    stale = sorted(set(MATRIX) - names)
    assert not missing, f"URL patterns without an entry in tests/authz/matrix.py: {missing}"
    assert not stale, f"entries in tests/authz/matrix.py for URL patterns that no longer exist: {stale}"


def test_every_entry_names_every_role():
    incomplete = {name: sorted(set(ROLES) ^ set(check.expect)) for name, checks in MATRIX.items() for check in checks}
    assert not {name: roles for name, roles in incomplete.items() if roles}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_its_answer(client, name):
    world = build_world()
    wrong = {}
    for check in MATRIX[name]:
        for role in ROLES:
            # Every role acts on the same world: whatever a POST changed is undone before the next.
            with transaction.atomic():
                answer = send(client, world, role, name, check)
                transaction.set_rollback(True)
            if answer != check.expect[role]:
                wrong[f"{check.method.upper()} as {role}"] = f"got {answer}, expected {check.expect[role]}"
    assert not wrong, f"{name}: {wrong}"


ADMIN_MODELS = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


@pytest.mark.parametrize(("app_label", "model_name"), ADMIN_MODELS)
def test_admin_lists_only_for_staff_with_permission(client, app_label, model_name):
    """Every admin list: non-staff are sent to the admin login, staff without the permission are
    refused, the working staff see their apps' lists, a superuser sees everything."""
    world = build_world()
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    expected = {
        **dict.fromkeys((ANONYMOUS, OTHER, MEMBER, REPRESENTATIVE, REVIEWER), 302),
        STAFF_NO_PERMS: 403,
        STAFF: 200 if app_label in STAFF_APPS else 403,
        SUPERUSER: 200,
    }
    answers = {}
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        answers[role] = client.get(url).status_code
    assert answers == expected
