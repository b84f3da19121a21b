"""The admin's navigation, grouped by the task a staff member comes for, not by Django app.

``MODEL_GROUPS`` places single models; ``APP_GROUPS`` places every other model of an app, so a
model added later to a known app (or a new app such as ``meetings``) lands in a group without
editing this file beyond one line. Anything unplaced falls into 시스템.

``SUPERUSER_ONLY`` lists the technical screens: the login-lockout log, API tokens, the Celery
schedules and the staff role groups. ``StaffAdminSite`` refuses them to anyone but a superuser,
whatever permissions the account holds. The outbox (``notifications.outboundemail``) is the
one technical screen left to staff who have its permission: it is where a failed ticket e-mail
is found and resent, the everyday work of the events desk; it is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Group:
    key: str
    name: str | Promise
    order: int


COMPANIES = Group("companies", pgettext_lazy("navigation", "기업"), 1)
EVENTS = Group("events", pgettext_lazy("navigation", "행사"), 2)
PROGRAMS = Group("programs", pgettext_lazy("navigation", "지원사업"), 3)
RESULTS = Group("results", pgettext_lazy("navigation", "성과"), 4)
SYSTEM = Group("system", pgettext_lazy("navigation", "시스템"), 5)
GROUPS = (COMPANIES, EVENTS, PROGRAMS, RESULTS, SYSTEM)

APP_GROUPS: dict[str, Group] = {
    "companies": COMPANIES,
    "accounts": COMPANIES,
    "events": EVENTS,
    "meetings": EVENTS,
    "programs": PROGRAMS,
    "hiring": PROGRAMS,
}

MODEL_GROUPS: dict[str, Group] = {
    "companies.complexprofile": RESULTS,
    "programs.outcome": RESULTS,
    "accounts.signuprequest": SYSTEM,
    "notifications.outboundemail": SYSTEM,
    "auth.group": SYSTEM,
}

SUPERUSER_ONLY_APPS = frozenset({"axes", "authtoken", "django_celery_beat", "magok", "sessions", "contenttypes"})
SUPERUSER_ONLY_MODELS = frozenset({"auth.group", "auth.permission", "accounts.signuprequest"})


def group_of(label_lower: str) -> Group:
    """The navigation group of a model given as ``app_label.model_name``."""
    if label_lower in MODEL_GROUPS:
        return MODEL_GROUPS[label_lower]
    return APP_GROUPS.get(label_lower.partition(".")[0], SYSTEM)


def is_superuser_only(label_lower: str) -> bool:
    return label_lower in SUPERUSER_ONLY_MODELS or label_lower.partition(".")[0] in SUPERUSER_ONLY_APPS
