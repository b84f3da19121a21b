"""SBA's staff roles: Django groups with exactly the permissions each job needs.

A staff account gets its rights by joining one or more of these groups in the user admin
(``is_staff`` opens the admin; the groups decide what is in it). The technical screens (security
log, API tokens, periodic tasks, the outbox) belong to no role: superusers only.

``staff_roles_sync`` creates or updates the groups from ``ROLES``; the data migration
``audit.0002_staff_roles`` runs it, and a later change of ``ROLES`` ships with a migration that
runs it again. Permissions not named here are removed from the groups.
"""

from __future__ import annotations

from typing import Any

VIEW = ("view",)
EDIT = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

EVENTS_MANAGER = "행사 담당"
PROGRAMS_MANAGER = "지원사업 담당"
COMPANIES_MANAGER = "입주기업 담당"
READ_ONLY = "읽기 전용"

# Every role reads the audit trail of what it works on.
AUDIT = {"audit.auditentry": VIEW}

# role -> {"app_label.model": actions}; extra permissions as "app_label.codename" in EXTRA.
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    EVENTS_MANAGER: {
        "events.event": EDIT,
        "events.eventkind": EDIT,
        "events.eventseries": EDIT,
        "events.speaker": ALL,
        "events.agendaitem": ALL,
        # Seats change through the services (the per-attendee buttons), never by deleting rows.
        "events.registration": ("view", "change"),
        "events.eventreminder": ("view", "change"),
        "companies.company": VIEW,
        **AUDIT,
    },
    PROGRAMS_MANAGER: {
        "programs.program": EDIT,
        "programs.call": EDIT,
        "programs.callquestion": ALL,
        "programs.requireddocument": ALL,
        "programs.reviewcriterion": ALL,
        "programs.application": ("view", "change"),
        "programs.applicationevent": VIEW,
        "programs.applicationattachment": VIEW,
        "programs.review": EDIT,
        "programs.outcome": EDIT,
        "companies.company": VIEW,
        **AUDIT,
    },
    COMPANIES_MANAGER: {
        "companies.company": EDIT,
        "companies.sector": EDIT,
        "companies.complexprofile": ("view", "change"),
        "companies.profilechangerequest": ("view", "change"),
        "accounts.membership": EDIT,
        "accounts.user": VIEW,
        **AUDIT,
    },
    READ_ONLY: {
        "companies.company": VIEW,
        "companies.sector": VIEW,
        "companies.complexprofile": VIEW,
        "companies.profilechangerequest": VIEW,
        "accounts.membership": VIEW,
        "events.event": VIEW,
        "events.eventkind": VIEW,
        "events.eventseries": VIEW,
        "programs.program": VIEW,
        "programs.call": VIEW,
        "programs.application": VIEW,
        "programs.outcome": VIEW,
        **AUDIT,
    },
}

EXTRA: dict[str, tuple[str, ...]] = {
    PROGRAMS_MANAGER: ("programs.manage_reviews",),
}


def role_permission_names(role: str) -> set[str]:
    """The role's permissions as ``app_label.codename`` (what ``user.has_perm`` takes)."""
    names = set()
    for model, actions in ROLES[role].items():
        app_label, model_name = model.split(".")
        names |= {f"{app_label}.{action}_{model_name}" for action in actions}
    return names | set(EXTRA.get(role, ()))


def staff_roles_sync(apps: Any) -> None:
    """Create or update the groups (``apps``: the migration's app registry or ``django.apps.apps``)."""
    from django.contrib.auth.management import create_permissions

    # In a fresh database the permissions are made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        # A migration's app configs have no models module, and create_permissions skips those;
        # restore what it was (with django.apps.apps, clearing it made every later
        # create_permissions in the process, the flush's included, do nothing).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLES:
        wanted = role_permission_names(role)
        permissions = []
        for name in sorted(wanted):
            app_label, codename = name.split(".", 1)
            permission = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                raise LookupError(f"staff role {role}: no permission {name}")
            permissions.append(permission)
        group, _created = group_model.objects.get_or_create(name=role)
        group.permissions.set(permissions)
