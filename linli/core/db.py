"""Database-level guards shared by the apps' migrations.

History tables (audit log, case events, ledger entries) refuse UPDATE, DELETE and TRUNCATE
in the database itself, on PostgreSQL and SQLite alike. The only way past is the one-row
table `linli_guard`: a DBA purging rows past their retention period sets `allow_purge`
for that session's transaction. The application never writes to it; the test suite sets it
so Django can empty tables between transactional tests (tests of the guard clear it again).
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import connections, migrations, models
from django.db.migrations.operations import AddIndex
from django.db.models import signals

GUARD_TABLE = "linli_guard"
M = TypeVar("M", bound=models.Model)


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


def _operation(sql: Callable[[str], tuple[list[str], list[str]]]) -> migrations.RunPython:
    """A migration operation running `sql(vendor)`'s statements forwards, then backwards."""

    def forward(apps, schema_editor):
        for statement in sql(schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement)

    def backward(apps, schema_editor):
        for statement in sql(schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward)


def append_only(table: str) -> migrations.RunPython:
    """A migration operation that makes `table` refuse UPDATE and DELETE in the database."""
    return _operation(lambda vendor: _trigger_sql(vendor, table))


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


# --- version counters (core.versioned) ----------------------------------------------------

VERSION_TABLE = "linli_version"


def _version_table_sql() -> str:
    return (f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
            "(name varchar(63) PRIMARY KEY, version bigint NOT NULL)")


def _version_sql(vendor: str, table: str, columns: tuple[str, ...]) -> tuple[list[str], list[str]]:
    name = f"{table}_version"
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    if vendor == "postgresql":
        create = [
            _version_table_sql(),
            # One function for every table: the table's name is the counter's.
            f"""CREATE OR REPLACE FUNCTION {VERSION_TABLE}_bump() RETURNS trigger AS $$
                BEGIN
                  INSERT INTO {VERSION_TABLE} (name, version)
                  VALUES (TG_TABLE_NAME, (random() * 9e18)::bigint)
                  ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
                  RETURN NULL;
                END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {name} AFTER INSERT OR {update} OR DELETE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {VERSION_TABLE}_bump()""",
            f"""CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {VERSION_TABLE}_bump()""",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}",
                f"DROP TRIGGER IF EXISTS {name} ON {table}"]
    elif vendor == "sqlite":
        create = [_version_table_sql()] + [
            f"""CREATE TRIGGER {name}_{op.split()[0].lower()} AFTER {op} ON {table} BEGIN
                  INSERT INTO {VERSION_TABLE} (name, version) VALUES ('{table}', random())
                  ON CONFLICT (name) DO UPDATE SET version = excluded.version;
                END"""
            for op in ("INSERT", update, "DELETE")
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("insert", "update", "delete")]
    else:
        create, drop = [], []
    return create, drop


def versioned(table: str, columns: tuple[str, ...] = ()) -> migrations.RunPython:
    """A migration operation that gives `table` a version counter: any statement that
    changes it (of `columns` only, for an UPDATE, when given) writes a new random version
    in the same transaction. Per-process caches of the table (core.versioned) read it."""
    return _operation(lambda vendor: _version_sql(vendor, table, columns))


# --- one INSERT per row, compiled once per model -------------------------------------------

_PLANS: dict[tuple[type, str], tuple[str, list]] = {}


def _plain(model: type[models.Model]) -> bool:
    """No save() of its own beyond the append-only check, and no save signal listened to:
    what `insert` skips would change nothing."""
    from linli.core.models import AppendOnlyModel

    return (model.save in (models.Model.save, AppendOnlyModel.save)
            and not signals.pre_save.has_listeners(model)
            and not signals.post_save.has_listeners(model))


def _plan(model: type[models.Model], connection) -> tuple[str, list]:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(model._meta.pk.column)}"
    return sql, fields


def insert(obj: M, using: str = "default") -> M:
    """Insert a new `obj` as one `INSERT … RETURNING id`, its SQL built once per model.

    It writes what `Model.objects.create` writes, for a fraction of the Python: Django
    compiles the statement anew for every row, and a report's four rows spent half their ORM
    time there. Like `bulk_create` it runs no save() and no signal, so a model that has
    either goes through save() instead."""
    model, connection = type(obj), connections[using]
    if not _plain(model):
        obj.save(force_insert=True, using=using)
        return obj
    key = (model, connection.vendor)
    if key not in _PLANS:
        _PLANS[key] = _plan(model, connection)
    sql, fields = _PLANS[key]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = (cursor.fetchone()[0] if connection.features.can_return_columns_from_insert
              else cursor.lastrowid)
    obj.pk, obj._state.adding, obj._state.db = pk, False, using
    return obj
