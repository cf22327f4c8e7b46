"""Points ledger benchmark: postings through the service against a raw SQL transfer doing the
same row work, and the statement page of a resident with 10,000 entries.

The service path is `linli.points.services.posting()` exactly as the app calls it: the
idempotency key, the account rows locked in id order, the balance check, the entry INSERT
(its trigger moves both balances; the CHECK refuses an overdraft), one transaction each.
The raw path is a psycopg loop (server-side prepared statements) doing the same row work:
BEGIN; SELECT ... FOR UPDATE of the two account rows in id order; INSERT the entry with its
unique key (the same trigger); COMMIT. Both run in `--workers` processes, moving 1 point
between random pairs of `--residents` funded accounts, so no single row is the hot spot.
They alternate in `--rounds` blocks (service, raw, raw, service, ...) so both see the
table at the same sizes. Then the statement page (`/points/me/`) of one resident with
`--entries` entries is fetched through Django's test client: first, middle and last page.

    .venv/bin/python bench/points.py                       # 1,000,000 postings each way
    .venv/bin/python bench/points.py --postings 100000     # a quicker look
    .venv/bin/python bench/points.py --profile 2000        # also: where a posting's time goes
"""

import argparse
import json
import multiprocessing as mp
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.5  # service postings/s as a share of the raw SQL rate
SEED_POINTS = 100_000
LOCK_SQL = ("SELECT id, kind, balance FROM points_account WHERE id IN (%s, %s) "
            "ORDER BY id FOR UPDATE")
INSERT_SQL = ("INSERT INTO points_entry (key, kind, debit_id, credit_id, amount, memo, "
              "reverses_id, actor_id, earning_action, source, created_at) "
              "VALUES (%s, 'grant', %s, %s, 1, 'bench', NULL, NULL, '', 'bench', now()) "
              "RETURNING id")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=1_000_000,
                        help="postings through the service, and as many raw ones")
    parser.add_argument("--workers", type=int, default=2, help="processes for each path")
    parser.add_argument("--rounds", type=int, default=10, help="alternating blocks per path")
    parser.add_argument("--residents", type=int, default=2000, help="funded accounts")
    parser.add_argument("--entries", type=int, default=10_000,
                        help="entries of the resident whose statement is timed")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--pg", default=os.environ.get(
        "BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="linli_bench_points")
    parser.add_argument("--durable", action="store_true",
                        help="keep synchronous_commit on (default: off for this database)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile N service postings in-process with cProfile")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    # bench/run_all.py passes every benchmark the same arguments: ignore the others'.
    args, ignored = parser.parse_known_args()
    if ignored:
        print(f"(ignoring arguments for other benchmarks: {' '.join(ignored)})")
    return args


# --- setup --------------------------------------------------------------------------------

def recreate_database(pg: str, name: str, durable: bool) -> str:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        if not durable:
            # Every commit's WAL flush is the same fixed cost on both paths and, on a small
            # VM's disk, most of the time of either; without it the ratio shows what the
            # code adds. Only this database's sessions are affected.
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return f"{pg}/{name}"


def django_env(dsn: str, data_dir: Path) -> dict[str, str]:
    return {"DJANGO_SETTINGS_MODULE": "linli.settings", "DATABASE_URL": dsn,
            "LINLI_DB_POOL": "1", "LINLI_DB_POOL_MIN": "1", "LINLI_DB_POOL_MAX": "2",
            "LINLI_DEBUG": "0", "LINLI_DATA_DIR": str(data_dir),
            "LINLI_ALLOWED_HOSTS": "testserver,127.0.0.1", "LINLI_LOG_LEVEL": "WARNING"}


def use_django(env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.startswith("LINLI_")]:
        del os.environ[key]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(residents: int) -> dict:
    """A community, `residents` users each with a funded account (funded through the
    service), and the resident whose statement is timed."""
    from linli.accounts.models import Role, RoleAssignment, User
    from linli.orgs.services import area_insert
    from linli.points.models import Account, AccountKind, EntryKind
    from linli.points.services import account_for, posting

    district = area_insert(kind="district", name="江汉区", parent=None, code="420103")
    street = area_insert(kind="street", name="民族街道", parent=district, code="420103001")
    community = area_insert(kind="community", name="花楼社区", parent=street,
                            code="420103001001")
    users = User.objects.bulk_create([User(username=f"bench{i:05d}") for i in range(residents)])
    Account.objects.bulk_create([Account(kind=AccountKind.RESIDENT, community=community,
                                         owner=u) for u in users])
    issuer = account_for(kind=AccountKind.ISSUER, community=community)
    accounts = list(Account.objects.filter(kind=AccountKind.RESIDENT).order_by("pk"))
    for account in accounts:
        posting(key=f"seed:{account.pk}", kind=EntryKind.GRANT, debit=issuer,
                credit=account, amount=SEED_POINTS)
    reader = User.objects.create(username="statement_reader", display_name="居民 张秀兰")
    RoleAssignment.objects.create(user=reader, role=Role.RESIDENT, area=community)
    return {"community": community.pk, "accounts": [a.pk for a in accounts],
            "reader": reader.pk}


# --- the two paths ------------------------------------------------------------------------

def pairs(ids: list[int], count: int, seed: str) -> list[tuple[int, int]]:
    rnd = random.Random(seed)
    return [tuple(rnd.sample(ids, 2)) for _ in range(count)]  # type: ignore[misc]


def backend_cpu(pid: int) -> float:
    """CPU seconds used so far by the PostgreSQL backend `pid` (same machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall time, this process's CPU and its database backend's CPU over a block."""

    def __init__(self, backend_pid: int):
        self.pid = backend_pid
        self.wall, self.cpu, self.db = (time.perf_counter(), time.process_time(),
                                        backend_cpu(backend_pid))

    def done(self) -> tuple[float, float, float]:
        return (time.perf_counter() - self.wall, time.process_time() - self.cpu,
                backend_cpu(self.pid) - self.db)


def service_worker(env, ids, count, tag, barrier, results) -> None:
    use_django(env)
    from django.db import connection

    from linli.points.models import Account, EntryKind
    from linli.points.services import posting

    accounts = {a.pk: a for a in Account.objects.filter(pk__in=ids)}
    work = pairs(ids, count, tag)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    barrier.wait()
    meter = Meter(pid)
    for i, (a, b) in enumerate(work):
        posting(key=f"{tag}:{i}", kind=EntryKind.GRANT, debit=accounts[a],
                credit=accounts[b], amount=1, memo="bench", source="bench")
    results.put(meter.done())


def raw_worker(env, ids, count, tag, barrier, results) -> None:
    work = pairs(ids, count, tag)
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        cursor = conn.cursor()
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        barrier.wait()
        meter = Meter(pid)
        for i, (a, b) in enumerate(work):
            with conn.transaction():
                rows = cursor.execute(LOCK_SQL, (min(a, b), max(a, b))).fetchall()
                debit = next(row for row in rows if row[0] == a)
                if debit[1] != "issuer" and debit[2] < 1:
                    raise SystemExit("raw posting would overdraw")
                cursor.execute(INSERT_SQL, (f"{tag}:{i}", a, b)).fetchone()
        results.put(meter.done())


def run_block(target, env: dict, ids: list[int], count: int, workers: int,
              tag: str) -> tuple[float, float, float]:
    """`count` postings split over `workers` processes started together: (wall seconds,
    client CPU seconds, database backend CPU seconds)."""
    context = mp.get_context("spawn")
    barrier, results = context.Barrier(workers + 1), context.Queue()
    shares = [count // workers + (1 if w < count % workers else 0) for w in range(workers)]
    procs = [context.Process(target=target, args=(env, ids, share, f"{tag}w{w}", barrier,
                                                  results)) for w, share in enumerate(shares)]
    for proc in procs:
        proc.start()
    barrier.wait()
    measured = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit(f"a {tag} worker failed ({proc.exitcode})")
    return (max(m[0] for m in measured), sum(m[1] for m in measured),
            sum(m[2] for m in measured))


def compare(args, env: dict, ids: list[int]) -> dict:
    """Both paths in alternating blocks (service, raw, raw, service, ...), so both meet
    the table at the same sizes and the machine in the same moods."""
    block = args.postings // args.rounds
    totals = {path: [0, 0.0, 0.0, 0.0] for path in ("service", "raw")}
    targets = {"service": service_worker, "raw": raw_worker}
    for r in range(args.rounds):
        count = block if r < args.rounds - 1 else args.postings - block * r
        for path in (["service", "raw"] if r % 2 == 0 else ["raw", "service"]):
            wall, cpu, db = run_block(targets[path], env, ids, count, args.workers,
                                      f"{path[0]}{r}")
            for i, value in enumerate((count, wall, cpu, db)):
                totals[path][i] += value
            print(f"  round {r + 1}/{args.rounds} {path:>7}: {count:,} postings, "
                  f"{count / wall:,.0f}/s, CPU per posting {1e6 * cpu / count:,.0f} us "
                  f"client + {1e6 * db / count:,.0f} us database", flush=True)
    out = {}
    for path, (count, wall, cpu, db) in totals.items():
        out[f"{path}_rate"] = count / wall
        out[f"{path}_client_us"] = 1e6 * cpu / count
        out[f"{path}_db_us"] = 1e6 * db / count
    out["ratio"] = out["service_rate"] / out["raw_rate"]
    out["cpu_ratio"] = ((out["raw_client_us"] + out["raw_db_us"])
                        / (out["service_client_us"] + out["service_db_us"]))
    return out


def check_ledger(dsn: str, expected_entries: int) -> dict:
    """After both paths: points conserved, nothing negative, balances = their entries."""
    with psycopg.connect(dsn) as conn:
        total, negative = conn.execute(
            "SELECT sum(balance), count(*) FILTER (WHERE balance < 0 AND kind <> 'issuer') "
            "FROM points_account").fetchone()
        mismatched = conn.execute("""
            SELECT count(*) FROM points_account a LEFT JOIN (
              SELECT account, sum(delta) AS net FROM (
                SELECT credit_id AS account, amount AS delta FROM points_entry
                UNION ALL SELECT debit_id, -amount FROM points_entry) moves
              GROUP BY account) n ON n.account = a.id
            WHERE a.balance <> COALESCE(n.net, 0)""").fetchone()[0]
        entries = conn.execute("SELECT count(*) FROM points_entry").fetchone()[0]
    ok = total == 0 and negative == 0 and mismatched == 0 and entries == expected_entries
    return {"sum_of_balances": int(total), "negative": negative, "mismatched": mismatched,
            "entries": entries, "expected_entries": expected_entries, "ok": ok}


# --- the statement page -------------------------------------------------------------------

def fill_statement(seeded: dict, entries: int) -> int:
    """`entries` postings for one resident through the services: earnings, a transfer out
    now and then, and every tenth one a reversal of an earlier earning."""
    from linli.accounts.models import User
    from linli.points.models import Account, AccountKind, EntryKind
    from linli.points.services import account_for, entry_reverse, posting

    reader = User.objects.get(pk=seeded["reader"])
    community_id = seeded["community"]
    issuer = Account.objects.get(kind=AccountKind.ISSUER, community_id=community_id)
    mine = account_for(kind=AccountKind.RESIDENT, community=issuer.community, owner=reader)
    neighbour = Account.objects.get(pk=seeded["accounts"][0])
    earned = []
    for i in range(entries):
        if i % 10 == 9:
            entry_reverse(actor=None, entry=earned.pop(0), memo="确认有误，冲正")
        elif i % 10 == 4:
            posting(key=f"stmt:{i}", kind=EntryKind.GRANT, debit=mine, credit=neighbour,
                    amount=3, memo="转赠邻居")
        else:
            earned.append(posting(key=f"stmt:{i}", kind=EntryKind.EARN, debit=issuer,
                                  credit=mine, amount=10, memo="志愿服务 1小时",
                                  source=f"volunteering.claim:{i}",
                                  earning_action="volunteer_hour"))
    return mine.pk


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_statement(seeded: dict, requests: int) -> dict:
    from django.db import connection
    from django.test import Client

    from linli.accounts.models import User
    from linli.points.models import Account
    from linli.points.statement import statement_page

    reader = User.objects.get(pk=seeded["reader"])
    whole = statement_page(Account.objects.get(owner=reader))
    count, last = whole.count, whole.num_pages
    client = Client()
    client.force_login(reader)
    out = {"entries": count, "pages": {}}
    for label, page in (("first", 1), ("middle", (last + 1) // 2), ("last", last)):
        url = f"/points/me/?page={page}"
        for _ in range(3):  # warm up
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        queries: list[str] = []

        def count(run, sql, *rest, seen=queries):
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append(1000 * (time.perf_counter() - started))
        out["pages"][label] = {"page": page, "p50_ms": percentile(times, 0.5),
                               "p95_ms": percentile(times, 0.95), "queries": len(queries)}
    return out


def profile(seeded: dict, count: int) -> str:
    """CPU profile of `count` postings in this process, and the statements of one."""
    import cProfile
    import io
    import pstats

    from linli.points import ledger_sql
    from linli.points.models import Account, EntryKind
    from linli.points.services import posting

    accounts = list(Account.objects.filter(pk__in=seeded["accounts"][:200]))
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for i in range(count):
        posting(key=f"profile:{i}", kind=EntryKind.GRANT, debit=accounts[i % 200],
                credit=accounts[(i * 7 + 1) % 200], amount=1)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    statements = ["BEGIN", ledger_sql._LOCK + " FOR UPDATE", ledger_sql._INSERT, "COMMIT"]
    return "statements of one posting:\n  " + "\n  ".join(statements) + "\n" + text.getvalue()


# --- report -------------------------------------------------------------------------------

def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model}), load average at start "
            f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")


def report(args, where: str, rates: dict, ledger: dict, statement: dict,
           seconds: float) -> bool:
    print(f"\n== points benchmark, {datetime.now():%Y-%m-%d %H:%M}, {where}")
    print(f"synchronous_commit {'on' if args.durable else 'off'} for the benchmark database")
    print(f"postings: {args.postings:,} through the service and {args.postings:,} raw, "
          f"{args.workers} processes each, {args.rounds} alternating rounds, 1 point between "
          f"random pairs of {args.residents:,} accounts; whole run {seconds:.0f} s")
    for path, label in (("service", "service posting()"), ("raw", "raw SQL transfer ")):
        print(f"{label}: {rates[path + '_rate']:,.0f} postings/s; CPU per posting "
              f"{rates[path + '_client_us']:,.0f} us client + {rates[path + '_db_us']:,.0f} us "
              "database")
    print(f"ratio: {rates['ratio']:.2f} of the raw rate (by CPU per posting, client and "
          f"database together: {rates['cpu_ratio']:.2f})")
    print(f"ledger after the run: {ledger}")
    print(f"statement of a resident with {statement['entries']:,} entries "
          f"({args.requests} requests per page, Django test client, DEBUG off):")
    for label, page in statement["pages"].items():
        print(f"  {label:>6} page {page['page']:>4}: p50 {page['p50_ms']:.1f} ms, "
              f"p95 {page['p95_ms']:.1f} ms, {page['queries']} queries")
    checks = [(f">= {TARGET_RATIO:.2f} of the raw rate", rates["ratio"] >= TARGET_RATIO),
              ("ledger consistent after the run", ledger["ok"])]
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    return all(ok for _label, ok in checks)


def main() -> int:
    args = parse_args()
    where, started = machine(), time.perf_counter()
    dsn = recreate_database(args.pg, args.db, args.durable)
    env = django_env(dsn, Path(tempfile.mkdtemp(prefix="linli-bench-points-")))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**{k: v for k, v in os.environ.items() if not k.startswith("LINLI_")},
                        **env})
    use_django(env)
    seeded = seed(args.residents)
    print(f"seeded {args.residents} funded accounts; comparing ...", flush=True)
    profile_text = profile(seeded, args.profile) if args.profile else ""
    from django.db import connections

    connections.close_all()  # the workers open their own
    rates = compare(args, env, seeded["accounts"])
    fill_statement(seeded, args.entries)
    with psycopg.connect(dsn, autocommit=True) as conn:
        # What autovacuum does after a bulk load; the planner needs the table's size.
        conn.execute("VACUUM ANALYZE")
    statement = time_statement(seeded, args.requests)
    expected = args.residents + 2 * args.postings + args.entries + args.profile
    ledger = check_ledger(dsn, expected)
    print(profile_text)
    ok = report(args, where, rates, ledger, statement, time.perf_counter() - started)
    if args.json:
        args.json.write_text(json.dumps({"rates": rates, "ledger": ledger,
                                         "statement": statement, "machine": where,
                                         "args": {k: str(v) for k, v in vars(args).items()}},
                                        indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
