"""Profile change requests keep only the changed fields and the values they replace.

Pending requests sent before this migration hold a full snapshot of the editable fields. They
are reduced to the fields that differ from the company's current values, with those current
values as "before" (the best that can be known now: an admin edit made between the request and
this migration cannot be told apart from the representative's change). Decided requests stay
as they are (a record of what was approved or turned down).
"""

from typing import Any

from django.db import migrations, models

EDITABLE_FIELDS = ("name_en", "keywords", "homepage", "employee_count", "description_ko", "description_en")


def pending_snapshots_to_changes(apps: Any, schema_editor: Any) -> None:
    ProfileChangeRequest = apps.get_model("companies", "ProfileChangeRequest")
    for change in ProfileChangeRequest.objects.filter(status="pending", before={}).select_related("company"):
        company = change.company
        current: dict[str, Any] = {name: getattr(company, name) for name in EDITABLE_FIELDS}
        current["sectors"] = sorted(company.sectors.values_list("slug", flat=True))
        changed = {name: value for name, value in change.data.items() if name in current and current[name] != value}
        change.data = changed
        change.before = {name: current[name] for name in changed}
        if change.logo or change.remove_logo:
            change.before["logo"] = company.logo.name or ""
        change.save(update_fields=["data", "before"])


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="profilechangerequest",
            name="before",
            field=models.JSONField(blank=True, default=dict, verbose_name="요청 당시 값"),
        ),
        migrations.RunPython(pending_snapshots_to_changes, migrations.RunPython.noop),
    ]
