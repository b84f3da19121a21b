"""Writing the audit trail. See audit/README.md for what is recorded where.

``record`` is called by the services that change state, inside their transaction and after
the change: when the change rolls back, so does its record, and a record never describes a
change that did not happen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditAction, AuditEntry

if TYPE_CHECKING:
    from accounts.models import User


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields' current values of ``obj``, as stored (a foreign key as its id, under the
    field's name). Values are made JSON-safe when the entry is saved (DjangoJSONEncoder)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(obj, attname)
        if isinstance(value, models.Model):
            value = value.pk
        values[name] = value
    return values


def record(
    *,
    action: AuditAction | str,
    obj: models.Model,
    by: User | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry: ``by`` (None or an anonymous user: the system) did ``action`` to ``obj``.

    ``before`` / ``after`` hold the values that the action changed (see ``snapshot``); an action
    that changes no field (a message, a resent ticket) states what it did in ``after``.
    ``reason`` is the staff member's explanation where one is asked for (an override).
    """
    entry = audit_entry(action=action, obj=obj, by=by, before=before, after=after, reason=reason)
    entry.save()
    return entry


def record_many(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append several entries made by ``audit_entry`` in one INSERT (a service that changes
    several rows at once, under a lock)."""
    return AuditEntry.objects.bulk_create(entries)


def audit_entry(
    *,
    action: AuditAction | str,
    obj: models.Model,
    by: User | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """The entry ``record`` appends, unsaved (for ``record_many``); the arguments as ``record``'s."""
    actor = by if by is not None and by.is_authenticated else None
    return AuditEntry(
        actor=actor,
        actor_repr=actor.email if actor is not None else "",
        action=AuditAction(action),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=dict(before or {}),
        after=dict(after or {}),
        reason=reason.strip(),
    )


def audit_entries_for(*, obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every entry about ``obj``, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    ).select_related("actor")
