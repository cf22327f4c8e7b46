"""The database part of a backup: a consistent copy out, and back in, per vendor.

SQLite: the online backup API copies the live file page by page under one read
transaction, so a running server (WAL) goes on writing and the copy is of one moment.
PostgreSQL: `pg_dump -Fc` run on a snapshot exported from a REPEATABLE READ transaction,
which the manifest's counts are read in too, so dump and manifest describe the same moment.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from linli.core.backup.manifest import DatabaseState, database_state

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"


class DatabaseToolMissing(Exception):
    pass


def vendor() -> str:
    return connections["default"].vendor


def _settings() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


# --- SQLite ---------------------------------------------------------------------------

def _sqlite_dump(target: Path) -> DatabaseState:
    source = sqlite3.connect(_settings()["NAME"], timeout=20)
    with closing(source), closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        return database_state(copy.cursor(), "sqlite")


def _sqlite_load(source_file: Path) -> None:
    connections.close_all()
    with closing(sqlite3.connect(source_file)) as source, \
            closing(sqlite3.connect(_settings()["NAME"], timeout=20)) as live:
        source.backup(live)
        live.execute("PRAGMA journal_mode=WAL")


# --- PostgreSQL -----------------------------------------------------------------------

def _libpq_env() -> dict[str, str]:
    """The connection as libpq's environment variables: the password never appears on a
    command line (where `ps` would show it)."""
    db = _settings()
    values = {"PGDATABASE": db.get("NAME"), "PGUSER": db.get("USER"),
              "PGPASSWORD": db.get("PASSWORD"), "PGHOST": db.get("HOST"),
              "PGPORT": str(db.get("PORT") or ""),
              "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode")}
    return {key: str(value) for key, value in values.items() if value}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseToolMissing(
            f"{name} is not installed; install the PostgreSQL client of the server's major "
            "version (Debian: apt-get install postgresql-client-15).")
    return found


def _run(args: list[str]) -> None:
    env = {**os.environ, **_libpq_env()}
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


@contextmanager
def _snapshot() -> Iterator[tuple[Any, str]]:
    import psycopg
    from psycopg.conninfo import make_conninfo

    env = _libpq_env()
    params = {"dbname": env.get("PGDATABASE"), "user": env.get("PGUSER"),
              "password": env.get("PGPASSWORD"), "host": env.get("PGHOST"),
              "port": env.get("PGPORT"), "sslmode": env.get("PGSSLMODE")}
    conninfo = make_conninfo("", **{key: value for key, value in params.items() if value})
    with psycopg.connect(conninfo) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            yield cursor, row[0]
        conn.rollback()


def _postgres_dump(target: Path) -> DatabaseState:
    pg_dump = _tool("pg_dump")
    with _snapshot() as (cursor, snapshot):
        state = database_state(cursor, "postgresql")
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner",
              "--no-privileges", f"--file={target}"])
    return state


def _postgres_load(source_file: Path) -> None:
    pg_restore = _tool("pg_restore")
    connection = connections["default"]
    # Tables a newer installation has but the archive lacks would stay behind and make the
    # next `linli migrate` fail; the caller has made sure they hold no data (or --force).
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            quoted = ", ".join(connection.ops.quote_name(name) for name in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
    connections.close_all()
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={_libpq_env()['PGDATABASE']}",
          str(source_file)])


# --- one interface --------------------------------------------------------------------

def database_dump(workdir: Path) -> tuple[str, DatabaseState]:
    """Copies the database into `workdir`; returns the file's name and what it holds."""
    if vendor() == "postgresql":
        return POSTGRES_FILE, _postgres_dump(workdir / POSTGRES_FILE)
    if vendor() == "sqlite":
        return SQLITE_FILE, _sqlite_dump(workdir / SQLITE_FILE)
    raise RuntimeError(f"no backup for the {vendor()} database")


def database_load(source_file: Path) -> None:
    """Replaces the database with the dumped one."""
    if vendor() == "postgresql":
        _postgres_load(source_file)
    else:
        _sqlite_load(source_file)
