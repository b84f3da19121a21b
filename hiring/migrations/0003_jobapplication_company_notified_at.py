from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hiring", "0002_hiring_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="jobapplication",
            name="company_notified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="기업 알림 일시"),
        ),
    ]
