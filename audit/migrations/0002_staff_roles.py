from django.db import migrations


def create_roles(apps, schema_editor):
    from magok.staff_roles import staff_roles_sync

    staff_roles_sync(apps)


def remove_roles(apps, schema_editor):
    from magok.staff_roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_entry"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("accounts", "0004_signup_request"),
        ("companies", "0007_homepage_refuses_non_uri_characters"),
        ("events", "0005_registration_pending"),
        ("programs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
