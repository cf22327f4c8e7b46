"""Entries are append-only and each one moves its amount between the two balances in the
same statement; the account CHECK then refuses any overdraft."""

from django.db import migrations

from linli.core.db import append_only

_APPLY = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION points_entry_apply() RETURNS trigger AS $$
           BEGIN
             UPDATE points_account SET balance = balance - NEW.amount WHERE id = NEW.debit_id;
             UPDATE points_account SET balance = balance + NEW.amount WHERE id = NEW.credit_id;
             RETURN NULL;
           END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER points_entry_apply AFTER INSERT ON points_entry
           FOR EACH ROW EXECUTE FUNCTION points_entry_apply()""",
    ],
    "sqlite": [
        """CREATE TRIGGER points_entry_apply AFTER INSERT ON points_entry
           BEGIN
             UPDATE points_account SET balance = balance - NEW.amount WHERE id = NEW.debit_id;
             UPDATE points_account SET balance = balance + NEW.amount WHERE id = NEW.credit_id;
           END""",
    ],
}
_DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS points_entry_apply ON points_entry",
                   "DROP FUNCTION IF EXISTS points_entry_apply()"],
    "sqlite": ["DROP TRIGGER IF EXISTS points_entry_apply"],
}


def forward(apps, schema_editor):
    for statement in _APPLY.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for statement in _DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forward, backward), append_only("points_entry")]
