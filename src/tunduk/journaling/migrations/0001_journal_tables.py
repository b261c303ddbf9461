"""Create the journal's tables with the DDL that ``tunduk.journal`` defines for each engine."""

from django.db import migrations

from tunduk.journal import schema_sql

TABLES = ("journal_checkpoint", "journal_node", "journal_leaf", "journal_head")


def create_tables(apps, schema_editor):
    dialect = "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite"
    for statement in schema_sql(dialect):
        schema_editor.execute(statement)


def drop_tables(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []
    operations = [migrations.RunPython(create_tables, drop_tables)]
