"""Which unit to dispatch a case to, for the dispatcher (issue #21).

Ranked from the default route (the unit set for the category at the nearest area above)
and from what happened in the community over the past year: the units that closed cases of
this category there. Each is penalised by its returns: the share of its dispatches of this
category in this community that it gave back, so a unit that keeps returning a category for
an area is suggested less. Only units that may take the case (active, serving its area) are
suggested. Read-only, three bounded queries.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.cases import selectors as cases_selectors
from linli.cases.models import Case, CaseEvent, Category, State
from linli.orgs.models import Area, AreaKind, Unit
from linli.orgs.selectors import units_serving

LIMIT = 3
HISTORY = timedelta(days=365)
# The default route counts as much as a long record of closed cases; the record grows
# towards its half with diminishing returns (RECORD_HALF closed cases give a quarter).
W_ROUTE, W_RECORD = 0.5, 0.5
RECORD_HALF = 5
# Returning every dispatch takes most of the score away, not all of it: the route may be
# the only unit for the category.
RETURN_PENALTY = 0.9
MAX_EVENTS = 3000  # the moves read for the return shares


@dataclass(frozen=True)
class UnitSuggestion:
    unit: Unit
    score: float  # 0–1
    reasons: list[str] = field(default_factory=list)
    is_route: bool = False

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def closed_counts(category: Category, community: Area, since) -> Counter[int]:
    rows = (Case.objects.filter(community=community, category=category, state=State.CLOSED,
                                closed_at__gte=since, unit__isnull=False)
            .values("unit_id").annotate(n=Count("id")).order_by())
    return Counter({row["unit_id"]: row["n"] for row in rows})


def return_shares(category: Category, community: Area, since,
                  names: dict[str, int]) -> tuple[Counter[int], Counter[int]]:
    """Per unit: how many cases of the category in the community it was given, and how
    many of those it returned. A dispatch's event names the unit (by its unique name); a
    return is the unit's that the case was last given to."""
    events = (CaseEvent.objects.filter(case__community=community, case__category=category,
                                       at__gte=since,
                                       action__in=["dispatch", "reassign", "return"])
              .order_by("case_id", "at", "id").values_list("case_id", "action", "data")
              [:MAX_EVENTS])
    given: Counter[int] = Counter()
    returned: Counter[int] = Counter()
    holder: dict[int, int | None] = {}
    for case_id, action, data in events:
        if action == "return":
            unit_id = holder.pop(case_id, None)
            if unit_id is not None:
                returned[unit_id] += 1
            continue
        unit_id = names.get((data or {}).get("unit", ""))
        holder[case_id] = unit_id
        if unit_id is not None:
            given[unit_id] += 1
    return given, returned


def _reasons(is_route: bool, closed: int, returns: int) -> list[str]:
    reasons = [_("Default route")] if is_route else []
    if closed:
        reasons.append(ngettext("Closed %(n)d in the past year",
                                "Closed %(n)d in the past year", closed) % {"n": closed})
    if returns:
        reasons.append(ngettext("Returned %(n)d time", "Returned %(n)d times", returns)
                       % {"n": returns})
    return reasons


def unit_suggestions(*, category: Category, area: Area, limit: int = LIMIT
                     ) -> list[UnitSuggestion]:
    """The `limit` units best suited to a case of `category` at `area`, best first."""
    serving = {unit.pk: unit for unit in units_serving(area)}
    route = cases_selectors.suggested_unit(category, area)
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    since = timezone.now() - HISTORY
    closed: Counter[int] = Counter()
    given: Counter[int] = Counter()
    returned: Counter[int] = Counter()
    if community is not None:
        closed = closed_counts(category, community, since)
        names = {unit.name: pk for pk, unit in serving.items()}
        given, returned = return_shares(category, community, since, names)
    ids = {pk for pk in closed if pk in serving}
    if route is not None and route.pk in serving:
        ids.add(route.pk)
    out = []
    for pk in ids:
        is_route = route is not None and pk == route.pk
        record = closed[pk] / (closed[pk] + RECORD_HALF)
        share = returned[pk] / given[pk] if given[pk] else 0.0
        score = (W_ROUTE * is_route + W_RECORD * record) * (1 - RETURN_PENALTY * min(1, share))
        out.append(UnitSuggestion(serving[pk], round(score, 4),
                                  _reasons(is_route, closed[pk], returned[pk]), is_route))
    out.sort(key=lambda s: (-s.score, not s.is_route, s.unit.name))
    return out[:max(0, limit)]
