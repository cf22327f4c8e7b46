"""Intake benchmark: sustained end-to-end case reports over HTTP, against the raw database.

End to end means the production path: `POST /api/cases` with a bearer API token and an
Idempotency-Key, validated, routed (suggested unit), persisted with its event, audit entry
and idempotency key, and its notification queued in Redis for Celery (no worker runs, so
the queue only grows; it is flushed at the end). The server is granian (WSGI, several
workers), PostgreSQL with the connection pool on, DEBUG off.

Steps: (re)create the database, migrate, load the demo, make API tokens for the demo
residents, start granian on a free port, warm up, drive `--clients` closed-loop clients
for `--seconds` from a separate process (bench/_load.py), check what was stored, stop the
server, then run the raw baseline (bench/_raw.py: the same four INSERTs per transaction
with pgbench). Prints the figures and PASS/FAIL against the targets.

    .venv/bin/python bench/intake.py                  # 32 clients, 20 s
    .venv/bin/python bench/intake.py --profile 300    # also: where one report's time goes
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _raw

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 1000.0     # reports per second
TARGET_RATIO = 0.30      # of the raw database rate
TARGET_P99_MS = 100.0    # at 32 clients


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4,
                        help="granian blocking threads per worker (and DB pool size)")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--pg", default=os.environ.get(
        "BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="linli_bench")
    parser.add_argument("--redis", default=os.environ.get(
        "BENCH_REDIS", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile N reports in-process with cProfile")
    parser.add_argument("--no-raw", action="store_true", help="skip the database baseline")
    parser.add_argument("--reuse-db", action="store_true",
                        help="keep the database of the previous run (quick server sweeps)")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    return parser.parse_args()


# --- setup --------------------------------------------------------------------------------

def recreate_database(pg: str, name: str) -> str:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def django_env(args, dsn: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "linli.settings", "DATABASE_URL": dsn,
        "LINLI_DB_POOL": "1", "LINLI_DB_POOL_MIN": "2",
        "LINLI_DB_POOL_MAX": str(args.threads + 2),
        "LINLI_BROKER_URL": args.redis, "LINLI_DEBUG": "0", "LINLI_DATA_DIR": str(data_dir),
        "LINLI_ALLOWED_HOSTS": "127.0.0.1,localhost", "LINLI_LOG_LEVEL": "WARNING",
    })
    return env


def manage(env: dict, *command: str) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def make_fixture(env: dict, path: Path) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "_fixture.py")], cwd=ROOT,
                          env=env, check=True, capture_output=True, text=True)
    path.write_text(done.stdout)
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(args, port: int) -> list[str]:
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(args.workers), "--blocking-threads",
            str(args.threads), "--no-ws", "--backlog", "2048", "linli.wsgi:application"]


def start_server(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(server_command(args, port), cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"granian exited:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    raise SystemExit("granian did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --- measuring ----------------------------------------------------------------------------

def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, to show how saturated it was."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: str) -> float:
    """User + system CPU seconds of one process, all its threads included."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def stack_cpu(server_pid: int, db: str) -> dict[str, float]:
    """CPU seconds used so far by the server's processes and by the database's backends
    for `db`: what one report costs the machine, whatever else is running on it."""
    parents: dict[str, str] = {}
    backends = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parents[entry.name] = stat.rsplit(")", 1)[1].split()[1]
        if cmdline.startswith("postgres: ") and f" {db} " in cmdline:
            backends += _proc_cpu(entry.name)
    tree, frontier = {str(server_pid)}, {str(server_pid)}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - tree
        tree |= frontier
    return {"server": sum(_proc_cpu(pid) for pid in tree), "database": backends}


def run_load(args, port: int, fixture: Path) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "_load.py"), "--port", str(port),
               "--fixture", str(fixture), "--clients", str(args.clients), "--seconds",
               str(args.seconds), "--warmup", str(args.warmup), "--client", args.client]
    busy, total = cpu_times()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    busy2, total2 = cpu_times()
    result = json.loads(done.stdout)
    result["machine_busy"] = (busy2 - busy) / max(total2 - total, 1)
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def stored(dsn: str, redis_url: str) -> dict:
    """Counts of what API reports leave behind (rows, queued notification tasks)."""
    queries = {
        "cases": "SELECT count(*) FROM cases_case WHERE channel = 'api'",
        "routed": "SELECT count(*) FROM cases_case WHERE channel = 'api' "
                  "AND suggested_unit_id IS NOT NULL",
        "report_events": "SELECT count(*) FROM cases_caseevent e JOIN cases_case c "
                         "ON c.id = e.case_id WHERE c.channel = 'api' AND e.action = 'report'",
        "audit_entries": "SELECT count(*) FROM core_auditentry WHERE action = 'case.reported' "
                         "AND object_id IN (SELECT id::text FROM cases_case "
                         "WHERE channel = 'api')",
        "idempotency_keys": "SELECT count(*) FROM cases_idempotencykey",
        "last_case_id": "SELECT max(id) FROM cases_case WHERE channel = 'api'",
    }
    with psycopg.connect(dsn) as conn:
        out = {name: conn.execute(query).fetchone()[0] for name, query in queries.items()}
    out["queued_tasks"] = redis.Redis.from_url(redis_url).llen("celery")
    return out


def run_profile(env: dict, fixture: Path, count: int) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "_profile.py"), "--fixture",
                           str(fixture), "--count", str(count)], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)
    return done.stdout


# --- report -------------------------------------------------------------------------------

def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model}), load average at start "
            f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")


def figures(load: dict, raw: dict | None) -> dict:
    ok = load["statuses"].get("201", 0)
    rate = ok / load["elapsed"]
    lat = load["latencies"]
    out = {"reports": ok, "errors": sum(load["errors"].values()) + sum(
        n for status, n in load["statuses"].items() if status != "201"),
        "statuses": load["statuses"], "transport_errors": load["errors"],
        "rate": rate, "p50_ms": 1000 * percentile(lat, 0.50),
        "p95_ms": 1000 * percentile(lat, 0.95), "p99_ms": 1000 * percentile(lat, 0.99),
        "client_cpu_share": load["client_cpu"] / load["elapsed"],
        "machine_busy": load["machine_busy"]}
    # Warm-up reports count too: the CPU counters ran through both phases.
    made = ok + load["warmup_statuses"].get("201", 0)
    out["cpu_ms"] = {k: 1000 * v / max(made, 1) for k, v in load["stack_cpu"].items()}
    out["cpu_ms"]["client"] = 1000 * load["client_cpu"] / max(ok, 1)
    out["capacity"] = (os.cpu_count() or 1) * 1000 / max(
        out["cpu_ms"]["server"] + out["cpu_ms"]["database"], 0.001)
    if raw is not None:
        out["raw_rate"] = raw["rate"]
        out["ratio"] = rate / raw["rate"]
    return out


def verdicts(f: dict) -> list[tuple[str, bool]]:
    checks = [(f"end-to-end >= {TARGET_RATE:.0f} reports/s", f["rate"] >= TARGET_RATE),
              (f"p99 <= {TARGET_P99_MS:.0f} ms", f["p99_ms"] <= TARGET_P99_MS)]
    if "ratio" in f:
        checks.insert(1, (f">= {TARGET_RATIO:.2f} of the raw rate", f["ratio"] >= TARGET_RATIO))
    return checks


def print_report(args, f: dict, raw: dict | None, kept: dict, where: str) -> None:
    print(f"\n== intake benchmark, {datetime.now():%Y-%m-%d %H:%M}, {where}")
    print(f"server: {' '.join(server_command(args, 0)[1:]).replace('--port 0 ', '')}")
    print(f"load: {args.clients} clients ({args.client} keep-alive client, separate process), "
          f"{args.seconds:.0f} s after {args.warmup:.0f} s warm-up")
    print(f"end to end: {f['rate']:.0f} reports/s ({f['reports']} created, {f['errors']} "
          f"errors {f['statuses']} {f['transport_errors'] or ''})")
    print(f"latency: p50 {f['p50_ms']:.1f} ms, p95 {f['p95_ms']:.1f} ms, "
          f"p99 {f['p99_ms']:.1f} ms")
    print(f"load client used {100 * f['client_cpu_share']:.0f}% of one core; machine "
          f"{100 * f['machine_busy']:.0f}% busy during the run")
    cpu = f["cpu_ms"]
    print(f"CPU per report: server {cpu['server']:.1f} ms, database backends "
          f"{cpu['database']:.1f} ms, load client {cpu['client']:.2f} ms -> with every core "
          f"free for server and database: at most {f['capacity']:.0f} reports/s")
    print(f"stored: {kept}")
    if raw is not None:
        print(f"raw database ({raw['tool']}, same {args.clients} clients, same rows): "
              f"{raw['rate']:.0f} reports/s; end to end is {f['ratio']:.2f} of it")
    for label, ok in verdicts(f):
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")


def main() -> int:
    args = parse_args()
    where = machine()
    dsn = f"{args.pg}/{args.db}" if args.reuse_db else recreate_database(args.pg, args.db)
    work = Path(tempfile.mkdtemp(prefix="linli-bench-intake-"))
    env = django_env(args, dsn, work)
    client = redis.Redis.from_url(args.redis)
    client.flushdb()
    if not args.reuse_db:
        manage(env, "migrate", "-v0")
        manage(env, "demo")
    fixture = work / "fixture.json"
    make_fixture(env, fixture)
    before = stored(dsn, args.redis)
    port = free_port()
    server = start_server(args, env, port, work / "granian.log")
    try:
        cpu = stack_cpu(server.pid, args.db)
        load = run_load(args, port, fixture)
        load["stack_cpu"] = {k: v - cpu[k] for k, v in stack_cpu(server.pid, args.db).items()}
    finally:
        stop_server(server)
    after = stored(dsn, args.redis)
    kept = {k: v - before[k] if k != "last_case_id" else v for k, v in after.items()}
    profile = run_profile(env, fixture, args.profile) if args.profile else ""
    raw = None if args.no_raw else _raw.baseline(dsn, kept["last_case_id"], args.clients,
                                                 args.seconds)
    client.flushdb()  # the queued notifications: nobody consumes them
    f = figures(load, raw)
    print(profile)
    print_report(args, f, raw, kept, where)
    if args.json:
        args.json.write_text(json.dumps({"figures": f, "stored": kept, "raw": raw,
                                         "machine": where}, indent=2, default=str))
    return 0 if all(ok for _label, ok in verdicts(f)) else 1


if __name__ == "__main__":
    sys.exit(main())
