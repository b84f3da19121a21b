from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from magok.dates import format_datetime

from .models import AuditEntry
from .services import audit_entries_for

VIEW_PERMISSION = "audit.view_auditentry"


def _show(value: Any) -> str:
    """A stored value as staff read it: times in Asia/Seoul, Korean format."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        moment = parse_datetime(value) if len(value) >= 19 and value[4] == "-" and "T" in value else None
        return format_datetime(moment) if moment is not None else value
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def _label(entry: AuditEntry, name: str) -> str:
    """The field's verbose name when the object's model has that field, else the key."""
    model = entry.content_type.model_class()
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def changes_table(entry: AuditEntry) -> str:
    rows = [(_label(entry, field), before, after) for field, before, after in entry.changed_fields()]
    if not rows:
        return "–"
    return format_html(
        '<table class="audit-changes"><tbody>{}</tbody></table>',
        format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td aria-hidden="true">→</td><td>{}</td></tr>',
            ((field, _show(before), _show(after)) for field, before, after in rows),
        ),
    )


def audit_list_url(obj: Model) -> str:
    """The filterable list, narrowed to ``obj``."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    query = urlencode({"content_type__id__exact": content_type.pk, "object_id": obj.pk})
    return f"{reverse('admin:audit_auditentry_changelist')}?{query}"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """One filterable list of every change; read-only for everyone, superusers included."""

    list_display = ["at", "actor_display", "action", "content_type", "object_repr", "changes", "reason"]
    list_filter = ["action", ("content_type", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["object_repr", "actor_repr", "reason", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type", "actor"]
    fields = (
        "at",
        "actor_display",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes",
        "before",
        "after",
        "reason",
    )
    readonly_fields = fields

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # The per-object history links narrow the list by object_id.
        return lookup == "object_id" or super().lookup_allowed(lookup, value, request)  # type: ignore[call-arg]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    @admin.display(description=_("처리한 사람"), ordering="actor_repr")
    def actor_display(self, obj: AuditEntry) -> str:
        return obj.actor_repr or str(_("시스템"))

    @admin.display(description=_("바뀐 값"))
    def changes(self, obj: AuditEntry) -> str:
        return changes_table(obj)


class AuditHistoryMixin:
    """For a ModelAdmin whose objects are changed through services: the change page's "history"
    button shows the object's audit entries (to staff who may read the audit trail), with a link
    to the filterable list. Staff without that permission get Django's own history page."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not request.user.has_perm(VIEW_PERMISSION):
            return super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        model_admin: admin.ModelAdmin = self  # type: ignore[assignment]
        obj = model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = list(audit_entries_for(obj=obj)[:500])
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "object": obj,
            "title": _("변경 기록: %(object)s") % {"object": obj},
            "subtitle": None,
            "entries": [(entry, changes_table(entry)) for entry in entries],
            "audit_list_url": audit_list_url(obj),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/audit/object_history.html", context)
