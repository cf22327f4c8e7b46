"""The raw database baseline for bench/intake.py: the same rows an API report writes (the
case, its report event, the audit entry, the idempotency key), one transaction per report,
with nothing but the database in the way.

The rows are copied from a case the API just created, so the columns, their sizes and the
indexes they touch are exactly the real ones. pgbench (C, prepared statements, one round
trip per statement like the ORM) runs them when it is on PATH; otherwise a psycopg loop
in threads does, which is slower on the client side and so flatters the ratio.
"""

import re
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import datetime

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

# (table, column pointing at the new case, columns the database fills itself)
TABLES = [
    ("cases_caseevent", "case_id", {"id"}),
    ("core_auditentry", "object_id", {"id"}),
    ("cases_idempotencykey", "case_id", {"id"}),
]
CASE_VAR = "new_case_id"


def _row(conn, table: str, where: str, value) -> dict:
    query = sql.SQL("SELECT * FROM {} WHERE {} = %s ORDER BY id DESC LIMIT 1").format(
        sql.Identifier(table), sql.Identifier(where))
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        row = cur.execute(query, [value]).fetchone()
    if row is None:
        raise SystemExit(f"no template row in {table}")
    return row


def _literal(conn, value) -> str:
    if isinstance(value, datetime):
        return "now()"  # the ORM sends the current time; a literal would hold a ':'
    if isinstance(value, dict | list):
        value = Jsonb(value)
    text = sql.Literal(value).as_string(conn)
    # pgbench reads ":name" as a variable; no template value may look like one.
    if re.search(r"(?<!:):[A-Za-z_]", text):
        raise SystemExit(f"template value {text!r} would confuse pgbench")
    return text


def _insert(conn, table: str, row: dict, link: str | None, skip: set[str], mark: str) -> str:
    columns, values = [], []
    for column, value in row.items():
        if column in skip:
            continue
        columns.append(column)
        if column == link:
            values.append(mark if link != "object_id" else f"{mark}::text")
        elif column == "key":
            values.append(f"'raw-' || {mark}::text")
        elif column == "channel":
            # As wide as 'api'; tells these rows from the API's, which the benchmark counts
            # while raw windows run between the API's.
            values.append("'raw'")
        else:
            values.append(_literal(conn, value))
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)})")


def statements(dsn: str, case_id: int, mark: str = f":{CASE_VAR}") -> list[str]:
    """The four INSERTs, the first returning the new case id into `mark`."""
    with psycopg.connect(dsn) as conn:
        case = _row(conn, "cases_case", "id", case_id)
        out = [_insert(conn, "cases_case", case, None, {"id"}, mark) + " RETURNING id"]
        for table, link, skip in TABLES:
            value = str(case_id) if link == "object_id" else case_id
            template = _row(conn, table, link, value)
            out.append(_insert(conn, table, template, link, skip, mark))
    return out


def pgbench(dsn: str, case_id: int, clients: int, seconds: float) -> dict:
    first, *rest = statements(dsn, case_id)
    # "\gset new_case_" stores the returned id in :new_case_id for the next statements.
    script = "\n".join(["BEGIN;", f"{first} \\gset new_case_", *[s + ";" for s in rest],
                        "END;"])
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script + "\n")
    command = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2",
               "-T", str(max(1, round(seconds))), "-f", handle.name, dsn]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"pgbench failed:\n{done.stdout}\n{done.stderr}\n{script}")
    return {"tool": "pgbench", "rate": float(found.group(1)),
            "latency_avg_ms": float(latency.group(1)) if latency else None,
            "command": " ".join(command[:-1]) + " <dsn>", "script": script}


def psycopg_threads(dsn: str, case_id: int, clients: int, seconds: float) -> dict:
    marker = "%(case)s"
    first, *rest = statements(dsn, case_id, mark=marker)
    count = [0] * clients
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        with psycopg.connect(dsn) as conn:
            while time.perf_counter() < deadline:
                with conn.transaction(), conn.cursor() as cur:
                    new_id = cur.execute(first).fetchone()[0]  # type: ignore[index]
                    for statement in rest:
                        cur.execute(statement, {"case": new_id})
                count[index] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"tool": "psycopg threads", "rate": sum(count) / (time.perf_counter() - started),
            "latency_avg_ms": None, "command": f"psycopg loop, {clients} threads"}


def baseline(dsn: str, case_id: int, clients: int, seconds: float) -> dict:
    if shutil.which("pgbench"):
        return pgbench(dsn, case_id, clients, seconds)
    return psycopg_threads(dsn, case_id, clients, seconds)
