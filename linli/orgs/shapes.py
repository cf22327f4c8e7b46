"""Area shapes: setting and clearing one (audited), and the shapes the actor may see as a
GeoJSON FeatureCollection for the maps (`core/_map.html`).

A shape must lie inside the nearest area above it that has a shape, and the shapes below
it must lie inside it: grids in the community, estates in their grid, buildings in their
estate, so a map never shows a building outside its estate.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs import geometry
from linli.orgs.models import Area, AreaKind
from linli.orgs.permissions import can_edit_shape
from linli.orgs.selectors import area_list

# Kinds drawn on maps: entrances and dwellings are too small, and a dwelling is private.
MAP_KINDS = [AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE,
             AreaKind.BUILDING]
NO_SHAPE_KINDS = (AreaKind.ENTRANCE, AreaKind.DWELLING)


def shaped_parent(area: Area) -> Area | None:
    """The nearest area above `area` that has a shape."""
    return (Area.objects.filter(pk__in=area.ancestor_ids, boundary__isnull=False)
            .exclude(pk=area.pk).order_by("-depth").first())


def shaped_children(area: Area):
    """The shapes directly below `area`'s own: each shaped descendant whose nearest shaped
    ancestor is `area` (a building in an unshaped estate counts, for the grid)."""
    below = list(Area.objects.filter(path__startswith=area.path, boundary__isnull=False)
                 .exclude(pk=area.pk).order_by("depth"))
    shaped_paths = [a.path for a in below]
    return [a for a in below
            if not any(a.path.startswith(p) and p != a.path for p in shaped_paths)]


def containment_problem(area: Area, shape: dict, parent: tuple[str, dict] | None,
                        children: list[tuple[str, dict]]) -> str | None:
    """Why `shape` cannot be `area`'s: outside the shape above (`parent`: name and shape),
    or not holding the shapes below (`children`)."""
    if parent is not None and not geometry.within(shape, parent[1]):
        return _("%(area)s's shape goes outside %(parent)s's shape: draw it within it.") % {
            "area": area.name, "parent": parent[0]}
    for name, child_shape in children:
        if not geometry.within(child_shape, shape):
            return _("%(child)s lies below %(area)s but its shape would be outside: change or "
                     "clear %(child)s's shape first.") % {"child": name, "area": area.name}
    return None


def stored_containment_problem(area: Area, shape: dict) -> str | None:
    above = shaped_parent(area)
    return containment_problem(
        area, shape, (above.name, above.boundary) if above and above.boundary else None,
        [(c.name, c.boundary) for c in shaped_children(area) if c.boundary])


def _check_actor(actor, area: Area) -> None:
    if not can_edit_shape(actor, area):
        raise PermissionDenied(_("You may only draw the shapes of areas within your own."))


def _centre_if_missing(area: Area, shape: dict) -> list[str]:
    if area.lat is not None and area.lng is not None:
        return []
    lat, lng = geometry.centre(shape)
    area.lat, area.lng = Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")
    return ["lat", "lng"]


def write_shape(area: Area, shape: dict) -> None:
    """Store a shape already checked (the import checks a whole file first)."""
    fields = ["boundary", *_centre_if_missing(area, shape)]
    area.boundary = shape
    area.save(update_fields=fields)


@transaction.atomic
def area_shape_set(*, actor, area: Area, data: Any) -> Area:
    """Set `area`'s shape from parsed GeoJSON (a geometry, a Feature or a one-feature
    collection). Refused with the reason, and nothing changed, unless it is a valid
    polygon inside the shape above and around the shapes below."""
    _check_actor(actor, area)
    if area.kind in NO_SHAPE_KINDS:
        raise ValidationFailed(_("Entrances and dwellings have no shape of their own."),
                               code="bad_shape")
    shape = geometry.clean_geometry(data)
    problem = stored_containment_problem(area, shape)
    if problem:
        raise ValidationFailed(problem, code="outside_parent")
    before = geometry_summary(area.boundary) if area.boundary else ""
    write_shape(area, shape)
    audit_record(actor=actor, action="area.shape_set", obj=area,
                 changes={"boundary": [before, geometry_summary(shape)]})
    return area


@transaction.atomic
def area_shape_clear(*, actor, area: Area) -> Area:
    _check_actor(actor, area)
    if area.boundary is None:
        raise ValidationFailed(_("%(area)s has no shape to clear.") % {"area": area.name},
                               code="no_shape")
    before = geometry_summary(area.boundary)
    area.boundary = None
    area.save(update_fields=["boundary"])
    audit_record(actor=actor, action="area.shape_cleared", obj=area,
                 changes={"boundary": [before, ""]})
    return area


def geometry_summary(shape: dict) -> str:
    """A short description for the audit log (the coordinates themselves would flood it)."""
    polygons = shape["coordinates"] if shape["type"] == "MultiPolygon" else [
        shape["coordinates"]]
    points = sum(len(ring) for polygon in polygons for ring in polygon)
    return _("%(n)d polygon(s), %(points)d points") % {"n": len(polygons), "points": points}


def _feature(area: Area) -> dict | None:
    properties = {"id": area.pk, "name": area.name, "kind": area.kind}
    if area.boundary:
        return {"type": "Feature", "geometry": area.boundary, "properties": properties}
    if area.lat is not None and area.lng is not None:
        return {"type": "Feature", "properties": properties, "geometry": {
            "type": "Point", "coordinates": [float(area.lng), float(area.lat)]}}
    return None


def area_shapes(*, actor, roots: list[Area] | None = None,
                kinds: list[str] | None = None) -> dict:
    """The shapes (or centre points) of the areas the actor may see within `roots` (all
    they may see if None), largest first so buildings are drawn above their estates."""
    qs = area_list(actor=actor).filter(kind__in=kinds or MAP_KINDS)
    if roots is not None:
        from django.db.models import Q

        within_roots = Q(pk__in=[])
        for root in roots:
            within_roots |= Q(path__startswith=root.path)
        qs = qs.filter(within_roots)
    features = [f for f in map(_feature, qs.order_by("depth", "path")[:5000]) if f]
    return {"type": "FeatureCollection", "features": features}


def community_shapes(*, community: Area) -> dict:
    """The shapes of a community and everything mapped under it, for a page that shows the
    community to the public (cases.views_public): the caller has decided the community is
    published. Shapes carry names and kinds only, never people; dwellings have none."""
    qs = Area.objects.filter(path__startswith=community.path, kind__in=MAP_KINDS)
    features = [f for f in map(_feature, qs.order_by("depth", "path")[:5000]) if f]
    return {"type": "FeatureCollection", "features": features}


def area_positions(area_ids: set[int], paths: dict[int, str]) -> dict[int, tuple[float, float]]:
    """For each area id, the centre of the area or of the nearest area above it that has
    one (a dwelling has none: its building's is used, which also keeps the home private).
    `paths` maps each id to its path; one query for all."""
    chain_ids = {int(p) for path in paths.values() for p in path.strip("/").split("/") if p}
    centres = {a.pk: (float(a.lat), float(a.lng)) for a in Area.objects.filter(
        pk__in=chain_ids | area_ids, lat__isnull=False, lng__isnull=False)
        .exclude(kind=AreaKind.DWELLING).only("pk", "lat", "lng")
        if a.lat is not None and a.lng is not None}
    found = {}
    for area_id in area_ids:
        ids = [int(p) for p in paths.get(area_id, "").strip("/").split("/") if p]
        for pk in reversed(ids):
            if pk in centres:
                found[area_id] = centres[pk]
                break
    return found
