"""Reading daily reports, scoped to who asks: a grid worker reads their own, overseers
(dispatchers, leaders) the reports of their areas. The day's overview and the month's rates
list every grid worker of a community, reported or not.

Reporting days are working days (core.workcalendar, statutory holidays and make-up days
included): a month's rate is the working days with a report over the working days of the
month so far. A report filed on a weekend or holiday is kept and listed, but counts in
neither figure, so a rate never passes 100 %.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import RoleAssignment, User
from linli.core.crypto import mask_name
from linli.core.errors import NotFound, PermissionDenied
from linli.core.workcalendar import is_workday
from linli.dailyreports import permissions
from linli.dailyreports.models import DailyReport
from linli.orgs.models import Area, AreaKind
from linli.people.models import CarePlan
from linli.people.selectors import care_plan_list, resident_list


def worker_grids(actor) -> list[Area]:
    """The grids the actor patrols as a grid worker."""
    if not permissions.is_worker(actor):
        return []
    return list(Area.objects.filter(kind=AreaKind.GRID).filter(
        scope.scope_q(actor, roles=[permissions.WORKER], area_field="")).order_by("path"))


def report_of_day(*, actor, day: date) -> DailyReport | None:
    """The actor's own report of `day`, with its items."""
    return (DailyReport.objects.filter(worker=actor, day=day).select_related("grid")
            .prefetch_related("items__case", "items__dispute", "items__visit__resident")
            .first())


def _readable_q(actor) -> Q:
    own = Q(worker_id=actor.pk)
    if permissions.is_overseer(actor):
        return own | scope.scope_q(actor, roles=permissions.OVERSEERS, path_field="area_path")
    return own


def _check_reader(actor) -> None:
    if not (permissions.is_worker(actor) or permissions.is_overseer(actor)):
        raise PermissionDenied(_("Daily reports are for grid workers, dispatchers and "
                                 "leaders."), code="not_staff")


def report_get(*, actor, report_id: int) -> DailyReport:
    _check_reader(actor)
    report = (DailyReport.objects.filter(_readable_q(actor), pk=report_id)
              .select_related("grid", "community", "worker")
              .prefetch_related("items__case", "items__dispute", "items__visit__resident")
              .first())
    if report is None:
        raise NotFound(_("No such daily report in your areas."))
    return report


@dataclass(frozen=True)
class ReportFilters:
    community_id: int | None = None
    grid_id: int | None = None
    worker_id: int | None = None
    since: date | None = None
    until: date | None = None
    workdays_only: bool = False  # what the month view counts


def report_list(*, actor, filters: ReportFilters = ReportFilters()) -> QuerySet[DailyReport]:
    """Reports the actor may read, newest day first."""
    _check_reader(actor)
    qs = DailyReport.objects.filter(_readable_q(actor)).select_related("grid", "worker")
    f = filters
    for field, value in (("community_id", f.community_id), ("grid_id", f.grid_id),
                         ("worker_id", f.worker_id), ("day__gte", f.since),
                         ("day__lte", f.until)):
        if value is not None:
            qs = qs.filter(**{field: value})
    if f.workdays_only:
        if f.since is None or f.until is None or (f.until - f.since).days > 366:
            qs = qs.none()  # bounded: the month view's links always name both ends
        else:
            qs = qs.filter(day__in=working_days(f.since, f.until))
    return qs.annotate(item_count=Count("items")).order_by("-day", "grid__path", "id")


# --- the community's view ---------------------------------------------------------------

def communities_overseen(actor) -> list[Area]:
    return list(Area.objects.filter(kind=AreaKind.COMMUNITY).filter(
        scope.scope_q(actor, roles=permissions.OVERSEERS, area_field="")).order_by("path"))


def community_get(*, actor, community_id: int | None) -> Area:
    """A community the actor oversees (the first one when none is named). A resident or a
    grid worker is refused (403); a community outside the actor's areas is not found."""
    if not permissions.is_overseer(actor):
        raise PermissionDenied(_("Only dispatchers and leaders see the community's daily "
                                 "reports."), code="not_overseer")
    communities = communities_overseen(actor)
    if community_id is None and communities:
        return communities[0]
    found = next((c for c in communities if c.pk == community_id), None)
    if found is None:
        raise NotFound(_("No such community in your areas."))
    return found


def grid_workers(community: Area) -> list[tuple[Area, list[User]]]:
    """Each grid of the community with the grid workers assigned to it (every grid listed,
    a grid without a worker too)."""
    grids = list(Area.objects.filter(kind=AreaKind.GRID, path__startswith=community.path)
                 .order_by("path"))
    workers: dict[int, list[User]] = {g.pk: [] for g in grids}
    for a in (RoleAssignment.objects.filter(role=permissions.WORKER, area__in=grids,
                                            user__is_active=True)
              .select_related("user").order_by("user__username")):
        workers[a.area_id].append(a.user)
    return [(g, workers[g.pk]) for g in grids]


@dataclass(frozen=True)
class WorkerDay:
    worker: User
    report: DailyReport | None


@dataclass(frozen=True)
class GridDay:
    grid: Area
    workers: list[WorkerDay]

    @property
    def reported(self) -> int:
        return sum(1 for w in self.workers if w.report is not None)


def day_overview(*, actor, community: Area, day: date) -> list[GridDay]:
    """Who has and has not reported on `day`, per grid of the community."""
    rows = grid_workers(community)
    ids = {u.pk for _grid, users in rows for u in users}
    reports = {r.worker_id: r for r in DailyReport.objects.filter(worker_id__in=ids, day=day)
               .annotate(item_count=Count("items")).select_related("grid")}
    return [GridDay(grid, [WorkerDay(u, reports.get(u.pk)) for u in users])
            for grid, users in rows]


def working_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if is_workday(first + timedelta(days=n))]


def month_span(month: date, today: date) -> tuple[date, date]:
    """The month's first day and its last day so far (the day before the first when the
    month has not begun)."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, today) if today >= first else first - timedelta(days=1)


@dataclass(frozen=True)
class MonthRate:
    worker: User
    grid: Area
    reported: int   # working days with a report for this grid
    working: int    # working days of the month so far

    @property
    def rate(self) -> Decimal | None:
        """Per cent, one decimal; None before the month has a working day."""
        if not self.working:
            return None
        return (Decimal(100 * self.reported) / self.working).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_rates(*, actor, community: Area, month: date, today: date | None = None
                ) -> tuple[tuple[date, date], list[MonthRate]]:
    """Per grid worker and grid of the community: working days reported / working days of
    the month so far."""
    today = today or timezone.localdate()
    first, last = month_span(month, today)
    days = working_days(first, last) if last >= first else []
    rows = grid_workers(community)
    counts = {(c["worker_id"], c["grid_id"]): c["n"] for c in DailyReport.objects.filter(
        community=community, day__in=days).values("worker_id", "grid_id").annotate(
        n=Count("id"))}
    return (first, last), [MonthRate(u, g, counts.get((u.pk, g.pk), 0), len(days))
                           for g, users in rows for u in users]


def care_plans_of(*, actor) -> QuerySet[CarePlan]:
    """The care plans the actor is responsible for: the residents a visit item may name."""
    return care_plan_list(actor=actor, mine=True)


PLACE_KINDS = (AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING)


def place_choices(grid: Area) -> list[tuple[Area, str]]:
    """Where in the grid an item may be placed: the grid, its estates and buildings."""
    areas = list(Area.objects.filter(path__startswith=grid.path, kind__in=PLACE_KINDS)
                 .order_by("path"))
    names = {a.pk: a.name for a in areas}
    return [(a, " ".join(names.get(i, "") for i in a.ancestor_ids[grid.depth + 1:]
                         if i in names) or a.name) for a in areas]


MAX_PARTY_CHOICES = 300


def party_choices(*, actor, grid: Area) -> list[tuple[int, str]]:
    """Registry residents of the grid a conflict sign may name as parties, names masked
    (张*兰), with their dwelling; the first few hundred, by dwelling."""
    residents = (resident_list(actor=actor).filter(area_path__startswith=grid.path,
                                                   anonymised_at__isnull=True)
                 .order_by("area_path", "id")[:MAX_PARTY_CHOICES])
    return [(r.pk, f"{mask_name(r.name)} · {r.household.dwelling.name}") for r in residents]


def care_choices(*, actor) -> list[tuple[int, str]]:
    """The residents of the actor's care plans, names masked (张*兰), with their dwelling."""
    return [(plan.resident_id, f"{mask_name(plan.resident.name)} · "
             f"{plan.resident.household.dwelling.name}")
            for plan in care_plans_of(actor=actor)]
