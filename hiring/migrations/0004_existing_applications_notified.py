"""Applications made before the companies' daily digest existed were seen on the company page:
mark them counted, so the first digest does not announce them as new."""

from django.db import migrations
from django.db.models import F


def mark_counted(apps, schema_editor):
    JobApplication = apps.get_model("hiring", "JobApplication")
    JobApplication.objects.filter(company_notified_at__isnull=True).update(company_notified_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0003_jobapplication_company_notified_at"),
    ]

    # Reversed, the field goes away with 0003; nothing to undo here.
    operations = [migrations.RunPython(mark_counted, migrations.RunPython.noop)]
