"""Admin screens of the libraries the project uses, held to the project's rule: every admin
action needs the permission it acts with (tests/authz/test_admin_actions.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask


class GuardedPeriodicTaskAdmin(PeriodicTaskAdmin):
    """django-celery-beat's actions (enable, disable, toggle, run now) declare no permission, so
    Django would offer them to anyone who may only view the schedule."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if request.user.has_perm("django_celery_beat.change_periodictask"):
            return actions
        return {name: action for name, action in actions.items() if getattr(action[0], "allowed_permissions", None)}


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, GuardedPeriodicTaskAdmin)
