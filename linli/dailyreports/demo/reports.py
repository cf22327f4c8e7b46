"""A month of daily reports for every grid worker of the demo, up to yesterday (today is
left for the person trying the demo to file).

Fast: the plain days ("nothing to report" or a patrol without items) are written in bulk.
The items that raise something go through the real service, with the clock set to their
day, so their cases and disputes are what a working grid would have: a few per community.
Each worker misses some days, so the month view's rates differ.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from linli.accounts.models import Role, RoleAssignment
from linli.cases.models import Category
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.core.workcalendar import is_workday
from linli.dailyreports import services
from linli.dailyreports.models import DailyReport, Item, ItemKind
from linli.dailyreports.services import ConflictIn, PartyInput, ProblemIn
from linli.disputes.models import Kind, PartyRole
from linli.orgs.models import Area, AreaKind

SEED = 13
DAYS = 30
MISS = 0.12     # the share of working days a worker does not report
ROUTES = ["沿小区主干道巡查一圈，重点看楼道和消防通道", "走访沿街商铺，查看垃圾分类",
          "巡查楼栋外立面和电动车停放", "夜间巡查路灯和监控", "检查高空抛物隐患点"]
PROBLEMS = ["楼道堆放杂物，堵塞消防通道", "小区路灯不亮，夜间出行不便", "绿化带有积存垃圾"]
CONFLICTS = [(Kind.NEIGHBOUR, "楼上装修噪音，楼下多次交涉未果，双方情绪激动", 2,
              ["周建华", "吴丽娟"]),
             (Kind.PROPERTY, "业主与物业因停车费上涨发生争执，聚集多人", 6,
              ["陈志强", "花楼物业服务中心"])]


def demo_present() -> bool:
    return DailyReport.objects.exists()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _workers() -> list[tuple]:
    """(worker, grid) of every grid-level assignment, in a stable order."""
    return [(a.user, a.area) for a in RoleAssignment.objects.filter(
        role=Role.GRID_WORKER, area__kind=AreaKind.GRID, user__is_active=True)
        .select_related("user", "area").order_by("area__path", "user__username")]


def _building(grid: Area) -> Area:
    return Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=grid.path
                               ).order_by("path").first() or grid


def _raised(rng: random.Random, workers: list[tuple], days: list[date]) -> set[tuple]:
    """A problem and a conflict sign per community's first worker, through the service on
    days of the month; returns the (worker, day) pairs they filed."""
    category = (Category.objects.filter(is_active=True, parent__isnull=False)
                .exclude(triage="").order_by("code").first())
    done: set[tuple] = set()
    seen: set[int] = set()
    for n, (worker, grid) in enumerate(workers):
        community = grid.parent_id
        if community in seen or category is None:
            continue
        seen.add(community)
        place = _building(grid)
        day = days[-(3 + n % 4)]
        services.item_add(actor=worker, day=day, grid=grid, now=_at(day, 10),
                          details=ProblemIn(category=category, area=place,
                                            description=rng.choice(PROBLEMS)))
        kind, summary, people, names = CONFLICTS[len(seen) % len(CONFLICTS)]
        services.item_add(actor=worker, day=day, now=_at(day, 15), details=ConflictIn(
            kind=kind, area=place, summary=summary, people_involved=people,
            parties=[PartyInput(role=PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT,
                                name=name) for i, name in enumerate(names)]))
        services.daily_report_save(actor=worker, grid=grid, day=day, patrol_done=True,
                                   route_notes=rng.choice(ROUTES), now=_at(day, 17))
        done.add((worker.pk, day))
    return done


def demo_daily_reports(today: date | None = None) -> int:
    """The reports of the last month's working days; returns how many were written."""
    rng = random.Random(SEED)
    today = today or timezone.localdate()
    days = [today - timedelta(days=n) for n in range(DAYS, 0, -1)
            if is_workday(today - timedelta(days=n))]
    workers = _workers()
    if not days or not workers:
        return 0
    with tasks_muted():
        filed = _raised(rng, workers, days)
    reports = [DailyReport(worker=worker, grid=grid, community_id=grid.parent_id,
                           area_path=grid.path, day=day, patrol_done=rng.random() > 0.05,
                           route_notes=rng.choice(ROUTES))
               for worker, grid in workers for day in days
               if (worker.pk, day) not in filed and rng.random() > MISS]
    DailyReport.objects.bulk_create(reports, batch_size=500)
    saved = DailyReport.objects.filter(day__in=days).exclude(items__isnull=False)
    Item.objects.bulk_create([Item(report=r, kind=ItemKind.NOTHING) for r in saved],
                             batch_size=500)
    return len(reports) + len(filed)


def demo_step_daily_reports(demo: DemoContext) -> None:
    demo_daily_reports()


DEMO_STEPS = [(75, demo_step_daily_reports)]
