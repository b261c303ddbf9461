# The substring index of Element.search_text: an FTS5 trigram table kept by triggers on
# SQLite, a pg_trgm GIN index on PostgreSQL (registry/search_index.py, docs/search.md).

from django.db import migrations

from tunduk.registry.search_index import FTS_TABLE, ensure


def create(apps, schema_editor):
    ensure(schema_editor.connection)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS registry_element_search_trgm")
        elif connection.vendor == "sqlite":
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0004_bilingual_names_and_search_text"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
