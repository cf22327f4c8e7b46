"""Campaign reads for the campaigns list, its page, the home tile and the API: what each
campaign asks of the reader (its targets in the reader's areas), how far it has got, and
which targets are still to do. Everything here is limited to what the actor may see,
through `selectors`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from django.db.models import QuerySet
from django.utils import timezone

from linli.inspections import selectors
from linli.inspections.models import Campaign, Inspection, Target
from linli.inspections.selectors import OrderFilters

RUNNING, UPCOMING, ENDED = "running", "upcoming", "ended"
MAX_ENDED = 30  # the list shows the latest ended campaigns; the API pages through all


def campaign_phase(campaign: Campaign, today: date) -> str:
    if campaign.starts_on > today:
        return UPCOMING
    return RUNNING if campaign.ends_on >= today else ENDED


def campaigns_in_phase(actor, phase: str, today: date) -> QuerySet[Campaign]:
    qs = selectors.campaigns_visible(actor).select_related("template", "area")
    if phase == RUNNING:
        return qs.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "id")
    if phase == UPCOMING:
        return qs.filter(starts_on__gt=today).order_by("starts_on", "id")
    return qs.filter(ends_on__lt=today).order_by("-ends_on", "-id")


def my_targets(actor, campaign: Campaign) -> QuerySet[Target]:
    """The campaign's targets in the actor's own areas: what they are asked to inspect."""
    return selectors.campaign_targets(campaign).filter(selectors.placed_q(actor))


def inspected_ids(campaign: Campaign, targets: QuerySet[Target]) -> dict[int, int]:
    """target id → inspection id, for the targets already inspected in the campaign."""
    return dict(Inspection.objects.filter(campaign=campaign, target__in=targets)
                .values_list("target_id", "id"))


@dataclass(frozen=True)
class Progress:
    targets: int     # in the reader's areas
    inspected: int
    hazards: int     # orders found in the reader's areas
    open_orders: int  # not signed off yet

    @property
    def remaining(self) -> int:
        return self.targets - self.inspected

    @property
    def percent(self) -> int:
        return round(100 * self.inspected / self.targets) if self.targets else 0


def campaign_progress(actor, campaign: Campaign, now: datetime | None = None) -> Progress:
    targets = my_targets(actor, campaign)
    orders = selectors.order_list(actor=actor, filters=OrderFilters(campaign_id=campaign.pk),
                                  now=now)
    return Progress(targets=targets.count(),
                    inspected=Inspection.objects.filter(campaign=campaign,
                                                        target__in=targets).count(),
                    hazards=orders.count(),
                    open_orders=selectors.order_list(actor=actor, now=now, filters=OrderFilters(
                        campaign_id=campaign.pk, open=True)).count())


@dataclass(frozen=True)
class TargetRow:
    target: Target
    inspection_id: int | None

    @property
    def inspected(self) -> bool:
        return self.inspection_id is not None


def campaign_todo(actor, campaign: Campaign) -> list[TargetRow]:
    """The campaign's targets in the actor's areas, by grid then place, each with its
    inspection when there is one."""
    targets = my_targets(actor, campaign).select_related("grid", "area")
    done = inspected_ids(campaign, targets)
    return [TargetRow(t, done.get(t.pk))
            for t in targets.order_by("grid__path", "area_path", "name", "id")]


def by_grid(rows: list[TargetRow]) -> list[tuple[str, list[TargetRow]]]:
    """The rows grouped under their grid's name ("" for a target placed above any grid)."""
    groups = []
    for _grid_id, group in groupby(rows, key=lambda row: row.target.grid_id):
        members = list(group)
        grid = members[0].target.grid
        groups.append((grid.name if grid else "", members))
    return groups


def remaining_for(actor, today: date | None = None) -> int:
    """The actor's targets not yet inspected, over every campaign running today."""
    today = today or timezone.localdate()
    total = 0
    for campaign in campaigns_in_phase(actor, RUNNING, today):
        targets = my_targets(actor, campaign)
        total += targets.count() - Inspection.objects.filter(campaign=campaign,
                                                             target__in=targets).count()
    return total
