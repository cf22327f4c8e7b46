"""Dispute indicators (DESIGN.md §6) and the map of open yellow and red disputes.

化解率 = resolved / registered, over the disputes *registered* in the period (or in a
month, for the month rows): the denominator of a month is the disputes registered that
month, and its numerator those of them that are resolved now (`Dispute.resolved`, set
when a mediation ends in an agreement), whenever that happened. So a month's rate can
still rise while its disputes are mediated, and each figure is exactly the list behind
it: registered in the month (`since`/`until`), and of those `resolved=1`.

The average time to resolution counts working days (the working calendar: weekends and
statutory holidays do not count) from registration to the end of the mediation
(`ended_at`) of each resolved dispute, a working day being one day of working hours.

Rows are read through `selectors.dispute_list` with the list's own filters, so scope and
rows are the list's, and every figure links to /disputes/?<the same filters>.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.workcalendar import hours_per_day, working_hours_between
from linli.disputes.models import LEVELS, Dispute, Grade, Kind
from linli.disputes.selectors import DisputeFilters, dispute_list
from linli.disputes.transitions import OPEN
from linli.orgs.models import Area
from linli.orgs.shapes import area_positions

ONE_DECIMAL = Decimal("0.1")
MAP_GRADES = (Grade.YELLOW, Grade.RED)
MAP_LIMIT = 2000  # markers on one map; the page says when there are more
MAX_DAYS = 3 * 366  # a period of at most three years: a row a month, one pass over rows


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months: from the first of the month eleven months ago to today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1), today


def working_days(start: datetime, end: datetime) -> Decimal:
    """Working days from `start` to `end`: working hours over the hours of one day."""
    return working_hours_between(start, end) / hours_per_day()


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    """One row of the indicators: counts, and the list filters behind them."""

    label: str
    params: dict[str, str]      # the list's query parameters for "registered"
    registered: int = 0
    resolved: int = 0
    days_total: Decimal = Decimal(0)
    days_counted: int = 0       # resolved disputes with an end time

    @property
    def rate(self) -> Decimal | None:
        """化解率 in per cent to one decimal; None (shown "—") when nothing registered."""
        if not self.registered:
            return None
        return _one_decimal(Decimal(self.resolved * 100) / self.registered)

    @property
    def average_days(self) -> Decimal | None:
        if not self.days_counted:
            return None
        return _one_decimal(self.days_total / self.days_counted)

    @property
    def registered_url(self) -> str:
        return _list_url(self.params)

    @property
    def resolved_url(self) -> str:
        return _list_url(self.params | {"resolved": "1"})

    def add(self, row: "_Row") -> None:
        self.registered += 1
        if row.resolved:
            self.resolved += 1
            if row.days is not None:
                self.days_total += row.days
                self.days_counted += 1


@dataclass
class Indicators:
    since: date
    until: date
    total: Figure
    by_grade: list[Figure] = field(default_factory=list)
    by_kind: list[Figure] = field(default_factory=list)
    by_grid: list[Figure] = field(default_factory=list)
    by_month: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    grade: str
    kind: str
    grid_id: int | None
    month: tuple[int, int]
    resolved: bool
    days: Decimal | None


def _list_url(params: dict[str, str]) -> str:
    return f"{reverse('disputes:list')}?{urlencode(params)}"


def _period_params(since: date, until: date) -> dict[str, str]:
    return {"since": since.isoformat(), "until": until.isoformat()}


def _months(since: date, until: date) -> list[tuple[date, date]]:
    """Each calendar month the period touches, clipped to the period."""
    months = []
    year, month = since.year, since.month
    while (year, month) <= (until.year, until.month):
        first = date(year, month, 1)
        last = date(year, month, monthrange(year, month)[1])
        months.append((max(first, since), min(last, until)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _rows(actor, since: date, until: date) -> list[_Row]:
    filters = DisputeFilters(registered_since=since, registered_until=until)
    rows = []
    for grade, kind, grid_id, registered_at, resolved, ended_at in dispute_list(
            actor=actor, filters=filters).values_list(
            "grade", "kind", "grid_id", "registered_at", "resolved", "ended_at"):
        local = timezone.localtime(registered_at)
        days = working_days(registered_at, ended_at) if resolved and ended_at else None
        rows.append(_Row(grade, kind, grid_id, (local.year, local.month), bool(resolved),
                         days))
    return rows


def dispute_indicators(*, actor, since: date, until: date) -> Indicators:
    """化解率 and the average working days to resolution over the disputes registered from
    `since` to `until` (inclusive) in the actor's scope: in total, by grade, type, grid
    (disputes registered above grid level are in the total only) and registration month."""
    period = _period_params(since, until)
    rows = _rows(actor, since, until)
    total = Figure(_("All"), period)
    grades = {g.value: Figure(str(g.label), period | {"grade": g.value}) for g in LEVELS}
    kinds = {k.value: Figure(str(k.label), period | {"kind": k.value}) for k in Kind}
    months = {(first.year, first.month): Figure(f"{first:%Y-%m}", _period_params(first, last))
              for first, last in _months(since, until)}
    grid_ids = sorted({r.grid_id for r in rows if r.grid_id is not None})
    names = dict(Area.objects.filter(pk__in=grid_ids).values_list("pk", "name"))
    grids = {pk: Figure(names.get(pk, str(pk)), period | {"grid": str(pk)}) for pk in grid_ids}
    for row in rows:
        total.add(row)
        grades[row.grade].add(row)
        kinds[row.kind].add(row)
        months[row.month].add(row)
        if row.grid_id is not None:
            grids[row.grid_id].add(row)
    return Indicators(since=since, until=until, total=total, by_grade=list(grades.values()),
                      by_kind=list(kinds.values()),
                      by_grid=sorted(grids.values(), key=lambda f: f.label),
                      by_month=list(months.values()))


def open_graded(*, actor):
    """Open yellow and red disputes in the actor's scope: what the map shows."""
    return dispute_list(actor=actor, filters=DisputeFilters(
        state=sorted(OPEN), grade=[g.value for g in MAP_GRADES]))


def open_graded_url() -> str:
    """The list of what the map shows."""
    return f"{reverse('disputes:list')}?" + urlencode(
        [("open", "1")] + [("grade", g.value) for g in MAP_GRADES])


def map_points(disputes: list[Dispute]) -> dict:
    """GeoJSON for `core/_map.html`: each dispute at its pin, or at the centre of its area
    (or the nearest area above with one); none without either. Properties are the map's
    contract (title, light, state, url) and carry no party, no summary, no address:
    the map is seen over shoulders."""
    paths = {d.area_id: d.area_path for d in disputes}
    positions = area_positions(set(paths), paths)
    features = []
    for dispute in disputes:
        if dispute.lat is not None and dispute.lng is not None:
            lat, lng = float(dispute.lat), float(dispute.lng)
        elif dispute.area_id in positions:
            lat, lng = positions[dispute.area_id]
        else:
            continue
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [lng, lat]}, "properties": {
            # No "id": the popup would put "#id" before the number the title carries.
            "title": f"{dispute.number} {dispute.get_kind_display()} · "
                     f"{dispute.get_grade_display()}",
            "light": dispute.grade, "grade": dispute.grade,
            "state": str(dispute.get_state_display()),
            "url": reverse("disputes:detail", args=[dispute.pk])}})
    return {"type": "FeatureCollection", "features": features}
