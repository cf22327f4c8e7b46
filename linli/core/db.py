"""Database-level guards shared by the apps' migrations.

History tables (audit log, case events, ledger entries) refuse UPDATE, DELETE and TRUNCATE
in the database itself, on PostgreSQL and SQLite alike. The only way past is the one-row
table `linli_guard`: a DBA purging rows past their retention period sets `allow_purge`
for that session's transaction. The application never writes to it; the test suite sets it
so Django can empty tables between transactional tests (tests of the guard clear it again).
"""

from django.db import migrations
from django.db.migrations.operations import AddIndex

GUARD_TABLE = "linli_guard"


def _guard_sql(vendor: str) -> list[str]:
    boolean_false = "false" if vendor == "postgresql" else "0"
    return [
        f"CREATE TABLE IF NOT EXISTS {GUARD_TABLE} (allow_purge boolean NOT NULL)",
        f"INSERT INTO {GUARD_TABLE} (allow_purge) SELECT {boolean_false} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {GUARD_TABLE})",
    ]


def _trigger_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    name = f"{table}_append_only"
    if vendor == "postgresql":
        create = [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM {GUARD_TABLE} WHERE allow_purge) THEN
                    IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
                    RETURN OLD;
                  END IF;
                  RAISE EXCEPTION '{table} is append-only';
                END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {name}()""",
            f"""CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}",
                f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    elif vendor == "sqlite":
        when = f"WHEN (SELECT allow_purge FROM {GUARD_TABLE} LIMIT 1) = 0"
        create = [
            f"""CREATE TRIGGER {name}_{op.lower()} BEFORE {op} ON {table} {when}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            for op in ("UPDATE", "DELETE")
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}_update", f"DROP TRIGGER IF EXISTS {name}_delete"]
    else:
        create, drop = [], []
    return create, drop


def guard_table() -> migrations.RunPython:
    def forward(apps, schema_editor):
        for statement in _guard_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(forward, migrations.RunPython.noop)


def append_only(table: str) -> migrations.RunPython:
    """A migration operation that makes `table` refuse UPDATE and DELETE in the database."""

    def forward(apps, schema_editor):
        for statement in _trigger_sql(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(statement)

    def backward(apps, schema_editor):
        for statement in _trigger_sql(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward)


def set_purge_allowed(connection, allowed: bool) -> None:
    """For DBAs' retention scripts and the test suite only; see the module docstring."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {GUARD_TABLE} SET allow_purge = %s", [allowed])


class AddIndexOnline(AddIndex):
    """An index that does not hold up writers while it is built: CREATE INDEX CONCURRENTLY
    on PostgreSQL (the migration must say `atomic = False`), a plain index elsewhere (SQLite
    has a single writer anyway). For hot tables, which test_migration_locks guards."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)
        return None

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, concurrently=True)
        return None
