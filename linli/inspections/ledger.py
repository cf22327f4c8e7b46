"""The problem ledger (问题台账): the figures of the rectification orders, each a link to the
orders list that shows exactly its rows.

Definitions (docs/inspections.md, "The ledger"), over the orders the actor sees
(`selectors.order_list`, the only source), narrowed by campaign, area and topic:

- found: issued in the period (any time, when a campaign is chosen: all of its orders);
- of those: rectified (`rectified_at` set: waiting for the re-check or signed off), overdue
  (still waiting for the rectification and past the deadline), open (not signed off),
  signed off (closed, 销号);
- 整改完成率 of a month M, by the deadline's day: due(M) = the orders whose deadline falls in
  M and has passed by now, or that were rectified already; rectified(M) = those of due(M)
  that are rectified. rate = rectified / due, in per cent to one decimal; "—" when nothing
  is due. A rectification rejected at the re-check is forgotten (`rectified_at` cleared),
  so the order no longer counts as rectified, and counts as due only once its deadline
  has passed.

Every count is a conditional aggregate: one query per table, never one per cell. The
conditions below are those of `selectors.OrderFilters`; the tests follow every link and
compare, so the figure and the list can never disagree.
"""

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import pgettext

from linli.inspections.models import Campaign, Order, State, Topic
from linli.inspections.selectors import OrderFilters, order_list
from linli.inspections.transitions import DUE, OPEN
from linli.orgs.models import Area

# The orders list page (views_orders, URL name `inspections:orders`) parses these names.
ORDERS_PATH = "/inspections/orders/"
MAX_MONTHS = 36  # three years of months: the grid table stays readable
ONE_DECIMAL = Decimal("0.1")
COUNTS = ("found", "rectified", "overdue", "open", "signed_off")

Month = tuple[int, int]


def orders_url(filters: OrderFilters) -> str:
    """The orders list showing exactly the rows of `filters`: its field names, a list
    repeated, booleans 1/0 (what the orders page's yes/no filters read; the API reads them
    too), dates ISO; what is not set is left out."""
    params: list[tuple[str, str]] = []
    for f in fields(OrderFilters):
        value = getattr(filters, f.name)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            params += [(f.name, str(v)) for v in value]
        elif isinstance(value, bool):
            params.append((f.name, "1" if value else "0"))
        elif isinstance(value, date):
            params.append((f.name, value.isoformat()))
        else:
            params.append((f.name, str(value)))
    return f"{ORDERS_PATH}?{urlencode(params)}"


def month_first(month: Month) -> date:
    return date(month[0], month[1], 1)


def month_last(month: Month) -> date:
    return date(month[0], month[1], monthrange(*month)[1])


def months_between(first: date, last: date) -> list[Month]:
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class LedgerQuery:
    """What the ledger is asked for: whole months from `first` to `last`, and optionally
    one campaign, one area (with everything under it) and one topic."""

    first: date
    last: date
    campaign_id: int | None = None
    area_id: int | None = None
    topic: str = ""

    @property
    def months(self) -> list[Month]:
        return months_between(self.first, self.last)

    def narrowed(self, **more) -> OrderFilters:
        """The orders list's filters of this query, `more` added (a row's campaign)."""
        asked = {"campaign_id": self.campaign_id, "area_id": self.area_id, "topic": self.topic}
        return OrderFilters(**(asked | more))

    def found(self, **more) -> OrderFilters:
        if self.campaign_id is not None:
            return self.narrowed(**more)
        return self.narrowed(issued_from=self.first, issued_to=self.last, **more)

    def due(self, first: date | None = None, last: date | None = None,
            **more) -> OrderFilters:
        return self.narrowed(due_from=first or self.first, due_to=last or self.last,
                             due_reached=True, **more)


def this_year(today: date) -> LedgerQuery:
    return LedgerQuery(first=date(today.year, 1, 1), last=date(today.year, 12, 31))


# --- the figures ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    count: int
    url: str


@dataclass(frozen=True)
class Rate:
    """整改完成率: rectified / due, with both lists."""

    due: Figure
    rectified: Figure

    @property
    def percent(self) -> Decimal | None:
        if not self.due.count:
            return None
        value = Decimal(self.rectified.count * 100) / self.due.count
        return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    @property
    def words(self) -> str:
        return "—" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class Row:
    """One line of figures (the summary, a campaign, a topic)."""

    label: str
    found: Figure
    rectified: Figure
    overdue: Figure
    open: Figure
    signed_off: Figure
    rate: Rate


@dataclass(frozen=True)
class GridRow:
    label: str
    cells: list[Rate]  # one per month of the query
    total: Rate


@dataclass
class Ledger:
    query: LedgerQuery
    summary: Row
    months: list[Month]
    grids: list[GridRow] = field(default_factory=list)
    month_totals: list[Rate] = field(default_factory=list)
    by_campaign: list[Row] = field(default_factory=list)
    by_topic: list[Row] = field(default_factory=list)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _between(name: str, first: date, last: date) -> Q:
    return Q(**{f"{name}__gte": _day_start(first),
                f"{name}__lt": _day_start(last + timedelta(days=1))})


def _conditions(query: LedgerQuery, now: datetime) -> dict[str, Q]:
    """The OrderFilters of each figure as the condition of a conditional count."""
    found = (Q(pk__isnull=False) if query.campaign_id is not None
             else _between("issued_at", query.first, query.last))
    rectified = Q(rectified_at__isnull=False)
    due = _between("due_at", query.first, query.last) & (Q(due_at__lte=now) | rectified)
    return {"found": found, "rectified": found & rectified,
            "overdue": found & Q(state__in=OPEN, due_at__lt=now),
            "open": found & Q(state__in=DUE), "signed_off": found & Q(state=State.CLOSED),
            "due": due, "due_rectified": due & rectified}


def _narrowed(actor, query: LedgerQuery, now: datetime) -> QuerySet[Order]:
    return order_list(actor=actor, filters=query.narrowed(), now=now).order_by()


def _counted(conditions: dict[str, Q]) -> dict[str, Count]:
    return {name: Count("id", filter=q) for name, q in conditions.items()}


def _row(label: str, counts: dict, query: LedgerQuery, **more) -> Row:
    """A line of figures; `more` narrows every link (a campaign, a topic)."""
    def found(name: str, **extra) -> Figure:
        return Figure(counts[name], orders_url(query.found(**extra, **more)))

    rate = Rate(Figure(counts["due"], orders_url(query.due(**more))),
                Figure(counts["due_rectified"], orders_url(query.due(rectified=True, **more))))
    return Row(label=label, found=found("found"), rectified=found("rectified", rectified=True),
               overdue=found("overdue", overdue=True), open=found("open", open=True),
               signed_off=found("signed_off", state=[State.CLOSED.value]), rate=rate)


def _summary(actor, query: LedgerQuery, now: datetime, label: str) -> Row:
    conditions = _conditions(query, now)
    counts = _narrowed(actor, query, now).aggregate(**_counted(conditions))
    return _row(label, counts, query)


def _grouped(actor, query: LedgerQuery, now: datetime, by: str) -> list[dict]:
    """The figures of each `by` value that has any: one query."""
    conditions = _conditions(query, now)
    return list(_narrowed(actor, query, now).filter(conditions["found"] | conditions["due"])
                .values(by).annotate(**_counted(conditions)).order_by(by))


def _by_campaign(actor, query: LedgerQuery, now: datetime) -> list[Row]:
    groups = {g["campaign_id"]: g for g in _grouped(actor, query, now, "campaign_id")}
    campaigns = Campaign.objects.filter(pk__in=groups).order_by("-starts_on", "-id")
    return [_row(c.name, groups[c.pk], query, campaign_id=c.pk) for c in campaigns]


def _by_topic(actor, query: LedgerQuery, now: datetime) -> list[Row]:
    return [_row(str(Topic(group["topic"]).label), group, query, topic=group["topic"])
            for group in _grouped(actor, query, now, "topic")]


def _local_month(value: datetime) -> Month:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.year, value.month


def _grid_counts(actor, query: LedgerQuery, now: datetime) -> dict[tuple, dict[Month, dict]]:
    """(community, grid) → month → {due, rectified}: one query."""
    due = _conditions(query, now)["due"]
    cells: dict[tuple, dict[Month, dict]] = {}
    for group in (_narrowed(actor, query, now).filter(due).annotate(month=TruncMonth("due_at"))
                  .values("community_id", "grid_id", "month")
                  .annotate(due=Count("id"), rectified=Count(
                      "id", filter=Q(rectified_at__isnull=False)))):
        key = (group["community_id"], group["grid_id"])
        cells.setdefault(key, {})[_local_month(group["month"])] = dict(group)
    return cells


def _rate(query: LedgerQuery, due: int, rectified: int, first: date | None = None,
          last: date | None = None, **more) -> Rate:
    return Rate(Figure(due, orders_url(query.due(first, last, **more))),
                Figure(rectified, orders_url(query.due(first, last, rectified=True, **more))))


def _community_level(query: LedgerQuery, community: Area,
                     areas: dict[int, Area]) -> LedgerQuery:
    """The query behind the orders placed with no grid: the community's (or the asked
    area's, when inside it), narrowed to those above any grid by the row's `gridless`."""
    asked = areas.get(query.area_id) if query.area_id is not None else None
    if asked is not None and asked.path.startswith(community.path):
        return query
    return replace(query, area_id=community.pk)


def _grid_row(query: LedgerQuery, label: str, months: dict[Month, dict],
              **more) -> GridRow:
    cells = []
    for month in query.months:
        got = months.get(month, {"due": 0, "rectified": 0})
        cells.append(_rate(query, got["due"], got["rectified"], month_first(month),
                           month_last(month), **more))
    total = _rate(query, sum(c.due.count for c in cells),
                  sum(c.rectified.count for c in cells), **more)
    return GridRow(label=label, cells=cells, total=total)


def _grid_rows(query: LedgerQuery, counts: dict[tuple, dict[Month, dict]]) -> list[GridRow]:
    """A row per grid with orders due, then the orders of each community with no grid."""
    ids = {i for key in counts for i in key if i is not None} | {query.area_id or 0}
    areas = Area.objects.in_bulk(ids)
    rows = []
    for (community_id, grid_id), months in sorted(
            counts.items(), key=lambda kv: areas[kv[0][1] or kv[0][0]].path):
        if grid_id is not None:
            rows.append(_grid_row(query, areas[grid_id].name, months, grid_id=grid_id))
            continue
        community = areas[community_id]
        label = f"{community.name} {pgettext('inspections ledger', 'community level')}"
        rows.append(_grid_row(_community_level(query, community, areas), label, months,
                              gridless=True))
    return rows


def _month_totals(query: LedgerQuery, rows: Iterable[GridRow]) -> list[Rate]:
    rows = list(rows)
    return [_rate(query, sum(r.cells[i].due.count for r in rows),
                  sum(r.cells[i].rectified.count for r in rows), month_first(month),
                  month_last(month)) for i, month in enumerate(query.months)]


def ledger_figures(*, actor, query: LedgerQuery, now: datetime | None = None) -> Ledger:
    """The ledger's figures over what the actor sees. Five queries, however many orders."""
    now = now or timezone.now()
    grids = _grid_rows(query, _grid_counts(actor, query, now))
    summary = _summary(actor, query, now, pgettext("inspections ledger", "All"))
    return Ledger(query=query, summary=summary,
                  months=query.months, grids=grids, month_totals=_month_totals(query, grids),
                  by_campaign=_by_campaign(actor, query, now),
                  by_topic=_by_topic(actor, query, now))


def ledger_rows(*, actor, query: LedgerQuery, now: datetime | None = None) -> QuerySet[Order]:
    """One row per order found (the export's rows), by deadline: a ledger lists every
    hazard in one order, signed off or not (the orders list puts what is left first)."""
    return order_list(actor=actor, filters=query.found(), now=now).select_related(
        "target__area", "rechecked_by").order_by("due_at", "id")
