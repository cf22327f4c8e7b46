"""Database-level guards shared by the apps' migrations.

History tables (audit log, case events, ledger entries) refuse UPDATE, DELETE and TRUNCATE
in the database itself, on PostgreSQL and SQLite alike. The only way past is the one-row
table `linli_guard`: a DBA purging rows past their retention period sets `allow_purge`
for that session's transaction. The application never writes to it; the test suite sets it
so Django can empty tables between transactional tests (tests of the guard clear it again).
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import psycopg
from django.db import connections, migrations, models
from django.db.backends.utils import CursorWrapper
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


# --- prepared statements -------------------------------------------------------------------

_ONLY_WHEN_ASKED = 2**31 - 1  # a psycopg prepare threshold no statement reaches by itself


class _Prepared(psycopg.Cursor):
    """Sends the values apart from the SQL and has every statement prepared."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor(using: str = "default") -> CursorWrapper:
    """A cursor for the few statements every request or posting repeats (a report's rows,
    a ledger posting): on PostgreSQL the server parses and plans each of them once per
    connection instead of on every call, as a hand-written baseline with prepared
    statements does. Django binds values into the SQL text client-side and prepares
    nothing; its own cursors stay so. On other databases, and while Django logs queries
    (DEBUG, a test capturing them: its log could not show a prepared statement's values),
    the ordinary cursor.

    It is Django's cursor wrapper all the same: errors come out as Django's, and
    execute_wrappers see its statements. (Prepared statements live in a connection: a
    PgBouncer in between must pool by session, docs/operations.md; ADR 0009.)"""
    db = connections[using]
    if db.vendor != "postgresql" or db.queries_logged:
        return db.cursor()
    db.ensure_connection()
    if db.connection.prepare_threshold is None:
        # Django turns psycopg's preparation off; allow it for cursors that ask (ours),
        # without auto-preparing anything else.
        db.connection.prepare_threshold = _ONLY_WHEN_ASKED
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        return CursorWrapper(_Prepared(db.connection), db)


# --- one INSERT per row, compiled once per model -------------------------------------------

_PLANS: dict[tuple[type, str], tuple[str, list]] = {}

# Fields whose value, when it is None or of exactly these types, reaches the driver as it is:
# their pre_save reads the attribute and their get_db_prep_save returns it unchanged (on
# every backend Django supports here). Exact classes only: a subclass (an encrypted field,
# a bounded integer) may change the value, and goes the whole way.
_AS_IS: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,), models.TextField: (str,), models.SlugField: (str,),
    models.BooleanField: (bool,),
    **{kind: (int,) for kind in (
        models.IntegerField, models.BigIntegerField, models.SmallIntegerField,
        models.PositiveIntegerField, models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField)},
}


def _plain(model: type[models.Model]) -> bool:
    """No save() of its own beyond the append-only check, and no save signal listened to:
    what `insert` skips would change nothing."""
    from linli.core.models import AppendOnlyModel

    return (model.save in (models.Model.save, AppendOnlyModel.save)
            and not signals.pre_save.has_listeners(model)
            and not signals.post_save.has_listeners(model))


# Fields that hand None to the driver as None (a value of any type takes the whole way),
# unless they fill themselves in (auto_now, auto_now_add): most of a new case's times.
_NONE_AS_IS = (models.DateTimeField, models.DateField, models.DecimalField,
               models.FloatField, models.GenericIPAddressField, models.DurationField)


def _as_is(field: models.Field) -> tuple[type, ...] | None:
    if isinstance(field, models.ForeignKey):  # the id column of an integer key
        target = field.target_field
        return (int,) if isinstance(target, models.AutoField | models.BigAutoField) else None
    if type(field) in _NONE_AS_IS and not getattr(field, "auto_now", False) \
            and not getattr(field, "auto_now_add", False):
        return ()
    return _AS_IS.get(type(field))


def _plan(model: type[models.Model], connection) -> tuple[str, list]:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {quote(model._meta.pk.column)}"
    return sql, [(f, f.attname, _as_is(f)) for f in fields]


def _values(obj: models.Model, fields: list, connection) -> list:
    values = []
    for field, attname, as_is in fields:
        if as_is is not None:
            value = getattr(obj, attname)
            if value is None or type(value) in as_is:
                values.append(value)
                continue
        values.append(field.get_db_prep_save(field.pre_save(obj, True), connection=connection))
    return values


def insert(obj: M, using: str = "default") -> M:
    """Insert a new `obj` as one `INSERT … RETURNING id`, its SQL built once per model.

    It writes what `Model.objects.create` writes, for a fraction of the Python: Django
    compiles the statement anew for every row, and a report's four rows spent half their ORM
    time there. Like `bulk_create` it runs no save() and no signal, so a model that has
    either goes through save() instead. Inside `pipelined()` the id comes later (below)."""
    model, connection = type(obj), connections[using]
    if not _plain(model):
        obj.save(force_insert=True, using=using)
        return obj
    key = (model, connection.vendor)
    if key not in _PLANS:
        _PLANS[key] = _plan(model, connection)
    sql, fields = _PLANS[key]
    values = _values(obj, fields, connection)
    cursor = prepared_cursor(using)
    try:
        cursor.execute(sql, values)
    except BaseException:
        cursor.close()
        raise
    obj._state.adding, obj._state.db = False, using
    pipe = _pipelines.get(using)
    if pipe is not None:
        pipe.pending[id(obj)] = (obj, cursor)
    else:
        _take_id(obj, cursor)
    return obj


def _take_id(obj: models.Model, cursor) -> None:
    with cursor:
        obj.pk = (cursor.fetchone()[0] if cursor.db.features.can_return_columns_from_insert
                  else cursor.lastrowid)


# --- several statements in one round trip ----------------------------------------------------

class _Pipelines(threading.local):
    """The open `pipelined()` block of each database alias, per thread (as connections)."""

    def __init__(self) -> None:
        self.open: dict[str, Pipeline] = {}

    def get(self, using: str) -> "Pipeline | None":
        return self.open.get(using)


_pipelines = _Pipelines()


class Pipeline:
    """The rows `insert` wrote inside a `pipelined()` block whose ids are still to come."""

    def __init__(self) -> None:
        self.pending: dict[int, tuple[models.Model, CursorWrapper]] = {}

    def ids_now(self, *objs: models.Model) -> None:
        """Wait for these rows' ids now (the next statement needs them): one round trip,
        which also carries every statement sent before it."""
        for obj in objs:
            entry = self.pending.pop(id(obj), None)
            if entry is not None:
                _take_id(*entry)

    def _finish(self) -> None:
        for obj, cursor in self.pending.values():
            _take_id(obj, cursor)
        self.pending.clear()


@contextmanager
def pipelined(using: str = "default") -> Iterator[Pipeline]:
    """Send the statements of the block without waiting for each answer (psycopg's pipeline
    mode, PostgreSQL only): they travel together when a result is needed, and at the end.

    A report writes four rows in a transaction: BEGIN, four INSERTs and COMMIT were six
    round trips, each a wake-up of the server's process and of ours. In a block, the ids of
    the rows `insert` writes come at the end, or at `Pipeline.ids_now(obj)` for a row whose
    id the next statement needs; until then `obj.pk` is None. An error (a unique key taken)
    is raised where the results are read, as Django's error, and the transaction around
    the block rolls back as usual. A block inside another is the outer one. On SQLite and
    while Django logs queries, statements wait for their answers as anywhere else, and ids
    come at once."""
    db = connections[using]
    outer = _pipelines.get(using)
    if outer is not None:
        yield outer
        return
    pipe = Pipeline()
    if db.vendor != "postgresql" or db.queries_logged:
        yield pipe
        return
    db.ensure_connection()
    _pipelines.open[using] = pipe
    try:
        with db.wrap_database_errors:
            with db.connection.pipeline():
                yield pipe
            pipe._finish()  # the block's end synced: every result is in its cursor
    finally:
        del _pipelines.open[using]
        for _obj, cursor in pipe.pending.values():
            cursor.close()


# --- psycopg's query cache ------------------------------------------------------------------

# psycopg rewrites each query's %s placeholders before sending it, and keeps the rewrite
# (an lru_cache of 128 queries) only for queries of at most 50 parameters. A case row has
# 57 columns, so every report parsed its INSERT anew: 6 % of the report's Python.
# Queries of up to this many parameters are kept; the cache stays 128 entries long.
PSYCOPG_CACHED_PARAMS = 128


def widen_psycopg_query_cache() -> None:
    """Let psycopg keep the rewrite of queries as wide as our widest row (called once, at
    start). A psycopg without the setting (a new version) is left alone;
    core/tests/test_db_insert.py notices if the setting ever disappears."""
    from psycopg import _queries

    if hasattr(_queries, "MAX_CACHED_STATEMENT_PARAMS"):
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS,
                                                   PSYCOPG_CACHED_PARAMS)
