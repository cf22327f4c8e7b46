"""A case's description may hold 4,000 characters (GeoReport v2's limit), up from 2,000.

The column is a text column either way: only Django's idea of the field changes. Said as
state only, so no database runs anything, not even SQLite's copy of the whole cases table
(cases is a hot table: linli/core/tests/test_migration_locks.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_supervision_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="description",
                    field=models.TextField(max_length=4000, verbose_name="description"),
                ),
            ],
            database_operations=[],
        ),
    ]
