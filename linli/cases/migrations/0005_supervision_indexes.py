"""The partial indexes of migration 0003's supervision columns, built without holding up
writers on PostgreSQL (cases is a hot table: linli/core/tests/test_migration_locks.py)."""

from django.db import migrations, models

from linli.core.db import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('cases', '0004_public_reports'),
    ]

    operations = [
        AddIndexOnline(
            model_name='case',
            index=models.Index(condition=models.Q(('notice_due_at__isnull', False)), fields=['notice_due_at'], name='case_notice_due'),
        ),
        AddIndexOnline(
            model_name='case',
            index=models.Index(condition=models.Q(('escalated_at__isnull', False)), fields=['escalated_at'], name='case_escalated'),
        ),
    ]
