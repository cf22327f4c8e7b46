"""Reads of inspections, limited to what the actor may see.

- Targets, inspections and orders: the inspectors of their place (grid workers, dispatchers,
  leaders at or above it); an order also to its responsible party's account.
- Campaigns and schedules: the inspectors of any place the campaign covers or holds, so
  a grid worker sees the street's campaign that covers their grid.

Another app reads inspections only through here (and `services`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.inspections.models import (
    Campaign,
    CampaignItem,
    Inspection,
    Order,
    OrderPhoto,
    Schedule,
    State,
    Target,
    Template,
)
from linli.inspections.permissions import INSPECTORS
from linli.inspections.transitions import CLOCKS, OPEN
from linli.orgs.models import Area
from linli.orgs.paths import ancestor_paths


def _none() -> Q:
    return Q(pk__in=[])


def _signed_in(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.is_active


def placed_q(actor, path_field: str = "area_path") -> Q:
    """Rows placed at or under one of the actor's inspector areas."""
    if not _signed_in(actor):
        return _none()
    return scope.scope_q(actor, roles=INSPECTORS, path_field=path_field)


def covering_q(actor, path_field: str = "area_path") -> Q:
    """Rows whose area holds or lies under one of the actor's inspector areas: a campaign
    of the street is seen by the grid worker of one of its grids."""
    if not _signed_in(actor):
        return _none()
    paths = scope.area_paths(actor, INSPECTORS)
    if not paths:
        return _none()
    above = {ancestor for path in paths for ancestor in ancestor_paths(path)}
    return placed_q(actor, path_field) | Q(**{f"{path_field}__in": sorted(above)})


def targets_visible(actor) -> QuerySet[Target]:
    return Target.objects.filter(placed_q(actor))


def campaigns_visible(actor) -> QuerySet[Campaign]:
    return Campaign.objects.filter(covering_q(actor))


def schedules_visible(actor) -> QuerySet[Schedule]:
    return Schedule.objects.filter(covering_q(actor))


def inspections_visible(actor) -> QuerySet[Inspection]:
    return Inspection.objects.filter(placed_q(actor))


def orders_visible(actor) -> QuerySet[Order]:
    if not _signed_in(actor):
        return Order.objects.none()
    return Order.objects.filter(placed_q(actor) | Q(responsible_user=actor))


def _get(qs: QuerySet, pk: int, missing: str):
    row = qs.filter(pk=pk).first()
    if row is None:
        raise Http404(missing)
    return row


def target_get(*, actor, target_id: int) -> Target:
    return _get(targets_visible(actor).select_related("area", "grid", "community"),
                target_id, _("No such inspection target in your areas."))


def campaign_get(*, actor, campaign_id: int) -> Campaign:
    return _get(campaigns_visible(actor).select_related("template", "area"), campaign_id,
                _("No such inspection campaign in your areas."))


def schedule_get(*, actor, schedule_id: int) -> Schedule:
    return _get(schedules_visible(actor), schedule_id,
                _("No such recurring campaign in your areas."))


def inspection_get(*, actor, inspection_id: int) -> Inspection:
    return _get(inspections_visible(actor).select_related("campaign", "target", "inspector"),
                inspection_id, _("No such inspection in your areas."))


def order_get(*, actor, order_id: int) -> Order:
    return _get(orders_visible(actor).select_related(
        "target", "target__area", "campaign", "inspection", "grid", "community"),
        order_id, _("No such rectification order in your areas."))


def photo_get(*, actor, photo_id: int) -> OrderPhoto:
    """An order's photo, to whoever sees the order."""
    return _get(OrderPhoto.objects.filter(order__in=orders_visible(actor)), photo_id,
                _("No such photo in your areas."))


def templates_active() -> QuerySet[Template]:
    """Checklists are shared by every area: any inspector may read them."""
    return Template.objects.filter(is_active=True).prefetch_related("items")


def campaign_targets(campaign: Campaign) -> QuerySet[Target]:
    """The active targets of the campaign's kinds in its areas (all the campaign asks for,
    whoever reads: callers narrow it to the actor with `placed_q`)."""
    q = _none()
    for path in campaign.areas.values_list("path", flat=True):
        q |= Q(area_path__startswith=path)
    qs = Target.objects.filter(q, is_active=True)
    if campaign.target_kinds:
        qs = qs.filter(kind__in=campaign.target_kinds)
    return qs


def campaign_items(campaign: Campaign) -> QuerySet[CampaignItem]:
    return campaign.items.all()


def campaign_is_running(campaign: Campaign, today: date) -> bool:
    return campaign.starts_on <= today <= campaign.ends_on


# --- the orders list: one set of filters for the page, the API, the ledger's links ----------

@dataclass(frozen=True)
class OrderFilters:
    """The orders list's filters. The ledger (问题台账) links every figure to the list with
    the filters that give exactly its rows, so the two can never disagree."""

    state: list[str] | None = None
    severity: list[str] | None = None
    topic: str = ""
    campaign_id: int | None = None
    area_id: int | None = None       # this area and everything under it
    grid_id: int | None = None
    target_id: int | None = None
    gridless: bool | None = None     # placed above any grid (a community-level premises)
    open: bool | None = None         # not signed off yet (issued, overdue, escalated, rectified)
    overdue: bool | None = None      # past the deadline and not rectified
    rectified: bool | None = None    # rectified (waiting for the re-check or signed off)
    # The deadline's day within [due_from, due_to]; `due_reached`: the deadline has passed
    # or the order was rectified before it — the orders a completion rate counts as due.
    due_from: date | None = None
    due_to: date | None = None
    due_reached: bool | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    search: str = ""                 # words of the hazard, the target's name or address


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _bool(qs: QuerySet, value: bool | None, q: Q) -> QuerySet:
    if value is None:
        return qs
    return qs.filter(q) if value else qs.exclude(q)


def _filtered(qs: QuerySet[Order], f: OrderFilters, now: datetime) -> QuerySet[Order]:
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.severity:
        qs = qs.filter(severity__in=f.severity)
    if f.topic:
        qs = qs.filter(topic=f.topic)
    for name in ("campaign_id", "grid_id", "target_id"):
        if getattr(f, name) is not None:
            qs = qs.filter(**{name: getattr(f, name)})
    if f.area_id is not None:
        area = Area.objects.filter(pk=f.area_id).first()
        qs = qs.filter(area_path__startswith=area.path) if area else qs.none()
    qs = _bool(qs, f.gridless, Q(grid__isnull=True))
    qs = _bool(qs, f.open, Q(state__in=OPEN | {"rectified"}))
    qs = _bool(qs, f.overdue, Q(state__in=OPEN, due_at__lt=now))
    qs = _bool(qs, f.rectified, Q(rectified_at__isnull=False))
    qs = _bool(qs, f.due_reached, Q(due_at__lte=now) | Q(rectified_at__isnull=False))
    if f.due_from:
        qs = qs.filter(due_at__gte=_day_start(f.due_from))
    if f.due_to:
        qs = qs.filter(due_at__lt=_day_start(f.due_to + timedelta(days=1)))
    if f.issued_from:
        qs = qs.filter(issued_at__gte=_day_start(f.issued_from))
    if f.issued_to:
        qs = qs.filter(issued_at__lt=_day_start(f.issued_to + timedelta(days=1)))
    if f.search.strip():
        words = f.search.strip()[:100]
        qs = qs.filter(Q(hazard__icontains=words) | Q(target__name__icontains=words)
                       | Q(target__address__icontains=words))
    return qs


def order_list(*, actor, filters: OrderFilters | None = None,
               now: datetime | None = None) -> QuerySet[Order]:
    qs = _filtered(orders_visible(actor), filters or OrderFilters(), now or timezone.now())
    # What still needs doing first (by deadline), the signed-off after it.
    signed_off = Case(When(state=State.CLOSED, then=Value(1)), default=Value(0))
    return (qs.select_related("target", "campaign", "grid", "community")
            .order_by(signed_off, "due_at", "id"))


def order_light(order: Order, now: datetime) -> str | None:
    """The order's traffic light (green, yellow from 80 % of the time, red past it)."""
    return CLOCKS.light(order, now)


# --- the targets list: one set of filters for the page and the API ---------------------------

@dataclass(frozen=True)
class TargetFilters:
    area_id: int | None = None       # this area and everything under it
    grid_id: int | None = None
    kind: str = ""
    active: bool | None = True       # retired targets only when asked for (None: both)
    search: str = ""                 # words of the name, address or operator


def target_list(*, actor, filters: TargetFilters | None = None) -> QuerySet[Target]:
    f = filters or TargetFilters()
    qs = targets_visible(actor)
    if f.area_id is not None:
        area = Area.objects.filter(pk=f.area_id).first()
        qs = qs.filter(area_path__startswith=area.path) if area else qs.none()
    if f.grid_id is not None:
        qs = qs.filter(grid_id=f.grid_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.active is not None:
        qs = qs.filter(is_active=f.active)
    if f.search.strip():
        words = f.search.strip()[:100]
        qs = qs.filter(Q(name__icontains=words) | Q(address__icontains=words)
                       | Q(operator__icontains=words))
    return qs.select_related("area", "grid", "community").order_by("area_path", "name", "id")


def target_recent_inspections(*, actor, target: Target, limit: int = 10
                              ) -> list[Inspection]:
    return list(inspections_visible(actor).filter(target=target)
                .select_related("campaign", "inspector")[:limit])


def target_open_orders(*, actor, target: Target) -> QuerySet[Order]:
    return order_list(actor=actor, filters=OrderFilters(target_id=target.pk, open=True))


# Where a target may be placed, for the pickers: down to the building (an entrance or a
# dwelling names a household, not premises; the address says the rest).
TARGET_PLACE_KINDS = ("community", "grid", "estate", "building")
MAX_PLACES = 1000


def target_places(*, actor, kinds: tuple[str, ...] = TARGET_PLACE_KINDS) -> list[Area]:
    """The areas of these kinds in the actor's inspector areas, in tree order."""
    paths = scope.area_paths(actor, INSPECTORS) if _signed_in(actor) else []
    if not paths:
        return []
    q = _none()
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Area.objects.filter(q, kind__in=kinds).order_by("path")[:MAX_PLACES])
