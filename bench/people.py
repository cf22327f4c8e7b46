"""People benchmark: import 100,000 residents from an xlsx file, and look one resident up by
ID number among 1,000,000, on PostgreSQL.

(a) Import. A workbook of valid residents in households (openpyxl write-only mode, the
    layout of linli/people/sheet.py) is imported through the upload path of the pages:
    `imports.import_job_create` stores it and queues the job, which without a broker runs
    in-process right after commit (`import_job_run` -> `resident_import`): every row read
    and checked (checksum, dwelling and scope, households, duplicates in the file and the
    database), then households and residents written with bulk_create in one transaction,
    each ID number and phone encrypted with AES-GCM and hashed. Target: <= 60 s.
(b) Lookup. 1,000,000 more residents are COPYed in (bench/_people_copy.py: ciphertext and
    keyed hashes from the same crypto functions, made by worker processes), the table is
    analysed, and 1,000 random residents are looked up by ID number as a dispatcher through
    `selectors.resident_by_id_number` (scope + keyed hash -> indexed column), with the
    actor's role assignments loaded once as in a request; the same SQL is also timed alone.
    Target: p95 <= 5 ms.

    .venv/bin/python bench/people.py                      # both parts
    .venv/bin/python bench/people.py --residents 200000   # a smaller lookup table
    .venv/bin/python bench/people.py --profile            # also: cProfile of the import
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import _people_lookup  # noqa: E402 (needs the path above)

TARGET_IMPORT_S = 60.0
TARGET_P95_MS = 5.0
COMMUNITY = ("江汉区", "420103", "民族街道", "420103002", "花楼社区", "420103002001")
DWELLINGS_PER_ENTRANCE = 12
FIELD_KEY = "linli-bench-people-not-a-secret"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="residents in the xlsx")
    parser.add_argument("--residents", type=int, default=1_000_000,
                        help="residents COPYed in for the lookups")
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="processes making ciphertext for the COPY")
    parser.add_argument("--pg", default=os.environ.get(
        "BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="linli_bench_people")
    parser.add_argument("--profile", action="store_true", help="cProfile the import")
    parser.add_argument("--part", choices=["both", "import", "lookup"], default="both",
                        help="lookup: reuse the database a previous run left")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    args, _unknown = parser.parse_known_args()  # run_all.py passes other benchmarks' flags
    return args


# --- set-up -------------------------------------------------------------------------------

def recreate_database(pg: str, name: str) -> str:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def django_setup(dsn: str, work: Path) -> None:
    for key in [k for k in os.environ if k.startswith("LINLI_")]:
        del os.environ[key]
    # A fixed field key, so that `--part lookup` can reuse an earlier run's ciphertext.
    os.environ.update({"DJANGO_SETTINGS_MODULE": "linli.settings", "DATABASE_URL": dsn,
                       "LINLI_DATA_DIR": str(work), "LINLI_DEBUG": "0",
                       "LINLI_LOG_LEVEL": "WARNING", "LINLI_FIELD_KEY": FIELD_KEY})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def tree_csv(dwellings: int) -> bytes:
    """An area file for one community with enough dwellings (12 per entrance)."""
    district, district_code, street, street_code, community, community_code = COMMUNITY
    lines = ["区县,区县编码,街道,街道编码,社区,社区编码,网格,网格编码,小区,楼栋,单元,房屋"]
    for n in range(dwellings):
        entrance, door = divmod(n, DWELLINGS_PER_ENTRANCE)
        building, unit = divmod(entrance, 2)
        estate, block = divmod(building, 20)
        grid = estate // 10
        lines.append(f"{district},{district_code},{street},{street_code},{community},"
                     f"{community_code},第{grid + 1}网格,{community_code}{grid + 1:03d},"
                     f"小区{estate + 1},{block + 1}栋,{unit + 1}单元,"
                     f"{door // 2 + 1}0{door % 2 + 1}")
    return ("\n".join(lines) + "\n").encode()


def make_world(rows: int):
    """The admin who imports the tree, and the community's dispatcher who imports people."""
    from linli.accounts.models import Role, RoleAssignment, User
    from linli.orgs.imports import area_tree_import
    from linli.orgs.models import Area, AreaKind

    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    started = time.perf_counter()
    area_tree_import(actor=admin, filename="tree.csv", content=tree_csv(rows // 2 + 1))
    tree_s = time.perf_counter() - started
    community = Area.objects.get(kind=AreaKind.COMMUNITY)
    dispatcher = User.objects.create(username="bench-dispatcher")
    RoleAssignment.objects.create(user=dispatcher, role=Role.DISPATCHER, area=community)
    return dispatcher, community, tree_s


# --- (a) the import ---------------------------------------------------------------------------

def dwelling_places() -> list[list[str]]:
    """The six place cells (社区 .. 房屋) of every dwelling, in tree order."""
    from linli.orgs.models import Area, AreaKind

    names = dict(Area.objects.values_list("id", "name"))
    out = []
    for path in Area.objects.filter(kind=AreaKind.DWELLING).order_by("id").values_list(
            "path", flat=True):
        out.append([names[int(i)] for i in path.strip("/").split("/")[2:]])
    return out


def workbook(rows: int, path: Path) -> None:
    """`rows` valid residents, two per dwelling (a head and a spouse or child)."""
    from _people_copy import id_number, phone
    from openpyxl import Workbook

    from linli.people.sheet import HEADERS

    places = dwelling_places()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("居民")
    sheet.append(HEADERS)
    moved_in = date(2005, 6, 1)
    for i in range(rows):
        place = places[i // 2]
        head = f"户主{i // 2}"
        relation, name = ("户主", head) if i % 2 == 0 else (("配偶", "子女")[i % 4 // 2],
                                                          f"居民{i}")
        number = id_number(i, area="420102")
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        sheet.append([*place, head, relation, name, number, phone(50_000_000 + i) if i % 3
                      else "", born.isoformat(), "", "产权", max(moved_in, born), None])
    book.save(path)


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, to show how saturated it was."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _watch_writing(marks: dict) -> None:
    """Note when the job starts writing (measurement only: the job's own progress hook)."""
    from linli.people import imports as importing

    original = importing._Recorder.__call__

    def recording(self, done: int, total: int) -> None:
        if done < 0:
            marks["writing"] = time.perf_counter()
        original(self, done, total)

    importing._Recorder.__call__ = recording  # type: ignore[method-assign]


def run_import(dispatcher, path: Path, profile: bool) -> dict:
    from linli.people.imports import import_job_create
    from linli.people.models import ImportJob

    content = path.read_bytes()
    profiler = cProfile.Profile() if profile else None
    marks: dict = {}
    _watch_writing(marks)
    busy, total = cpu_times()
    cpu, started = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    job = import_job_create(actor=dispatcher, filename="residents.xlsx", content=content)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    busy2, total2 = cpu_times()
    job = ImportJob.objects.get(pk=job.pk)
    if job.state != "done":
        raise SystemExit(f"import {job.state}: {job.message} {job.errors[:5]}")
    out = {"rows": job.rows_total, "residents": job.residents_created,
           "households": job.households_created, "seconds": seconds,
           "check_s": marks.get("writing", started) - started,
           "write_s": started + seconds - marks.get("writing", started),
           "cpu_s": cpu, "machine_busy": (busy2 - busy) / max(total2 - total, 1),
           "rows_per_s": job.rows_total / seconds, "file_mb": len(content) / 1e6}
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        out["profile"] = text.getvalue()
    return out


# --- (b) the lookups --------------------------------------------------------------------------

def load_residents(dsn: str, count: int, workers: int) -> float:
    from _people_copy import load
    from django.conf import settings

    from linli.orgs.models import Area, AreaKind

    dwellings = list(Area.objects.filter(kind=AreaKind.DWELLING).order_by("id").values_list(
        "id", "path"))
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        load(conn, count=count, offset=0, dwellings=dwellings,
             secret=settings.FIELD_ENCRYPTION_KEY, workers=workers,
             stamp=datetime.now().astimezone().isoformat())
        conn.execute("ANALYZE people_household")
        conn.execute("ANALYZE people_resident")
        conn.commit()
    return time.perf_counter() - started


# --- report -----------------------------------------------------------------------------------

def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model}), load average at start "
            f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")


def verdicts(f: dict) -> list[tuple[str, bool]]:
    out = []
    if "import" in f:
        out.append((f"import of {f['import']['rows']:,} rows <= {TARGET_IMPORT_S:.0f} s",
                    f["import"]["seconds"] <= TARGET_IMPORT_S))
    if "lookup" in f:
        out.append((f"lookup p95 <= {TARGET_P95_MS:.0f} ms among {f['table_rows']:,} "
                    "residents", f["lookup"]["p95_ms"] <= TARGET_P95_MS
                    and f["lookup"]["missing"] == 0))
    return out


def print_import(f: dict) -> None:
    imp = f["import"]
    print(f"set-up: area tree of {f['dwellings']:,} dwellings imported in {f['tree_s']:.1f} s; "
          f"workbook written in {f['workbook_s']:.1f} s ({imp['file_mb']:.1f} MB)")
    print(f"import: {imp['rows']:,} rows -> {imp['residents']:,} residents in "
          f"{imp['households']:,} households in {imp['seconds']:.1f} s "
          f"({imp['rows_per_s']:,.0f} rows/s): reading and checking {imp['check_s']:.1f} s, "
          f"writing {imp['write_s']:.1f} s; the import process used {imp['cpu_s']:.1f} s of "
          f"CPU; machine {100 * imp['machine_busy']:.0f}% busy")


def print_lookup(f: dict) -> None:
    look, db = f["lookup"], f["lookup"]["database"]
    if "copy_s" in f:
        print(f"load: {f['copied']:,} residents COPYed in {f['copy_s']:.1f} s "
              f"({f['copied'] / f['copy_s']:,.0f} rows/s, {f['workers']} worker processes)")
    print(f"lookup by ID number among {f['table_rows']:,} residents, {look['lookups']} random "
          f"lookups: p50 {look['p50_ms']:.2f} ms, p95 {look['p95_ms']:.2f} ms, "
          f"p99 {look['p99_ms']:.2f} ms, max {look['max_ms']:.1f} ms; {look['missing']} missing;"
          f" machine {100 * look['machine_busy']:.0f}% busy")
    print(f"  CPU per lookup: {look['python_cpu_ms']:.2f} ms in Django, "
          f"{look['database_cpu_ms']:.2f} ms in the PostgreSQL backend")
    print(f"  of which the SQL alone: p50 {db['p50_ms']:.2f} ms, p95 {db['p95_ms']:.2f} ms, "
          f"p99 {db['p99_ms']:.2f} ms")
    print("plan:\n  " + f["plan"].replace("\n", "\n  "))


def print_report(f: dict) -> None:
    print(f"\n== people benchmark, {datetime.now():%Y-%m-%d %H:%M}, {f['machine']}")
    if "import" in f:
        print_import(f)
    if "lookup" in f:
        print_lookup(f)
    for label, ok in verdicts(f):
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")


def part_import(args, f: dict, work: Path) -> None:
    dispatcher, _community, f["tree_s"] = make_world(args.rows)
    f["dwellings"] = args.rows // 2 + 1
    started = time.perf_counter()
    workbook(args.rows, work / "residents.xlsx")
    f["workbook_s"] = time.perf_counter() - started
    f["import"] = run_import(dispatcher, work / "residents.xlsx", args.profile)


def part_lookup(args, f: dict, dsn: str, fresh: bool) -> None:
    from _people_copy import id_number

    from linli.accounts.models import User
    from linli.people.models import Resident

    if fresh:
        f["copy_s"] = load_residents(dsn, args.residents, args.workers)
        f["copied"], f["workers"] = args.residents, args.workers
    dispatcher = User.objects.get(username="bench-dispatcher")
    f["table_rows"] = Resident.objects.count()
    busy, total = cpu_times()
    f["lookup"] = _people_lookup.run_lookups(dispatcher, args.residents, args.lookups)
    busy2, total2 = cpu_times()
    f["lookup"]["machine_busy"] = (busy2 - busy) / max(total2 - total, 1)
    f["plan"] = _people_lookup.explain(id_number(12345 % args.residents), dispatcher)


def main() -> int:
    args = parse_args()
    f: dict = {"machine": machine()}
    work = Path(tempfile.mkdtemp(prefix="linli-bench-people-"))
    if args.part == "lookup":
        dsn = f"{args.pg}/{args.db}"
        django_setup(dsn, work)
    else:
        dsn = recreate_database(args.pg, args.db)
        django_setup(dsn, work)
        part_import(args, f, work)
    if args.part != "import":
        part_lookup(args, f, dsn, fresh=args.part == "both")
    print(f.get("import", {}).pop("profile", ""))
    print_report(f)
    if args.json:
        args.json.write_text(json.dumps(f, indent=2, default=str))
    return 0 if all(ok for _label, ok in verdicts(f)) else 1


if __name__ == "__main__":
    sys.exit(main())
