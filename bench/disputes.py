"""Disputes at district scale: registration, indicators, similar disputes and the list page
with a street's history of disputes, each against a baseline measured in the same run.

One street with `--communities` communities of `--grids` grids each, `--residents` registry
residents (through the people services), and a history of `--history` disputes over the
last two years (all grades and states, ~2 parties each: outsiders drawn from a pool of
people with the same keyed name/phone hashes the services write, and registry residents),
bulk-created. The history is loaded in two steps, H/10 then the rest, so every figure is
measured at a baseline and at H in one run:

1. `disputes.services.dispute_register` (grading with the repeat lookup by party keys) with
   an empty history and with H: median ms of `--registrations` registrations, SQL
   statements per registration, the ratio. Targets: ratio <= 2.0, statements independent of H.
2. `indicators.dispute_indicators` for the street leader over 12 months, at H/10 and at H:
   ms, statements, rows/second. Target: <= 2 s at H (expect about linear).
3. `similar.similar_to` for a freshly registered dispute, empty history and H. Target:
   <= 200 ms at H.
4. `selectors.dispute_list`, first page of 30 as the list page pages it (count + slice),
   without and with filters, at H/10 and H: ms and statements (no target; printed).

    .venv/bin/python bench/disputes.py                       # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/disputes.py
    .venv/bin/python bench/disputes.py --history 5000        # a quicker look
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_REGISTER_RATIO = 2.0
TARGET_INDICATORS_MS = 2000.0
TARGET_SIMILAR_MS = 200.0
PAGE = 30
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建国", "建华", "志强", "秀兰",
         "海燕", "文", "斌", "玉兰", "小红", "国庆", "春梅", "红霞", "德胜", "淑珍"]
SUMMARIES = [
    "楼上住户深夜噪音扰民，楼下住户多次协商未果", "邻居在楼道堆放杂物，影响通行引发争吵",
    "物业费收取标准有争议，业主拒交物业费", "小区停车位被长期占用，双方发生口角",
    "家庭成员因赡养老人问题发生矛盾", "夫妻因财产分割问题发生纠纷", "借款到期未还，债权人上门讨要",
    "装修公司拖欠工人工资，工人集体讨薪", "楼上漏水导致楼下天花板受损，赔偿协商不成",
    "宠物狗未拴绳吓到老人，双方争执", "空调外机噪音和滴水影响邻居休息", "租客与房东因押金退还发生争议",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=50_000, help="historical disputes (H)")
    parser.add_argument("--communities", type=int, default=4)
    parser.add_argument("--grids", type=int, default=6, help="grids per community")
    parser.add_argument("--residents", type=int, default=200, help="registry residents")
    parser.add_argument("--outsiders", type=int, default=20_000,
                        help="distinct outside parties the history draws from")
    parser.add_argument("--registrations", type=int, default=200,
                        help="timed registrations at each history size (median of these)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed runs of the indicators, similar and list reads (median)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL (dropped and recreated); default: SQLite in a "
                             "temporary directory")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    args, ignored = parser.parse_known_args()
    if ignored:
        print(f"(ignoring arguments for other benchmarks: {' '.join(ignored)})")
    return args


# --- setup --------------------------------------------------------------------------------

def recreate_postgres(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_env(url: str, data_dir: Path) -> dict[str, str]:
    env = {"DJANGO_SETTINGS_MODULE": "linli.settings", "LINLI_DEBUG": "0",
           "LINLI_DATA_DIR": str(data_dir), "LINLI_LOG_LEVEL": "WARNING"}
    if url:
        env["DATABASE_URL"] = url
    return env


def use_django(env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.startswith("LINLI_") or k == "DATABASE_URL"]:
        del os.environ[key]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(args) -> dict:
    """The street, its communities and grids (an estate and a building in each grid), the
    staff, and `--residents` residents through the people services."""
    from linli.accounts.models import Role, RoleAssignment, User
    from linli.orgs.models import AreaKind
    from linli.orgs.services import area_insert
    from linli.people.services import resident_create

    district = area_insert(kind=AreaKind.DISTRICT, name="江汉区", parent=None, code="420103")
    street = area_insert(kind=AreaKind.STREET, name="民族街道", parent=district,
                         code="420103001")
    places, grids = [], []
    for c in range(args.communities):
        community = area_insert(kind=AreaKind.COMMUNITY, name=f"第{c + 1}社区", parent=street,
                                code=f"420103001{c + 1:03d}")
        for g in range(args.grids):
            grid = area_insert(kind=AreaKind.GRID, name=f"{c + 1}-{g + 1}网格",
                               parent=community, code=f"{community.code}{g + 1:03d}")
            estate = area_insert(kind=AreaKind.ESTATE, name=f"{grid.name}小区", parent=grid)
            building = area_insert(kind=AreaKind.BUILDING, name="1栋", parent=estate)
            entrance = area_insert(kind=AreaKind.ENTRANCE, name="1单元", parent=building)
            grids.append(grid)
            places.append((community, grid, estate, building, entrance))
    staff = {}
    for role in (Role.LEADER, Role.DISPATCHER, Role.MEDIATOR):
        user = User.objects.create(username=f"bench_{role}", display_name=f"街道 {role}")
        RoleAssignment.objects.create(user=user, role=role, area=street)
        staff[role] = user
    rnd = random.Random("residents")
    residents = []
    for i in range(args.residents):
        community, grid, estate, building, entrance = places[i % len(places)]
        dwelling = area_insert(kind=AreaKind.DWELLING, name=f"{101 + i // len(places)}室",
                               parent=entrance)
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        residents.append(resident_create(actor=staff[Role.DISPATCHER], dwelling=dwelling,
                                         name=name, relation="head", tenure="owner").pk)
    return {"street": street, "places": places, "staff": staff, "residents": residents}


def outsider_pool(count: int) -> list[dict]:
    """Outside parties as the services store them (ciphertext and keyed hashes), made once:
    the history draws them again and again, as real repeat parties do."""
    from linli.people.services import identity_seal

    rnd = random.Random("outsiders")
    pool = []
    for _ in range(count):
        sealed = identity_seal(name=rnd.choice(SURNAMES) + rnd.choice(GIVEN),
                               phone=f"13{rnd.randrange(10**9):09d}")
        pool.append({"name_cipher": sealed.name_cipher, "name_hash": sealed.name_hash,
                     "phone_cipher": sealed.phone_cipher, "phone_hash": sealed.phone_hash})
    return pool


def _history_dispute(rnd: random.Random, world: dict, now: datetime, registrar):
    """One plausible past dispute: grade, state and timestamps consistent with each other."""
    from linli.disputes.models import Dispute, Grade, Kind, Source, State

    community, grid, estate, building, _entrance = rnd.choice(world["places"])
    place = rnd.choice([estate, building, grid])
    at = now - timedelta(seconds=rnd.randrange(730 * 86400))
    grade = rnd.choices([Grade.GREEN, Grade.YELLOW, Grade.RED], weights=[70, 24, 6])[0]
    state = rnd.choices(list(State), weights=[2, 3, 5, 30, 8, 6, 6, 40])[0]
    d = Dispute(community=community, grid=grid, area=place, area_path=place.path,
                kind=rnd.choice(list(Kind)), summary=rnd.choice(SUMMARIES),
                people_involved=rnd.choice([2, 2, 2, 3, 4, 6, 12, 35]),
                source=rnd.choice(list(Source)), registered_by=registrar, grade=grade,
                computed_grade=grade, grade_reasons=[], state=state, registered_at=at)
    if state != State.REGISTERED:
        d.accepted_at = at + timedelta(hours=rnd.randrange(1, 48))
        d.owner = registrar
    if state not in (State.REGISTERED, State.ACCEPTED):
        d.mediating_at = d.accepted_at + timedelta(days=rnd.randrange(0, 5))
    if state in (State.AGREED, State.WITHDRAWN, State.FAILED, State.REFERRED, State.CLOSED):
        d.ended_at = d.mediating_at + timedelta(days=rnd.randrange(1, 40))
        d.resolved = state in (State.AGREED, State.CLOSED) or (
            state == State.WITHDRAWN and rnd.random() < 0.5)
        if state == State.REFERRED:
            d.referred_at, d.resolved = d.ended_at, False
    if state == State.CLOSED:
        d.followed_up_at = d.closed_at = d.ended_at + timedelta(days=30)
    for name in ("accepted_at", "mediating_at", "ended_at", "referred_at", "followed_up_at",
                 "closed_at"):  # the recent ones ended no later than now
        if getattr(d, name) and getattr(d, name) > now:
            setattr(d, name, now)
    return d


def load_history(world: dict, count: int, pool: list[dict], seed_tag: str) -> float:
    """`count` disputes and their parties with bulk_create (not the services: the point is
    the size of the tables the services and reads meet). Returns seconds taken."""
    from django.db import transaction
    from django.utils import timezone

    from linli.disputes.models import Dispute, Party, PartyRole

    started = time.perf_counter()
    rnd = random.Random(seed_tag)
    now = timezone.now() - timedelta(days=1)
    registrar = world["staff"]["dispatcher"]
    for offset in range(0, count, 5000):
        with transaction.atomic():
            disputes = Dispute.objects.bulk_create(
                [_history_dispute(rnd, world, now, registrar)
                 for _ in range(min(5000, count - offset))])
            parties = []
            for d in disputes:
                for position in range(rnd.choice([2, 2, 2, 2, 3])):
                    role = PartyRole.APPLICANT if position == 0 else PartyRole.RESPONDENT
                    if rnd.random() < 0.2:
                        parties.append(Party(dispute=d, role=role, position=position,
                                             resident_id=world["residents"][
                                                 (d.pk * 7 + position) % len(
                                                     world["residents"])]))
                    else:
                        parties.append(Party(dispute=d, role=role, position=position,
                                             **rnd.choice(pool)))
            Party.objects.bulk_create(parties)
    return time.perf_counter() - started


def analyse() -> None:
    """On PostgreSQL, what autovacuum does after a bulk load (the planner needs the tables'
    sizes). SQLite gets nothing: Django never runs ANALYZE there, so neither do we."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- measuring ----------------------------------------------------------------------------

class Statements:
    """Counts the SQL statements run inside the block."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def timed(work, repeats: int) -> dict:
    """Median ms over `repeats` runs after one warm-up, and the statements of one run."""
    with Statements() as counted:
        result = work()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(1000 * (time.perf_counter() - started))
    return {"ms": statistics.median(times), "statements": counted.count, "result": result}


def registrations(world: dict, pool: list[dict], count: int, tag: str) -> dict:
    """`count` registrations by the street dispatcher, each with a registry resident and an
    outsider from the same pools as the history (so at H the repeat lookup finds matches)."""
    from linli.disputes.models import Kind, Source
    from linli.disputes.services.register import PartyInput, dispute_register
    from linli.people.models import Resident

    rnd = random.Random(tag)
    actor = world["staff"]["dispatcher"]
    names = _outsider_names(pool)
    times, statements, grades, last = [], [], {}, None
    residents = list(Resident.objects.filter(pk__in=world["residents"]).values_list(
        "pk", flat=True))
    parties: list = []
    for i in range(count + 1):  # the first warms up (imports, caches) and is not counted
        place = rnd.choice(world["places"])[3]
        if i % 2 == 0:  # every other one repeats the last pair: the repeat rule fires
            name, phone = names[rnd.randrange(len(names))]
            parties = [PartyInput(resident_id=rnd.choice(residents)),
                       PartyInput(role="respondent", name=name, phone=phone)]
        started = time.perf_counter()
        with Statements() as counted:
            last = dispute_register(actor=actor, area=place, kind=rnd.choice(list(Kind)),
                                    summary=rnd.choice(SUMMARIES), people_involved=2,
                                    source=Source.WALK_IN, parties=parties)
        if i == 0:
            continue
        times.append(1000 * (time.perf_counter() - started))
        statements.append(counted.count)
        grades[str(last.grade)] = grades.get(str(last.grade), 0) + 1
    return {"ms": statistics.median(times), "p95_ms": sorted(times)[int(0.95 * count)],
            "statements_median": statistics.median(statements),
            "statements_max": max(statements), "grades": grades, "last": last}


_NAMES: list[tuple[str, str]] = []


def _outsider_names(pool: list[dict]) -> list[tuple[str, str]]:
    """The pool's plain names and phones (decrypted once), for registering them again."""
    from linli.core.crypto import decrypt

    if not _NAMES:
        _NAMES.extend((decrypt(p["name_cipher"]), decrypt(p["phone_cipher"]))
                      for p in pool[:2000])
    return _NAMES


def reads(world: dict, dispute, repeats: int) -> dict:
    """Indicators over 12 months, similar disputes for `dispute`, and the list's first page
    without and with filters, as the street leader."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    from linli.disputes import indicators, similar
    from linli.disputes.models import Dispute, Grade
    from linli.disputes.selectors import DisputeFilters, dispute_list

    leader = world["staff"]["leader"]
    today = timezone.localdate()
    since = today - timedelta(days=365)

    def first_page(filters):
        page = Paginator(dispute_list(actor=leader, filters=filters), PAGE).page(1)
        return len(list(page.object_list)), page.paginator.count

    out = {"indicators": timed(lambda: indicators.dispute_indicators(
        actor=leader, since=since, until=today), repeats)}
    out["indicators"]["rows"] = out["indicators"].pop("result").total.registered
    out["similar"] = timed(lambda: len(similar.similar_to(actor=leader, dispute=dispute)),
                           repeats)
    filtered = {
        "none": DisputeFilters(),
        "open yellow/red": DisputeFilters(open=True, grade=[Grade.YELLOW, Grade.RED]),
        "grid + type + 3 months": DisputeFilters(
            grid_id=world["places"][0][1].pk, kind="neighbour",
            registered_since=today - timedelta(days=90)),
        "search words": DisputeFilters(search="噪音"),
    }
    for label, filters in filtered.items():
        out[f"list {label}"] = timed(lambda f=filters: first_page(f), repeats)
    out["disputes"] = Dispute.objects.count()
    return out


def figures_of(reads_out: dict) -> dict:
    return {k: ({kk: vv for kk, vv in v.items() if kk != "result"}
                if isinstance(v, dict) else v) for k, v in reads_out.items()}


# --- report -------------------------------------------------------------------------------

def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model}), load average "
            f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}")


def report(args, where: str, vendor: str, results: dict, seconds: float) -> bool:
    empty, full = results["register_empty"], results["register_full"]
    small, large = results["reads_small"], results["reads_full"]
    tenth = args.history // 10
    print(f"\n== disputes benchmark, {datetime.now():%Y-%m-%d %H:%M}, {vendor}")
    print(f"machine: {where} at start; {machine()} at the end; whole run {seconds:.0f} s")
    print(f"street of {args.communities} communities x {args.grids} grids, "
          f"{args.residents} residents, history loaded in {results['load_s']:.1f} s "
          f"({args.history:,} disputes with their parties)")
    ratio = full["ms"] / empty["ms"]
    print(f"1. registration (dispute_register, {args.registrations} each, median):")
    for label, r in (("empty history", empty), (f"H={args.history:,}", full)):
        print(f"   {label:>15}: {r['ms']:.1f} ms (p95 {r['p95_ms']:.1f}), "
              f"{r['statements_median']:.0f} statements (max {r['statements_max']}), "
              f"grades {r['grades']}")
    print(f"   ratio H / empty: {ratio:.2f}")
    ind_s, ind_l = small["indicators"], large["indicators"]
    print("2. indicators for the street leader, last 365 days (median of "
          f"{args.repeats}):")
    for label, r in ((f"H/10={tenth:,}", ind_s), (f"H={args.history:,}", ind_l)):
        print(f"   {label:>15}: {r['ms']:.1f} ms, {r['statements']} statements, "
              f"{r['rows']:,} disputes in the period, "
              f"{r['rows'] / (r['ms'] / 1000):,.0f} rows/s")
    print(f"   ratio H / (H/10): {ind_l['ms'] / ind_s['ms']:.1f} "
          f"(rows {ind_l['rows'] / max(1, ind_s['rows']):.1f}x)")
    sim_e, sim_l = results["similar_empty"], large["similar"]
    print("3. similar_to for a new dispute (median):")
    for label, r in (("empty history", sim_e), (f"H={args.history:,}", sim_l)):
        print(f"   {label:>15}: {r['ms']:.1f} ms, {r['statements']} statements")
    print(f"4. list, first page of {PAGE} (count + page), as the street leader (median):")
    for key in [k for k in large if k.startswith("list ")]:
        s, r = small[key], large[key]
        print(f"   {key[5:]:>24}: H/10 {s['ms']:.1f} ms, H {r['ms']:.1f} ms, "
              f"{r['statements']} statements, {r['result'][1]:,} matching at H")
    checks = [
        (f"registration ratio <= {TARGET_REGISTER_RATIO}", ratio <= TARGET_REGISTER_RATIO),
        ("registration statements independent of H",
         full["statements_max"] == empty["statements_max"]),
        (f"indicators at H <= {TARGET_INDICATORS_MS:.0f} ms",
         ind_l["ms"] <= TARGET_INDICATORS_MS),
        (f"similar_to at H <= {TARGET_SIMILAR_MS:.0f} ms", sim_l["ms"] <= TARGET_SIMILAR_MS),
    ]
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    return all(ok for _label, ok in checks)


def main() -> int:
    args = parse_args()
    where, started = machine(), time.perf_counter()
    if args.database_url:
        recreate_postgres(args.database_url)
    env = django_env(args.database_url, Path(tempfile.mkdtemp(prefix="linli-bench-disp-")))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**{k: v for k, v in os.environ.items()
                           if not k.startswith("LINLI_") and k != "DATABASE_URL"}, **env})
    use_django(env)
    from django.db import connection

    world = seed(args)
    pool = outsider_pool(args.outsiders)
    print(f"seeded the street and {args.outsiders:,} outside parties; measuring ...",
          flush=True)
    results = {"register_empty": registrations(world, pool, args.registrations, "empty")}
    from linli.disputes.similar import similar_to

    results["similar_empty"] = timed(lambda: len(similar_to(
        actor=world["staff"]["leader"], dispute=results["register_empty"]["last"])),
        args.repeats)
    tenth = args.history // 10
    load_s = load_history(world, tenth, pool, "history-1")
    analyse()
    results["reads_small"] = reads(world, results["register_empty"]["last"], args.repeats)
    print(f"measured at H/10 = {tenth:,}; loading the rest ...", flush=True)
    load_s += load_history(world, args.history - tenth, pool, "history-2")
    analyse()
    results["load_s"] = load_s
    results["register_full"] = registrations(world, pool, args.registrations, "full")
    results["reads_full"] = reads(world, results["register_full"]["last"], args.repeats)
    ok = report(args, where, connection.vendor, results, time.perf_counter() - started)
    print(f"(the database and its data directory are left in {env['LINLI_DATA_DIR']})")
    if args.json:
        out = {k: figures_of(v) if isinstance(v, dict) else v for k, v in results.items()}
        for key in ("register_empty", "register_full"):
            out[key].pop("last", None)
        args.json.write_text(json.dumps({"results": out, "machine": where,
                                         "database": connection.vendor,
                                         "args": {k: str(v) for k, v in vars(args).items()}},
                                        indent=2, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
