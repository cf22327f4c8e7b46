"""The grid map: a grid worker's grid(s), the open cases in them, and the care-plan
households due for a visit, shown only as a count per building ("待走访 2 户"): the map
is seen over shoulders in the street, so it carries no name, no dwelling, no need."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases.models import OPEN_STATES
from linli.cases.selectors import MAP_LIMIT, CaseFilters, case_list, case_points
from linli.orgs.models import Area
from linli.orgs.shapes import area_positions, area_shapes
from linli.people import selectors
from linli.people.views import require

VISIT_DAYS = 7  # "due" on the map: overdue, or due within a week


def _grids(user) -> list[Area]:
    return [a.area for a in scope.assignments(user)
            if a.role == Role.GRID_WORKER and a.area is not None]


def _visit_points(user, grids: list[Area]) -> dict:
    rows = selectors.visits_due_by_place(actor=user, grids=grids, within_days=VISIT_DAYS)
    positions = area_positions({b.pk for b, _n in rows}, {b.pk: b.path for b, _n in rows})
    features = []
    for building, count in rows:
        if building.pk not in positions:
            continue
        lat, lng = positions[building.pk]
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [lng, lat]}, "properties": {
            "title": ngettext("%(n)d household to visit", "%(n)d households to visit",
                              count) % {"n": count}}})
    return {"type": "FeatureCollection", "features": features}


@login_required
@require_GET
def grid_map(request):
    user = request.user
    grids = _grids(user)
    require(bool(grids))
    cases = case_list(actor=user, filters=CaseFilters(state=list(OPEN_STATES)))
    in_grids = [c for c in cases[:MAP_LIMIT * 2]
                if any(c.area_path.startswith(g.path) for g in grids)][:MAP_LIMIT]
    visits = _visit_points(user, grids)
    return render(request, "people/grid_map.html", {
        "grids": grids, "areas": area_shapes(actor=user, roots=grids),
        "cases": case_points(in_grids), "visits": visits, "case_count": len(in_grids),
        "visit_count": len(visits["features"]), "visit_days": VISIT_DAYS})
