"""Routing: the default unit for a category in an area, and open duplicates nearby."""

from decimal import Decimal

from django.conf import settings

from linli.cases.models import OPEN_STATES, Case, Category, Route
from linli.core.geo import metres_between
from linli.core.versioned import Versioned
from linli.orgs.models import Area, AreaKind, Unit


def _route(key: tuple[int, int | None, str]) -> Unit | None:
    category_id, parent_id, path = key
    category_ids = [category_id] + ([parent_id] if parent_id else [])
    ancestor_ids = [int(part) for part in path.strip("/").split("/") if part]
    routes = (Route.objects.filter(category_id__in=category_ids, area_id__in=ancestor_ids,
                                   unit__is_active=True)
              .select_related("unit", "area"))
    # Deepest area first, then the exact category before its group.
    best = sorted(routes, key=lambda r: (-r.area.depth, r.category_id != category_id))
    return best[0].unit if best else None


# Every report asks; routes change when an admin edits them (or a unit closes).
_routes = Versioned(("cases_route", "orgs_unit", "orgs_area"), _route)


def suggested_unit(category: Category, area: Area) -> Unit | None:
    """The route for this category (or its group) set at the nearest area above `area`."""
    return _routes.copy((category.pk, category.parent_id, area.path))


def nearby_open_cases(*, category: Category, area: Area, lat: Decimal | None = None,
                      lng: Decimal | None = None, exclude_id: int | None = None,
                      limit: int = 5) -> list[Case]:
    """Open cases of the same category in the same building, or within
    LINLI_DUPLICATE_RADIUS_M metres when both have coordinates."""
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    if community is None:
        return []
    candidates = Case.objects.filter(category=category, state__in=OPEN_STATES,
                                     area_path__startswith=community.path)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    candidates = candidates.select_related("area", "category", "community").order_by(
        "-reported_at")[:200]
    building = area.ancestor_of_kind(AreaKind.BUILDING)
    radius = settings.DUPLICATE_RADIUS_M
    found = []
    for case in candidates:
        same_building = building is not None and case.area_path.startswith(building.path)
        near = (lat is not None and lng is not None and case.lat is not None
                and case.lng is not None and metres_between(lat, lng, case.lat, case.lng) <= radius)
        same_spot = building is None and case.area_id == area.pk
        if same_building or near or same_spot:
            found.append(case)
        if len(found) >= limit:
            break
    return found
