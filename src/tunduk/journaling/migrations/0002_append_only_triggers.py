"""Leaf, node and checkpoint rows become append-only in the database itself (issue 7, finding 2).

Triggers refuse UPDATE and DELETE (SQLite ``RAISE(ABORT)``, PostgreSQL a trigger function);
TRUNCATE stays possible on PostgreSQL for test suites. The DDL is the journal library's own,
so the gateway's storages get the same triggers from ``schema_sql``; it is idempotent, and a
database created after this change already has the triggers from 0001.
"""

from django.db import migrations

from tunduk.journal import append_only_sql, drop_append_only_sql


def _dialect(schema_editor):
    return "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite"


def create_triggers(apps, schema_editor):
    for statement in append_only_sql(_dialect(schema_editor)):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_append_only_sql(_dialect(schema_editor)):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("journaling", "0001_journal_tables")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
