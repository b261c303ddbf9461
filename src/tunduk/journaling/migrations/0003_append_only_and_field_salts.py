"""Issue 7, finding 2: append-only journal rows, and salts for commitments to personal data.

Leaf, node and checkpoint rows become append-only in the database itself.

Triggers refuse UPDATE and DELETE (SQLite ``RAISE(ABORT)``, PostgreSQL a trigger function);
TRUNCATE stays possible on PostgreSQL for test suites. The DDL is the journal library's own,
so the gateway's storages get the same triggers from ``schema_sql``; it is idempotent, and a
database created after this change already has the triggers from 0001.

``FieldSalt`` keeps the salt of each personal field a journal entry commits to.
"""

from django.db import migrations, models

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
    dependencies = [("journaling", "0002_witness_cosignatures")]
    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.CreateModel(
            name='FieldSalt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_type', models.CharField(max_length=100, verbose_name='object type')),
                ('object_id', models.CharField(max_length=64, verbose_name='object id')),
                ('field', models.CharField(max_length=100, verbose_name='field')),
                ('salt', models.BinaryField(max_length=32, null=True, verbose_name='salt')),
                ('commitment', models.CharField(max_length=64, verbose_name='commitment (SHA-256, hex)')),
                ('erased_at', models.DateTimeField(blank=True, null=True, verbose_name='salt erased')),
            ],
            options={
                'verbose_name': 'personal field salt',
                'verbose_name_plural': 'personal field salts',
                'constraints': [models.UniqueConstraint(fields=('object_type', 'object_id', 'field'), name='journaling_one_salt_per_field')],
            },
        ),
    ]
