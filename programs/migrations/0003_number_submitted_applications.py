"""Give every application submitted before receipt numbers existed its number, in the order
of submission within each year (Seoul time), and set the year counters after them."""

from zoneinfo import ZoneInfo

from django.db import migrations

SEOUL = ZoneInfo("Asia/Seoul")


def number_submitted(apps, schema_editor):
    Application = apps.get_model("programs", "Application")
    ReceiptCounter = apps.get_model("programs", "ReceiptCounter")
    last: dict[int, int] = {}
    rows = Application.objects.filter(submitted_at__isnull=False, receipt_number__isnull=True).order_by(
        "submitted_at", "pk"
    )
    for application in rows:
        year = application.submitted_at.astimezone(SEOUL).year
        last[year] = last.get(year, 0) + 1
        application.receipt_number = f"SBA-{year}-{last[year]:06d}"
        application.save(update_fields=["receipt_number"])
    for year, number in last.items():
        ReceiptCounter.objects.update_or_create(year=year, defaults={"last": number})


def unnumber(apps, schema_editor):
    apps.get_model("programs", "Application").objects.update(receipt_number=None)
    apps.get_model("programs", "ReceiptCounter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_application_receipt_number")]

    operations = [migrations.RunPython(number_submitted, unnumber)]
