"""Directory search on PostgreSQL: the pg_trgm extension and GIN trigram indexes on the
searched columns. They serve both ILIKE '%...%' and the trigram similarity operator (%).

On SQLite (local use) nothing happens: the search falls back to plain LIKE.
"""

from django.db import migrations

TRIGRAM_COLUMNS = ("name_ko", "name_en", "keywords")


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS company_{column}_trgm_idx "
            f"ON companies_company USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS company_{column}_trgm_idx")
    # The extension stays: other objects may depend on it.


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_profilechangerequest"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
