"""Scoped reading of the agreements part: agreements and their deliveries, property ratings
and their monthly figures per estate, supervision items.

Who sees property results: party-work staff, dispatchers and leaders of the place; a
resident their own estate's; a property unit's people the estates their unit serves
(the ratings name the unit). Nobody sees who rated; comments are shown to staff only.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.tiles import Tile
from linli.orgs.paths import ancestor_paths
from linli.party import permissions
from linli.party.models import (
    SCORE_ITEMS,
    Agreement,
    Delivery,
    PropertyRating,
    PropertySupervision,
    SupervisionState,
)
from linli.party.selectors import agreements_visible, supervisions_visible, work_q

TWO = Decimal("0.01")


def agreement_get(*, actor, agreement_id: int) -> Agreement:
    found = (agreements_visible(actor).select_related("unit", "community")
             .filter(pk=agreement_id).first())
    if found is None:
        raise Http404
    return found


def delivery_get(*, actor, delivery_id: int) -> Delivery:
    visible = agreements_visible(actor).values("pk")
    found = (Delivery.objects.select_related("commitment__agreement")
             .filter(pk=delivery_id, commitment__agreement__in=visible).first())
    if found is None:
        raise Http404
    return found


def supervision_get(*, actor, supervision_id: int) -> PropertySupervision:
    found = (supervisions_visible(actor).select_related("estate", "unit")
             .filter(pk=supervision_id).first())
    if found is None:
        raise Http404
    return found


def is_follower(actor) -> bool:
    return permissions.is_work_staff(actor)


def deliveries_of(agreement: Agreement, year: int | None = None) -> QuerySet[Delivery]:
    qs = (Delivery.objects.filter(commitment__agreement=agreement)
          .select_related("commitment", "recorded_by"))
    if year is not None:
        qs = qs.filter(delivered_on__year=year)
    return qs


# --- property ratings -------------------------------------------------------------------------

def _home_q(actor) -> Q:
    """A resident's own estate: ratings whose estate lies above one of their homes."""
    paths = {p for a in scope.assignments(actor) if a.role == Role.RESIDENT
             for p in ancestor_paths(a.area.path)}
    return Q(area_path__in=sorted(paths)) if paths else Q(pk__in=[])


def ratings_visible(actor) -> QuerySet[PropertyRating]:
    units = scope.unit_ids(actor)
    q = work_q(actor) | _home_q(actor)
    if units:
        q |= Q(unit_id__in=units)
    return PropertyRating.objects.filter(q)


@dataclass
class MonthFigures:
    estate_id: int
    month: date
    count: int
    averages: dict[str, Decimal] = field(default_factory=dict)
    overall: Decimal = Decimal("0")

    @property
    def low(self) -> bool:
        return (self.count >= settings.PARTY_PROPERTY_MIN_RATINGS
                and self.overall < Decimal(settings.PARTY_PROPERTY_LOW_SCORE))

    @property
    def items(self) -> list[tuple[str, Decimal]]:
        return [(item, self.averages[item]) for item in SCORE_ITEMS]


def month_figures(ratings: QuerySet[PropertyRating]) -> list[MonthFigures]:
    """Per estate and month: the number of ratings, each item's average and the overall
    score (the mean of the five item averages), 2 decimals, newest month first."""
    rows = (ratings.order_by().values("estate_id", "month")
            .annotate(n=Count("pk"), **{f"avg_{i}": Avg(i) for i in SCORE_ITEMS})
            .order_by("estate_id", "-month"))
    result = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        averages = {i: Decimal(str(row[f"avg_{i}"])) for i in SCORE_ITEMS}
        overall = sum(averages.values(), Decimal("0")) / len(SCORE_ITEMS)
        result.append(MonthFigures(
            estate_id=row["estate_id"], month=row["month"], count=row["n"],
            averages={i: v.quantize(TWO, ROUND_HALF_UP) for i, v in averages.items()},
            overall=overall.quantize(TWO, ROUND_HALF_UP)))
    return result


def months_back(today: date, n: int = 12) -> date:
    """The first day of the month n-1 months before today's (n months in all)."""
    index = today.year * 12 + today.month - 1 - (n - 1)
    return date(index // 12, index % 12 + 1, 1)


def open_supervisions(actor) -> QuerySet[PropertySupervision]:
    return (supervisions_visible(actor).filter(state=SupervisionState.OPEN)
            .select_related("estate", "unit"))


def home_tiles(user) -> list[Tile]:
    """Open supervision items for who follows them; the agreements for joint-work staff."""
    if not permissions.is_work_staff(user):
        return []
    return [Tile(key="party-agreements", label=str(_("Co-building agreements")),
                 url=reverse("party:agreements"), count=agreements_visible(user).count()),
            Tile(key="party-property", label=str(_("Property supervision")),
                 url=reverse("party:property"), count=open_supervisions(user).count())]
