"""Scoped reading of the 最美楼栋 ratings and score sheets.

Staff of a place (at, under or above a community) see its ratings, open or published, and
its score sheet; residents see the published ratings of their own community only. A
rating's ranking lists the buildings by total (ties by name) with each criterion's score
and the figure it came from.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.community.models import Criterion, Rating, RatingState, Source
from linli.community.permissions import manages
from linli.community.selectors import resident_q, staff_q
from linli.core.tiles import Tile
from linli.orgs.models import Area, AreaKind
from linli.people.selectors import place_labels

TOP = 3  # the 最美楼栋 of a month: the first three


def ratings_visible(actor) -> QuerySet[Rating]:
    return Rating.objects.filter(
        staff_q(actor) | (resident_q(actor) & Q(state=RatingState.PUBLISHED)))


def rating_list(*, actor) -> QuerySet[Rating]:
    return ratings_visible(actor).select_related("community").order_by("-month", "-pk")


def rating_get(*, actor, rating_id: int) -> Rating:
    found = ratings_visible(actor).select_related("community").filter(pk=rating_id).first()
    if found is None:
        raise Http404
    return found


def communities_managed(actor) -> list[Area]:
    """The communities whose rating and score sheet the actor keeps."""
    seen = Area.objects.filter(staff_q(actor, path_field="path"), kind=AreaKind.COMMUNITY)
    return [c for c in seen.order_by("path") if manages(actor, c)]


def communities_served(actor) -> QuerySet[Area]:
    return Area.objects.filter(staff_q(actor, path_field="path"),
                               kind=AreaKind.COMMUNITY).order_by("path")


def criteria_visible(actor) -> QuerySet[Criterion]:
    return Criterion.objects.filter(staff_q(actor, path_field="community__path"))


def criteria_of(*, actor, community: Area) -> QuerySet[Criterion]:
    return criteria_visible(actor).filter(community=community).order_by("position", "pk")


def criterion_get(*, actor, criterion_id: int) -> Criterion:
    found = criteria_visible(actor).select_related("community").filter(pk=criterion_id).first()
    if found is None:
        raise Http404
    return found


def figure_text(source: str, figure: str) -> str:
    """The figure a computed score came from, in words ("12/40 took part", "3 cases")."""
    if not figure:
        return ""
    if source == Source.PARTICIPATION:
        return _("%(figure)s took part") % {"figure": figure}
    if source == Source.CASES and figure.isdigit():
        n = int(figure)
        return ngettext("%(n)d case", "%(n)d cases", n) % {"n": n}
    return figure


@dataclass
class Row:
    building: Area
    total: Decimal
    rank: int = 0
    scores: list[dict] = field(default_factory=list)
    label: str = ""  # "花楼小区 1栋": two estates may each have a 1栋

    @property
    def top(self) -> bool:
        return self.rank <= TOP and self.total > 0


def rating_criteria(rating: Rating) -> list[Criterion]:
    ids = rating.scores.values("criterion_id")
    return list(Criterion.objects.filter(pk__in=ids).order_by("position", "pk"))


def ranking(rating: Rating) -> list[Row]:
    """The buildings by total score, ties by name; equal totals share a rank."""
    criteria = rating_criteria(rating)
    cells: dict[int, dict[int, dict]] = {}
    buildings: dict[int, Area] = {}
    for s in rating.scores.select_related("building"):
        buildings[s.building_id] = s.building
        cells.setdefault(s.building_id, {})[s.criterion_id] = {
            "score": s.score, "figure": s.figure}
    labels = place_labels(buildings.values())
    rows = []
    for pk, building in buildings.items():
        scores = []
        for c in criteria:
            cell = cells[pk].get(c.pk, {"score": Decimal("0.00"), "figure": ""})
            scores.append({"criterion": c, "criterion_id": c.pk, "field": f"score-{c.pk}",
                           "score": cell["score"],
                           "figure": cell["figure"],
                           "figure_text": figure_text(c.source, cell["figure"])})
        rows.append(Row(building=building, total=sum((s["score"] for s in scores),
                                                     Decimal("0.00")), scores=scores,
                        label=labels.get(pk) or building.name))
    rows.sort(key=lambda r: (-r.total, r.label, r.building.pk))
    for n, row in enumerate(rows):
        row.rank = rows[n - 1].rank if n and rows[n - 1].total == row.total else n + 1
    return rows


def home_tiles(user) -> list[Tile]:
    """Staff keeping a rating see the open ones; residents the latest published ranking."""
    if not getattr(user, "is_authenticated", False):
        return []
    seen = ratings_visible(user)
    open_count = seen.filter(state=RatingState.OPEN).count() if communities_managed(
        user) else 0
    if open_count:
        return [Tile("ratings", _("Building ratings"), reverse("community:ratings"),
                     open_count)]
    if seen.filter(state=RatingState.PUBLISHED).exists():
        return [Tile("ratings", _("Building ratings"), reverse("community:ratings"))]
    return []
