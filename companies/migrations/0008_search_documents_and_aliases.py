"""Forgiving Korean search (``companies.search``): the three denormalised search columns of a
company, filled for the existing rows; the staff's search aliases; and on PostgreSQL the GIN
trigram indexes that serve them (names, keywords and initials).
They replace the trigram indexes of 0004 on the raw name and keyword columns, which the search
no longer reads.

On SQLite (``make run``) the columns and the model are created, the indexes are not.
"""

from django.db import migrations, models

from companies.search import build_document, index_sql

OLD_TRIGRAM_COLUMNS = ("name_ko", "name_en", "keywords")


def fill_search_columns(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    batch = []
    for company in Company.objects.order_by("pk").iterator(chunk_size=500):
        keywords = [k.strip() for k in company.keywords.split(",") if k.strip()]
        for field, value in build_document([company.name_ko, company.name_en], keywords).as_fields().items():
            setattr(company, field, value)
        batch.append(company)
        if len(batch) >= 500:
            Company.objects.bulk_update(batch, ["search_names", "search_keywords", "search_initials"])
            batch = []
    if batch:
        Company.objects.bulk_update(batch, ["search_names", "search_keywords", "search_initials"])


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    create, _drop = index_sql("companies_company", name="company")
    for statement in create:
        schema_editor.execute(statement)
    for column in OLD_TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS company_{column}_trgm_idx")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _create, drop = index_sql("companies_company", name="company")
    for statement in drop:
        schema_editor.execute(statement)
    for column in OLD_TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS company_{column}_trgm_idx "
            f"ON companies_company USING gin ({column} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0007_homepage_refuses_non_uri_characters"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "terms",
                    models.CharField(
                        help_text="같은 뜻의 말을 쉼표로 구분해 두 개 이상 적습니다. 예: 엘지, LG",
                        max_length=300,
                        unique=True,
                        verbose_name="같은 말",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="메모")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="수정 일시")),
            ],
            options={
                "verbose_name": "검색 동의어",
                "verbose_name_plural": "검색 동의어",
                "ordering": ["terms"],
            },
        ),
        migrations.AddField(
            model_name="company",
            name="search_initials",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="검색용 초성"),
        ),
        migrations.AddField(
            model_name="company",
            name="search_keywords",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="검색용 키워드"),
        ),
        migrations.AddField(
            model_name="company",
            name="search_names",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="검색용 이름"),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
