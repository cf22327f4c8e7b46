"""Where one report's time goes: the same POST /api/cases as the load test, made in this
process through Django's WSGI handler (no HTTP server, one thread), under cProfile, with
every SQL statement counted. Run by `bench/intake.py --profile N` in the benchmark's
environment (DATABASE_URL, LINLI_BROKER_URL ... set by the caller)."""

import argparse
import cProfile
import io
import json
import os
import pstats
import time
import uuid
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


class QueryLog:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)


def _post(client: Client, reporter: dict, category: str, n: int) -> int:
    body = {"category": category, "area_id": reporter["area_id"], "title": "楼道灯不亮",
            "description": f"性能剖析上报第{n}条：楼道灯不亮，请尽快处理。"}
    response = client.post("/api/cases", data=json.dumps(body), content_type="application/json",
                            headers={"Authorization": f"Bearer {reporter['token']}",
                                     "Idempotency-Key": f"profile-{uuid.uuid4().hex}"})
    return response.status_code


def _backend_cpu(db: str) -> float:
    """CPU seconds of the PostgreSQL backends serving `db` (same machine only)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit() or f" {db} ".encode() not in (
                    entry / "cmdline").read_bytes().replace(b"\0", b" "):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _measured(client, reporter, category, count: int, first: int) -> tuple[float, ...]:
    """Wall, Python CPU and PostgreSQL CPU per report, in ms, over `count` reports."""
    db = connection.settings_dict["NAME"]
    wall, cpu, db_cpu = time.perf_counter(), time.process_time(), _backend_cpu(db)
    for n in range(count):
        assert _post(client, reporter, category, first + n) == 201
    return tuple(1000 * (after - before) / count for before, after in (
        (wall, time.perf_counter()), (cpu, time.process_time()), (db_cpu, _backend_cpu(db))))


def _timed(client, reporter, category, count: int) -> None:
    wall, cpu, db_cpu = _measured(client, reporter, category, count, 100_000)
    print(f"{wall:.2f} ms per report in one thread without the profiler; CPU: "
          f"{cpu:.2f} ms in Django (psycopg, Celery publish; no HTTP server), "
          f"{db_cpu:.2f} ms in PostgreSQL")


def _pipeline_compared(client, reporter, category, count: int, rounds: int) -> None:
    """The report with core.db.pipelined and without it (the block made a no-op), in turns,
    so that the machine's drift moves both alike."""
    from contextlib import nullcontext

    import linli.cases.services.report as report
    from linli.core.db import Pipeline, pipelined

    def off(using: str = "default"):
        return nullcontext(Pipeline())

    figures: dict[str, list[tuple[float, ...]]] = {"on": [], "off": []}
    for r in range(rounds):
        for name, block in (("on", pipelined), ("off", off)):
            report.pipelined = block  # type: ignore[assignment]
            first = 400_000 + (2 * r + (name == "off")) * count
            figures[name].append(_measured(client, reporter, category, count, first))
        on, off_ = figures["on"][-1], figures["off"][-1]
        print(f"round {r + 1}: pipeline on {on[0]:.2f} ms wall, {on[1]:.2f} Python, "
              f"{on[2]:.2f} PostgreSQL; off {off_[0]:.2f}, {off_[1]:.2f}, {off_[2]:.2f}")
    report.pipelined = pipelined
    faster = sum(a[0] < b[0] for a, b in zip(figures["on"], figures["off"], strict=True))
    print(f"pipeline on: lower wall time per report in {faster} of {rounds} rounds")


def _profiled(client, reporter, category, args) -> None:
    # CPU time, not wall time: on a shared machine the wall clock mostly measures waiting.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(args.count):
        assert _post(client, reporter, category, 200_000 + n) == 201
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    print(f"{stats.total_calls // args.count} Python function calls per report "
          "(a load-independent measure of the work)")
    stats.sort_stats(args.sort).print_stats(*([args.filter] if args.filter else []), args.top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime")
    parser.add_argument("--filter", default="", help="only functions whose path matches")
    parser.add_argument("--pipeline-rounds", type=int, default=0, metavar="R",
                        help="also compare the report with and without core.db.pipelined, "
                        "R rounds of --count reports each, taken in turn")
    args = parser.parse_args()
    with open(args.fixture) as handle:
        spec = json.load(handle)
    reporter, category = spec["reporters"][0], spec["categories"][0]
    client = Client(HTTP_HOST="127.0.0.1")
    for n in range(20):  # warm caches, connections, imports
        assert _post(client, reporter, category, n) == 201
    log = QueryLog()
    with connection.execute_wrapper(log):
        assert _post(client, reporter, category, -1) == 201
    print(f"{len(log.statements)} SQL statements per report:")
    for statement in log.statements:
        print("   ", statement[:150])
    _timed(client, reporter, category, args.count)
    if args.pipeline_rounds:
        _pipeline_compared(client, reporter, category, args.count, args.pipeline_rounds)
    _profiled(client, reporter, category, args)


if __name__ == "__main__":
    main()
