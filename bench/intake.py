"""Intake benchmark: what a case report costs, against what the framework and the database
cost, measured in one run on the production server configuration.

Three rates, the first two from `--clients` closed-loop keep-alive clients in a separate
process (bench/_load.py), each after a `--warmup` run:

(a) intake: `POST /api/cases` end to end, with a bearer API token and an Idempotency-Key:
    validated, scoped, routed, the case with its event, audit entry and idempotency key
    committed, its notification queued in Redis for Celery (no worker runs: the queue is
    flushed at the end);
(b) bare: `POST /bench/bare`, a django-ninja endpoint in the same server processes
    (bench/_serve.py) with the same token authentication and the same fields, inserting
    ONE ORM row into `bench_bare`, a table as wide as cases_case: the framework's own cost;
(c) raw: the same rows a report writes, one transaction each, with pgbench (bench/_raw.py).

The `--seconds` of each are measured in `--rounds` windows taken in turn (intake, bare,
raw, intake, bare, raw ...): this machine's speed drifts by a fifth over minutes, and three
windows one after the other each saw another machine. In turn, a drift moves all three
rates alike and the ratios stay put; each round's figures are printed too.

The server is granian (WSGI, `--workers` processes, `--threads` blocking threads each,
PostgreSQL pool on, DEBUG off) serving `bench._serve:application`, i.e. `linli.wsgi` with
one more route. CPU per request (server processes, and the PostgreSQL backends of the
benchmark database) is read from /proc around each measured window only, after the
server's start-up work (the triage model it loads in a thread) has finished.

Every acknowledged report is checked to be stored exactly once (its Idempotency-Key once,
its case there, as many API cases as 201 answers). The last five lines are the figures
docs/performance.md records; the exit status is 0 only if every target is met.

    .venv/bin/python bench/intake.py                  # 32 clients, 5 s + 4 × 5 s per rate
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
APP = "bench._serve:application"
INTAKE, BARE = "/api/cases", "/bench/bare"
TARGET_RATIO_BARE = 0.50   # of the bare endpoint's rate
TARGET_RATIO_RAW = 0.20    # of the raw database rate
TARGET_P99_MS = 250.0      # intake, at 32 clients


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20,
                        help="measured seconds per rate, over all rounds")
    parser.add_argument("--rounds", type=int, default=4,
                        help="windows per rate, taken in turn with the other rates'")
    parser.add_argument("--warmup", type=float, default=5, help="warm-up run before it")
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
    parser.add_argument("--pipeline-rounds", type=int, default=0, metavar="R",
                        help="with --profile: the report with and without core.db.pipelined "
                        "in one thread, R rounds taken in turn")
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


def create_bare_table(dsn: str) -> None:
    """The bare endpoint's table: cases_case's columns and defaults, its own id sequence
    and primary key, none of its other indexes or constraints."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare")
        conn.execute("CREATE TABLE bench_bare "
                     "(LIKE cases_case INCLUDING DEFAULTS INCLUDING IDENTITY)")
        conn.execute("ALTER TABLE bench_bare ADD PRIMARY KEY (id)")


def django_env(args, dsn: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "linli.settings", "DATABASE_URL": dsn,
        "LINLI_DB_POOL": "1", "LINLI_DB_POOL_MIN": "2",
        "LINLI_DB_POOL_MAX": str(args.threads + 2),
        "LINLI_BROKER_URL": args.redis, "LINLI_DEBUG": "0", "LINLI_DATA_DIR": str(data_dir),
        "LINLI_ALLOWED_HOSTS": "127.0.0.1,localhost", "LINLI_LOG_LEVEL": "WARNING",
        # This checkout's code in every process: the helpers run as scripts from bench/,
        # where an editable install shared between worktrees would find another's linli.
        "PYTHONPATH": str(ROOT),
    })
    return env


def manage(env: dict, *command: str) -> None:
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def make_fixture(env: dict, path: Path) -> dict:
    # Helpers print JSON on stdout; their stderr stays on the terminal, to say why they fail.
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "_fixture.py")], cwd=ROOT,
                          env=env, check=True, stdout=subprocess.PIPE, text=True)
    path.write_text(done.stdout)
    return json.loads(done.stdout)


# --- the server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(args, port: int) -> list[str]:
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(args.workers), "--blocking-threads",
            str(args.threads), "--no-ws", "--backlog", "2048", APP]


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


def wait_until_quiet(server_pid: int, db: str, limit: float = 120) -> dict:
    """Each server process loads the triage model in a thread as it starts (seconds of
    CPU): wait until the server's CPU stops growing, so none of it is charged to requests.
    Quiet means under 20 ms of CPU in each of two seconds in a row."""
    started = time.time()
    last = stack_cpu(server_pid, db)["server"]
    quiet = 0
    while quiet < 2:
        if time.time() - started > limit:
            raise SystemExit(f"the server kept using CPU for {limit:.0f} s after starting")
        time.sleep(1)
        now = stack_cpu(server_pid, db)["server"]
        quiet = quiet + 1 if now - last < 0.02 else 0
        last = now
    return {"seconds": time.time() - started, "cpu": last}  # since the server started


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
    for `db`: what requests cost the machine, whatever else is running on it. (The pool
    keeps its connections, so no backend's CPU leaves the sum between two readings.)"""
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


def run_load(args, port: int, fixture: Path, path: str, seconds: float,
             keys: Path | None) -> dict:
    """One run of the load process (no warm-up of its own: the caller runs one)."""
    command = [sys.executable, str(ROOT / "bench" / "_load.py"), "--port", str(port),
               "--fixture", str(fixture), "--path", path, "--clients", str(args.clients),
               "--seconds", str(seconds), "--warmup", "0", "--client", args.client]
    busy, total = cpu_times()
    done = subprocess.run(command + (["--keys", str(keys)] if keys else []), check=True,
                          stdout=subprocess.PIPE, text=True)
    busy2, total2 = cpu_times()
    result = json.loads(done.stdout)
    result["machine_busy"] = (busy2 - busy) / max(total2 - total, 1)
    return result


def warm_up(args, port: int, fixture: Path, path: str, keys: Path | None = None) -> dict:
    """A run before the measured windows (JIT-free Python still fills caches, pools and
    the kernel's buffers); its answers are checked, not timed."""
    if not args.warmup:
        return {"statuses": {}, "errors": {}, "keys": []}
    load = run_load(args, port, fixture, path, args.warmup, keys)
    load["keys"] = keys.read_text().split() if keys and keys.exists() else []
    return load


def window(args, server_pid: int, port: int, fixture: Path, path: str,
           keys: Path | None = None) -> dict:
    """One measured window between two CPU readings, so the CPU per request counts the
    measured window only. `keys` collects its acknowledged Idempotency-Keys."""
    before = stack_cpu(server_pid, args.db)
    load = run_load(args, port, fixture, path, args.seconds / args.rounds, keys)
    after = stack_cpu(server_pid, args.db)
    load["cpu"] = {k: after[k] - before[k] for k in after}
    load["keys"] = keys.read_text().split() if keys and keys.exists() else []
    return load


def combine(windows: list[dict], warm: dict) -> dict:
    """The windows of one endpoint as if they were one run."""
    out = {"statuses": {}, "errors": {}, "latencies": [], "elapsed": 0.0, "client_cpu": 0.0,
           "cpu": {"server": 0.0, "database": 0.0}, "keys": list(warm["keys"]),
           "warmup": {"statuses": warm["statuses"], "errors": warm["errors"]}}
    busy = 0.0
    for w in windows:
        for field in ("statuses", "errors"):
            for key, n in w[field].items():
                out[field][key] = out[field].get(key, 0) + n
        out["latencies"] += w["latencies"]
        out["elapsed"] += w["elapsed"]
        out["client_cpu"] += w["client_cpu"]
        out["keys"] += w["keys"]
        busy += w["machine_busy"] * w["elapsed"]
        for key in out["cpu"]:
            out["cpu"][key] += w["cpu"][key]
    out["machine_busy"] = busy / max(out["elapsed"], 1e-9)
    out["rounds"] = [w["statuses"].get("201", 0) / w["elapsed"] for w in windows]
    return out


def combine_raw(windows: list[dict]) -> dict | None:
    if not windows:
        return None
    return {**windows[0], "rate": sum(w["rate"] for w in windows) / len(windows),
            "rounds": [w["rate"] for w in windows]}


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
        # The audit entry's own channel: a subquery over the cases took minutes once the
        # tables had grown over several --reuse-db runs.
        "audit_entries": "SELECT count(*) FROM core_auditentry WHERE action = 'case.reported' "
                         "AND channel = 'api'",
        "idempotency_keys": "SELECT count(*) FROM cases_idempotencykey "
                            "WHERE key NOT LIKE 'raw-%'",
        "bare_rows": "SELECT count(*) FROM bench_bare",
        "last_case_id": "SELECT max(id) FROM cases_case WHERE channel = 'api'",
    }
    with psycopg.connect(dsn) as conn:
        out = {name: conn.execute(query).fetchone()[0] for name, query in queries.items()}
    out["queued_tasks"] = redis.Redis.from_url(redis_url).llen("celery")
    return out


# Per acknowledged key: how many stored keys lead to an existing case (1 is right).
PER_KEY = """
SELECT count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n > 1)
FROM (SELECT count(c.id) AS n FROM unnest(%s::text[]) AS k(key)
      LEFT JOIN cases_idempotencykey i ON i.key = k.key
      LEFT JOIN cases_case c ON c.id = i.case_id
      GROUP BY k.key) AS per_key
"""


def exactly_once(dsn: str, keys: list[str], created: int) -> dict:
    """Every 201 answered is one stored report: its key once, its case there, and no API
    case that was never acknowledged."""
    with psycopg.connect(dsn) as conn:
        lost, duplicated = conn.execute(PER_KEY, [keys]).fetchone()
    return {"acknowledged": len(keys), "stored": created, "lost": lost,
            "duplicated": duplicated, "ok": lost == duplicated == 0 and created == len(keys)}


def run_profile(env: dict, fixture: Path, count: int, pipeline_rounds: int = 0) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "_profile.py"), "--fixture",
                           str(fixture), "--count", str(count),
                           "--pipeline-rounds", str(pipeline_rounds)], cwd=ROOT, env=env,
                          check=True, stdout=subprocess.PIPE, text=True)
    return done.stdout


# --- figures ------------------------------------------------------------------------------

def _errors(run: dict) -> int:
    """Transport errors and every answer but 201."""
    return sum(run["errors"].values()) + sum(
        n for status, n in run["statuses"].items() if status != "201")


def endpoint_figures(load: dict) -> dict:
    ok = load["statuses"].get("201", 0)
    lat = load["latencies"]
    return {
        "rounds": load["rounds"], "acknowledged": ok, "rate": ok / load["elapsed"],
        "p50_ms": 1000 * percentile(lat, 0.50), "p95_ms": 1000 * percentile(lat, 0.95),
        "p99_ms": 1000 * percentile(lat, 0.99),
        "errors": _errors(load) + _errors(load["warmup"]),  # the warm-up's count too
        "statuses": load["statuses"], "transport_errors": load["errors"],
        "warmup": load["warmup"],
        "acknowledged_in_all": ok + load["warmup"]["statuses"].get("201", 0),
        "cpu_ms": {k: 1000 * v / max(ok, 1) for k, v in load["cpu"].items()},
        "client_cpu_share": load["client_cpu"] / load["elapsed"],
        "machine_busy": load["machine_busy"]}


def figures(intake: dict, bare: dict, raw: dict | None) -> dict:
    out = {"intake": endpoint_figures(intake), "bare": endpoint_figures(bare), "raw": raw}
    out["ratio_bare"] = out["intake"]["rate"] / max(out["bare"]["rate"], 1e-9)
    if raw is not None:
        out["ratio_raw"] = out["intake"]["rate"] / raw["rate"]
    return out


def verdicts(f: dict, once: dict) -> list[tuple[str, bool]]:
    errors = f["intake"]["errors"] + f["bare"]["errors"]
    checks = [(f"ratio_bare >= {TARGET_RATIO_BARE:.2f}", f["ratio_bare"] >= TARGET_RATIO_BARE),
              (f"intake p99 <= {TARGET_P99_MS:.0f} ms", f["intake"]["p99_ms"] <= TARGET_P99_MS),
              (f"0 errors ({errors})", errors == 0),
              (f"0 lost or duplicated ({once['lost']} lost, {once['duplicated']} duplicated, "
               f"{once['stored'] - once['acknowledged']:+d} cases against 201 answers)",
               once["ok"])]
    if "ratio_raw" in f:
        checks.insert(1, (f"ratio_raw >= {TARGET_RATIO_RAW:.2f}",
                          f["ratio_raw"] >= TARGET_RATIO_RAW))
    return checks


# --- report -------------------------------------------------------------------------------

def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores ({model})"


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def print_endpoint(name: str, path: str, e: dict, unit: str) -> None:
    print(f"{name} (POST {path}): {e['rate']:.0f} {unit}/s, {e['acknowledged']} answered "
          f"201; latency p50 {e['p50_ms']:.1f} ms, p95 {e['p95_ms']:.1f} ms, "
          f"p99 {e['p99_ms']:.1f} ms")
    warm = e["warmup"]
    print(f"  {e['errors']} errors; answers {e['statuses']}, transport errors "
          f"{e['transport_errors']}; in the warm-up {warm['statuses']}, {warm['errors']}")


def print_cpu(f: dict) -> None:
    for name in ("intake", "bare"):
        cpu, e = f[name]["cpu_ms"], f[name]
        print(f"CPU per request, {name}: server {cpu['server']:.2f} ms, database backends "
              f"{cpu['database']:.2f} ms (load client {100 * e['client_cpu_share']:.0f}% of "
              f"a core, machine {100 * e['machine_busy']:.0f}% busy)")


def print_once(once: dict) -> None:
    if once["ok"]:
        print(f"stored exactly once: yes ({once['acknowledged']} acknowledged, "
              f"{once['stored']} stored)")
        return
    print(f"stored exactly once: NO ({once['acknowledged']} acknowledged, {once['stored']} "
          f"API cases stored; {once['lost']} acknowledged keys lost, {once['duplicated']} "
          f"stored more than once)")


def print_report(args, f: dict, once: dict, kept: dict, run: dict) -> None:
    raw = f["raw"]
    print(f"\n== intake benchmark, {datetime.now():%Y-%m-%d %H:%M}, {run['machine']}")
    print(f"load average: {run['load_start']} at start, {load_average()} at end")
    print(f"server: {' '.join(server_command(args, 0)[1:]).replace('--port 0 ', '')}  "
          f"(linli.wsgi + {BARE}; DB pool of {args.threads + 2} per worker)")
    print(f"server start-up: {run['start_up']['cpu']:.1f} s CPU in all, quiet "
          f"{run['start_up']['seconds']:.0f} s after it listened (none of it counted)")
    print(f"load: {args.clients} clients ({args.client} keep-alive client, separate process), "
          f"per endpoint {args.warmup:.0f} s warm-up then {args.seconds:.0f} s measured in "
          f"{args.rounds} windows taken in turn with the other rates'")
    print_endpoint("intake", INTAKE, f["intake"], "reports")
    print_endpoint("bare", BARE, f["bare"], "req")
    print_cpu(f)
    print(f"stored: {kept}")
    print(f"bare rows: {kept['bare_rows']} stored for {f['bare']['acknowledged_in_all']} "
          "answered 201")
    print_once(once)
    if f["intake"]["errors"] + f["bare"]["errors"]:
        print(f"server log: {run['log']}")
    if raw is not None:
        print(f"raw database ({raw['tool']}, {args.clients} clients, {args.seconds:.0f} s, "
              f"the rows of one report per transaction): {raw['rate']:.0f} reports/s")
    print_rounds(f)
    for label, ok in verdicts(f, once):
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    print_last_lines(f)


def print_rounds(f: dict) -> None:
    """Each round's rates: how far the machine drifted, and that the ratios did not."""
    raw = f["raw"]["rounds"] if f["raw"] else []
    for n, (intake, bare) in enumerate(zip(f["intake"]["rounds"], f["bare"]["rounds"],
                                           strict=True)):
        line = f"round {n + 1}: intake {intake:.0f}/s, bare {bare:.0f}/s"
        line += f", raw {raw[n]:.0f}/s" if n < len(raw) else ""
        line += f"; ratio_bare {intake / max(bare, 1e-9):.2f}"
        line += f", ratio_raw {intake / raw[n]:.2f}" if n < len(raw) else ""
        print(line)


def print_last_lines(f: dict) -> None:
    """The five lines docs/performance.md records, always last."""
    raw = f["raw"]
    print(f"intake {f['intake']['rate']:.0f} reports/s  p99 {f['intake']['p99_ms']:.0f} ms")
    print(f"bare {f['bare']['rate']:.0f} req/s")
    print(f"raw {raw['rate']:.0f} rows/s" if raw else "raw - rows/s (--no-raw)")
    print(f"ratio_bare {f['ratio_bare']:.2f}")
    print(f"ratio_raw {f['ratio_raw']:.2f}" if raw else "ratio_raw - (--no-raw)")


# --- the run ------------------------------------------------------------------------------

def template_case(dsn: str) -> int:
    """The newest API case: the raw baseline copies its rows."""
    with psycopg.connect(dsn) as conn:
        found = conn.execute("SELECT max(id) FROM cases_case WHERE channel = 'api'").fetchone()
    if not found or found[0] is None:
        raise SystemExit("no API case to copy for the raw baseline (the warm-up made none)")
    return found[0]


def serve_and_measure(args, env: dict, dsn: str, fixture: Path, work: Path,
                      run: dict) -> tuple:
    """Start the server, let it finish starting, warm both endpoints up, take the rounds
    of windows in turn (the raw baseline's while the server idles), stop it."""
    port = free_port()
    run["log"] = work / "granian.log"
    server = start_server(args, env, port, run["log"])
    windows: dict[str, list] = {"intake": [], "bare": [], "raw": []}
    try:
        run["start_up"] = wait_until_quiet(server.pid, args.db)
        warm = {"intake": warm_up(args, port, fixture, INTAKE, work / "intake.warmup"),
                "bare": warm_up(args, port, fixture, BARE)}
        template = None if args.no_raw else template_case(dsn)
        for n in range(args.rounds):
            windows["intake"].append(window(args, server.pid, port, fixture, INTAKE,
                                            keys=work / f"intake.{n}.keys"))
            windows["bare"].append(window(args, server.pid, port, fixture, BARE))
            if template is not None:
                windows["raw"].append(_raw.baseline(dsn, template, args.clients,
                                                    args.seconds / args.rounds))
    finally:
        stop_server(server)
    return (combine(windows["intake"], warm["intake"]), combine(windows["bare"], warm["bare"]),
            combine_raw(windows["raw"]))


def main() -> int:
    args = parse_args()
    run = {"machine": machine(), "load_start": load_average()}
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
    create_bare_table(dsn)
    before = stored(dsn, args.redis)
    intake, bare, raw = serve_and_measure(args, env, dsn, fixture, work, run)
    after = stored(dsn, args.redis)
    kept = {k: v - before[k] if k != "last_case_id" else v for k, v in after.items()}
    once = exactly_once(dsn, intake["keys"], kept["cases"])
    # After the check: the profile's reports are API cases too.
    profile = (run_profile(env, fixture, args.profile, args.pipeline_rounds)
               if args.profile else "")
    client.flushdb()  # the queued notifications: nobody consumes them
    f = figures(intake, bare, raw)
    if profile:
        print(profile)
    print_report(args, f, once, kept, run)
    if args.json:
        args.json.write_text(json.dumps({"figures": f, "stored": kept, "exactly_once": once,
                                         **run}, indent=2, default=str))
    return 0 if all(ok for _label, ok in verdicts(f, once)) else 1


if __name__ == "__main__":
    sys.exit(main())
