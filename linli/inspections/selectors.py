"""Reads of inspections, limited to what the actor may see.

- Targets, inspections and orders: the inspectors of their place (grid workers, dispatchers,
  leaders at or above it); an order also to its responsible party's account.
- Campaigns and schedules: the inspectors of any place the campaign covers or holds, so
  a grid worker sees the street's campaign that covers their grid.

Another app reads inspections only through here (and `services`).
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.inspections.models import (
    Campaign,
    CampaignItem,
    Inspection,
    Order,
    Schedule,
    Target,
    Template,
)
from linli.inspections.permissions import INSPECTORS


def _none() -> Q:
    return Q(pk__in=[])


def _signed_in(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.is_active


def placed_q(actor, path_field: str = "area_path") -> Q:
    """Rows placed at or under one of the actor's inspector areas."""
    if not _signed_in(actor):
        return _none()
    return scope.scope_q(actor, roles=INSPECTORS, path_field=path_field)


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def covering_q(actor, path_field: str = "area_path") -> Q:
    """Rows whose area holds or lies under one of the actor's inspector areas: a campaign
    of the street is seen by the grid worker of one of its grids."""
    if not _signed_in(actor):
        return _none()
    paths = scope.area_paths(actor, INSPECTORS)
    if not paths:
        return _none()
    above = {ancestor for path in paths for ancestor in _ancestor_paths(path)}
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
