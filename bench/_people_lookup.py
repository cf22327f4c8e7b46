"""The lookups of bench/people.py: random residents by ID number through the selector,
the same SQL alone, and the CPU each lookup costs in Django and in the PostgreSQL backend
(read from /proc: the database runs on the same machine)."""

import os
import random
import time
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _stats(times: list[float]) -> dict:
    return {"p50_ms": percentile(times, 0.50), "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99), "max_ms": max(times)}


def _lookup_sql(dispatcher, number: str) -> tuple[str, tuple]:
    """The SQL that people.selectors.resident_by_id_number runs, with its parameters."""
    from django.db.models import Q

    from linli.core.crypto import blind_index
    from linli.people.models import Resident
    from linli.people.selectors import staff_q

    qs = Resident.objects.filter(staff_q(dispatcher) | Q(user=dispatcher),
                                 id_number_hash=blind_index(number))[:1]
    return qs.query.sql_with_params()


def _raw_lookup(dispatcher, number: str) -> float:
    """The same lookup's SQL alone, through the same connection: the database's share."""
    from django.db import connection

    sql, params = _lookup_sql(dispatcher, number)
    with connection.cursor() as cur:
        started = time.perf_counter()
        cur.execute(sql, params)
        cur.fetchall()
        return (time.perf_counter() - started) * 1000


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(lookup, dispatcher, picks: list[int]) -> tuple[list[float], int, dict]:
    """Latencies (ms) after 50 warm-up lookups, misses, and the CPU per lookup of this
    process and of the database backend: the figures that survive a busy machine."""
    from _people_copy import id_number

    times, missing = [], 0
    for n, i in enumerate(picks):
        if n == 50:
            cpu, backend = time.process_time(), _backend_cpu()
        number = id_number(i)
        started = time.perf_counter()
        found = lookup(actor=dispatcher, id_number=number)
        elapsed = (time.perf_counter() - started) * 1000
        missing += found is None or found.id_number.reveal_unaudited() != number
        if n >= 50:  # the first 50 warm the connection and the plan
            times.append(elapsed)
    count = max(len(times), 1)
    used = {"python_cpu_ms": 1000 * (time.process_time() - cpu) / count,
            "database_cpu_ms": 1000 * (_backend_cpu() - backend) / count}
    return times, missing, used


def run_lookups(dispatcher, count: int, lookups: int) -> dict:
    """Random residents by ID number through the selector. The actor's role assignments are
    loaded once, as in a request (the first scope check loads them), not per lookup."""
    from _people_copy import id_number

    from linli.people.selectors import resident_by_id_number

    rng = random.Random(2026)
    picks = [rng.randrange(count) for _ in range(lookups + 50)]
    times, missing, used = _timed(resident_by_id_number, dispatcher, picks)
    database = [_raw_lookup(dispatcher, id_number(i)) for i in picks[50:]]
    return {"lookups": len(times), "missing": missing, **_stats(times), **used,
            "database": _stats(database)}


def explain(number: str, dispatcher) -> str:
    from django.db import connection

    sql, params = _lookup_sql(dispatcher, number)
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())
