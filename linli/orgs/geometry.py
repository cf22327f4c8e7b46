"""Area shapes as GeoJSON: checking a Polygon or MultiPolygon before it is stored, and
whether one shape lies within another.

The structure (rings, positions, ranges) is checked by hand so the message can say which
ring and which position is wrong; validity (self-intersection) and containment are
shapely's. Every message is written for the administrator who drew or exported the shape.
"""

import json
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import shape as make_shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from linli.core.errors import ValidationFailed

SHAPE_TYPES = ("Polygon", "MultiPolygon")
# About one metre at Chinese latitudes: shapes traced by hand on a map do not share
# borders exactly, and a child that touches its parent's edge is still inside.
TOLERANCE = 0.00001
MAX_POSITIONS = 20_000  # a building or a grid needs hundreds at most


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise ValidationFailed(_("This is not GeoJSON: the text is not valid JSON."),
                               code="bad_shape") from None


def geometry_of(data: Any) -> dict:
    """The geometry in what a person pasted: a bare geometry, a Feature, or a
    FeatureCollection holding exactly one feature (what most map tools export)."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ValidationFailed(_("The file holds %(n)d shapes; paste one area's shape, or "
                                     "use the import for many.") % {"n": len(features)},
                                   code="bad_shape")
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in SHAPE_TYPES:
        found = data.get("type") if isinstance(data, dict) else None
        raise ValidationFailed(
            _("An area's shape must be a Polygon or MultiPolygon; got %(type)s.") % {
                "type": found or _("nothing usable")}, code="bad_shape")
    return {"type": data["type"], "coordinates": data.get("coordinates")}


def _position_problem(position: Any, where: str) -> str | None:
    if (not isinstance(position, list | tuple) or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool)
                       for v in position[:2])):
        return _("%(where)s: a position must be [longitude, latitude].") % {"where": where}
    lng, lat = position[0], position[1]
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        return _("%(where)s: [%(lng)s, %(lat)s] is not a longitude and latitude (longitude "
                 "-180 to 180 first, then latitude -90 to 90).") % {
            "where": where, "lng": lng, "lat": lat}
    return None


def _ring_problem(ring: Any, where: str) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return _("%(where)s needs at least 4 positions (a triangle and its first point "
                 "again).") % {"where": where}
    for number, position in enumerate(ring, start=1):
        problem = _position_problem(position, _("%(where)s, position %(n)d") % {
            "where": where, "n": number})
        if problem:
            return problem
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return _("%(where)s is not closed: its last position must repeat the first.") % {
            "where": where}
    return None


def _polygon_problem(rings: Any, label: str) -> str | None:
    if not isinstance(rings, list) or not rings:
        return _("%(where)s has no rings.") % {"where": label}
    for number, ring in enumerate(rings):
        where = (_("%(polygon)s, outer ring") % {"polygon": label} if number == 0 else
                 _("%(polygon)s, hole %(n)d") % {"polygon": label, "n": number})
        problem = _ring_problem(ring, where)
        if problem:
            return problem
    return None


def structure_problem(geometry: dict) -> str | None:
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [(_("The polygon"), coordinates)]
    elif not isinstance(coordinates, list) or not coordinates:
        return _("The MultiPolygon has no polygons.")
    else:
        polygons = [(_("Polygon %(n)d") % {"n": n}, p)
                    for n, p in enumerate(coordinates, start=1)]
    for label, rings in polygons:
        problem = _polygon_problem(rings, label)
        if problem:
            return problem
    if json.dumps(coordinates).count("[") > MAX_POSITIONS:
        return _("The shape has too many points (at most %(n)d).") % {"n": MAX_POSITIONS}
    return None


def to_shape(geometry: dict) -> BaseGeometry:
    return make_shape(geometry)


def clean_geometry(data: Any) -> dict:
    """A Polygon or MultiPolygon ready to store, or ValidationFailed saying what is wrong."""
    geometry = geometry_of(data)
    problem = structure_problem(geometry)
    if problem:
        raise ValidationFailed(problem, code="bad_shape")
    shape = to_shape(geometry)
    if shape.convex_hull.area == 0:
        raise ValidationFailed(_("The shape has no area: its points lie on one line."),
                               code="bad_shape")
    if not shape.is_valid:
        reason = explain_validity(shape)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            message = _("The shape crosses itself (near %(where)s): draw its outline without "
                        "crossing lines.")
        else:
            message = _("The shape is not a valid area (near %(where)s): rings overlap or a "
                        "hole lies outside its polygon.")
        where = reason[reason.find("[") + 1:reason.find("]")] if "[" in reason else reason
        raise ValidationFailed(message % {"where": where}, code="bad_shape")
    # Positions rounded to 7 decimals (1 cm): exports carry noise digits that only weigh.
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}


def _rounded(value: Any) -> Any:
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], int | float):
            return [round(float(v), 7) for v in value[:2]]
        return [_rounded(v) for v in value]
    return value


def within(inner: dict, outer: dict) -> bool:
    """Whether `inner` lies inside `outer`, give or take TOLERANCE."""
    return to_shape(outer).buffer(TOLERANCE).covers(to_shape(inner))


def point_within(lng: float, lat: float, outer: dict) -> bool:
    from shapely.geometry import Point

    return to_shape(outer).buffer(TOLERANCE).covers(Point(lng, lat))


def centre(geometry: dict) -> tuple[float, float]:
    """A point inside the shape (lat, lng), for the area's centre when it has none."""
    point = to_shape(geometry).representative_point()
    return point.y, point.x
