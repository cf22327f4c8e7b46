"""How long each migration holds its locks on a populated PostgreSQL database.

    .venv/bin/python bench/migrations.py [--scale 50] [--pg postgres://postgres@127.0.0.1:5432]
                                         [--db linli_bench_migrations] [--limit 1.0] [--json]

1. drops and creates the database, migrates it and loads the demo;
2. multiplies the hot tables (cases_case, cases_caseevent, points_entry, core_auditentry)
   to `--scale` times the demo with INSERT … SELECT (rows need not make business sense to
   be locked; the ledger's balance trigger is off while its entries are copied);
3. for every app whose latest migration may lock a hot table (its SQL names one, or it
   runs code, RunPython or RunSQL, that might touch one), rolls that migration back and
   forward again (where it is reversible), on that data, timing each migration the
   executor applies or unapplies, dependents included. `--all` replays every app's latest
   migration (each replay rebuilds the migration state, several seconds apiece).

A migration counts against the limit if it may lock a hot table; the others are printed
for information.
On PostgreSQL each migration runs in one transaction, and every lock it takes is held
until that transaction commits: a migration's duration is an upper bound on how long it
blocks anyone. Each must stay under `--limit` seconds (PASS/FAIL; exit 1 on a miss).
Only the latest migration of each app can be replayed on populated tables (going further
back drops the tables); the SQL of all of them is checked statically by
linli/core/tests/test_migration_locks.py.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

HOT_TABLES = ["cases_case", "cases_caseevent", "points_entry", "core_auditentry"]
UNIQUE_TEXT = {"points_entry": ["key"]}  # suffixed in the copies


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="linli_bench_migrations")
    parser.add_argument("--limit", type=float, default=1.0)
    parser.add_argument("--json", action="store_true", help="print one JSON object only")
    parser.add_argument("--all", action="store_true",
                        help="replay every app's latest migration, not only those that "
                             "may lock a hot table")
    return parser.parse_args()


def _recreate(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _populate(scale: int) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection

    from linli.core.demo import demo_run

    call_command("migrate", verbosity=0)
    demo_run()
    with connection.cursor() as cursor:
        for table in HOT_TABLES:
            cursor.execute("SELECT column_name FROM information_schema.columns "
                           "WHERE table_name = %s AND column_name <> 'id' "
                           "ORDER BY ordinal_position", [table])
            columns = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            demo_max = cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for copy in range(1, scale):
                values = [f"{c} || '-copy{copy}'" if c in UNIQUE_TEXT.get(table, []) else c
                          for c in columns]
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(values)} FROM {table} WHERE id <= {demo_max}")
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute(f"ANALYZE {table}")
        counts = {}
        for table in HOT_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _may_lock_hot_table(migration) -> bool:
    """Whether the migration's SQL names a hot table, or it runs code that might."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython, RunSQL

    if any(isinstance(op, RunPython | RunSQL) for op in migration.operations):
        return True
    loader = MigrationExecutor(connection).loader
    sql = " ".join(loader.collect_sql([(migration, False)]))
    return any(f'"{table}"' in sql for table in HOT_TABLES)


def _replay_latest(every: bool) -> list[dict]:
    """Rolls each app's latest migration back and forward (only those that may lock a hot
    table unless `every`), timing every migration."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    timings: list[dict] = []
    started: dict[tuple[str, str], float] = {}

    def progress(action, migration=None, fake=False):
        if migration is None:
            return
        key = (migration.app_label, migration.name)
        if action.endswith("_start"):
            started[key] = time.perf_counter()
        elif action.endswith("_success"):
            timings.append({"migration": f"{key[0]}.{key[1]}",
                            "direction": action.split("_")[0],
                            "seconds": round(time.perf_counter() - started.pop(key), 3),
                            "hot": _may_lock_hot_table(migration)})

    ours = {config.label for config in apps.get_app_configs()
            if config.name.startswith("linli.")}
    executor = MigrationExecutor(connection, progress)
    for app, leaf in sorted(executor.loader.graph.leaf_nodes()):
        if app not in ours:
            continue
        migration = executor.loader.get_migration(app, leaf)
        if not every and not _may_lock_hot_table(migration):
            timings.append({"migration": f"{app}.{leaf}", "direction": "no hot table",
                            "seconds": None})
            continue
        if not all(operation.reversible for operation in migration.operations):
            timings.append({"migration": f"{app}.{leaf}", "direction": "irreversible",
                            "seconds": None})
            continue
        parents = [p for p in executor.loader.graph.node_map[(app, leaf)].parents
                   if p.key[0] == app]
        # Only a migration nothing else depends on, and not an app's first: rolling those
        # back would unapply other apps' migrations or drop the populated tables.
        if not parents or len(executor.migration_plan([parents[0].key])) != 1:
            timings.append({"migration": f"{app}.{leaf}", "direction": "not replayed",
                            "seconds": None})
            continue
        for target in (parents[0].key, (app, leaf)):
            executor.loader.build_graph()
            executor.migrate([target], plan=executor.migration_plan([target]))
    return timings


def main() -> int:
    args = _arguments()
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.db}"
    os.environ.setdefault("LINLI_DB_POOL", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    _recreate(args.pg, args.db)
    import django

    django.setup()
    began = time.perf_counter()
    counts = _populate(args.scale)
    populated = time.perf_counter() - began
    timings = _replay_latest(args.all)
    slow = [t for t in timings
            if t["seconds"] is not None and t.get("hot") and t["seconds"] > args.limit]
    result = {"scale": args.scale, "rows": counts, "populate_seconds": round(populated, 1),
              "timings": timings, "limit": args.limit, "slow": slow}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"demo x{args.scale}: {counts} (populated in {populated:.1f} s)")
        for timing in timings:
            seconds = "n/a" if timing["seconds"] is None else f"{timing['seconds']:.3f} s"
            hot = "hot table" if timing.get("hot") else ""
            print(f"  {timing['migration']:<55} {timing['direction']:<12} {seconds:>8} {hot}")
        longest = max([(t["seconds"] or 0) for t in timings if t.get("hot")] or [0])
        print(f"{'FAIL' if slow else 'PASS'}: longest migration transaction on a hot table "
              f"{longest:.3f} s, limit {args.limit} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
