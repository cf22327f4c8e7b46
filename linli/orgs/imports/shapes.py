"""Importing area shapes from a GeoJSON or KML file (what GIS tools and 天地图/奥维 export).

Each feature names its area by `code` (a property, or KML ExtendedData) or by `name`
among the areas under the chosen parent. The whole file is checked first, with the shapes
it brings counted in (a grid and its estates may arrive together): one bad feature and
nothing is written. A dry run ("check only") gives the same report without writing.
"""

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.orgs import geometry
from linli.orgs.models import Area, AreaKind
from linli.orgs.permissions import can_edit_shape
from linli.orgs.shapes import NO_SHAPE_KINDS, containment_problem, geometry_summary, write_shape

MAX_BYTES = 10 * 1024 * 1024
MAX_FEATURES = 5000



@dataclass
class Feature:
    number: int  # 1-based, in file order
    name: str
    code: str
    data: Any  # the geometry as read, checked later
    area: Area | None = None
    shape: dict | None = None


@dataclass
class FeatureProblem:
    number: int
    name: str
    message: str


@dataclass
class ShapeReport:
    filename: str
    features: list[Feature]
    problems: list[FeatureProblem] = field(default_factory=list)
    written: bool = False


class ShapesRejected(ApplicationError):
    status = 400
    code = "import_rejected"


# --- reading ------------------------------------------------------------------------------

def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def read_geojson(content: bytes) -> list[Feature]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationFailed(_("The file is not GeoJSON: it is not valid JSON text."),
                               code="bad_file") from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationFailed(_("A GeoJSON file to import must be a FeatureCollection with "
                                 "one feature per area."), code="bad_file")
    features = []
    for number, item in enumerate(data.get("features") or [], start=1):
        props = item.get("properties") if isinstance(item, dict) else None
        props = props if isinstance(props, dict) else {}
        features.append(Feature(number, _text(props.get("name") or props.get("名称")),
                                _text(props.get("code") or props.get("编码")),
                                item.get("geometry") if isinstance(item, dict) else None))
    return features


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in node.iter() if _local(c.tag) == name]


def _ring(node: ET.Element | None) -> list:
    coords = next(iter(_children(node, "coordinates")), None) if node is not None else None
    if coords is None or not (coords.text or "").strip():
        return []
    ring: list[Any] = []
    for token in (coords.text or "").split():
        try:
            ring.append([float(v) for v in token.split(",")[:2]])
        except ValueError:
            ring.append(token)  # reported by the geometry check with its position
    return ring


def _kml_polygon(node: ET.Element) -> list:
    outer = next(iter(_children(node, "outerBoundaryIs")), None)
    inner = _children(node, "innerBoundaryIs")
    return [_ring(outer), *(_ring(i) for i in inner)]


def _kml_code(placemark: ET.Element) -> str:
    for data in _children(placemark, "Data") + _children(placemark, "SimpleData"):
        if data.get("name") in ("code", "编码"):
            value = next(iter(_children(data, "value")), None)
            return _text(value.text if value is not None else data.text)
    return ""


def read_kml(content: bytes) -> list[Feature]:
    # Entities are how an XML file explodes in memory or reads local files; a map export
    # never needs them, so a file declaring any is refused before it is parsed.
    if re.search(rb"<!(DOCTYPE|ENTITY)", content, re.IGNORECASE):
        raise ValidationFailed(_("The KML file declares XML entities; export it again "
                                 "without them."), code="bad_file")
    try:
        root = ET.fromstring(content)  # noqa: S314 (no DOCTYPE: checked above)
    except ET.ParseError:
        raise ValidationFailed(_("The file is not KML: it is not well-formed XML."),
                               code="bad_file") from None
    features = []
    for number, placemark in enumerate(_children(root, "Placemark"), start=1):
        name = next((c for c in placemark if _local(c.tag) == "name"), None)
        polygons = [_kml_polygon(p) for p in _children(placemark, "Polygon")]
        data: Any = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                     else {"type": "MultiPolygon", "coordinates": polygons} if polygons
                     else None)
        features.append(Feature(number, _text(name.text if name is not None else ""),
                                _kml_code(placemark), data))
    return features


def read_features(filename: str, content: bytes) -> list[Feature]:
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than %(n)d MB.") % {
            "n": MAX_BYTES // (1024 * 1024)}, code="too_large")
    lower = filename.lower()
    if lower.endswith(".kml"):
        features = read_kml(content)
    elif lower.endswith((".geojson", ".json")):
        features = read_geojson(content)
    else:
        raise ValidationFailed(_("Choose a GeoJSON (.geojson, .json) or KML (.kml) file."),
                               code="bad_file")
    if not features:
        raise ValidationFailed(_("The file holds no features."), code="bad_file")
    if len(features) > MAX_FEATURES:
        raise ValidationFailed(_("The file holds more than %(n)d features.") % {
            "n": MAX_FEATURES}, code="bad_file")
    return features


# --- checking -----------------------------------------------------------------------------

def _match(feature: Feature, parent: Area, by_code: dict[str, Area],
           by_name: dict[str, list[Area]]) -> Area | str:
    if feature.code:
        area = by_code.get(feature.code)
        return area or _("No area with the code %(code)s lies under %(parent)s.") % {
            "code": feature.code, "parent": parent.name}
    if not feature.name:
        return _("The feature has neither a code nor a name to find its area by.")
    found = by_name.get(feature.name, [])
    if not found:
        return _("No area called %(name)s lies under %(parent)s.") % {
            "name": feature.name, "parent": parent.name}
    if len(found) > 1:
        return _("%(n)d areas called %(name)s lie under %(parent)s: give the feature a "
                 "code.") % {"n": len(found), "name": feature.name, "parent": parent.name}
    return found[0]


def _check_one(feature: Feature, parent: Area, actor, by_code, by_name, seen) -> str | None:
    matched = _match(feature, parent, by_code, by_name)
    if isinstance(matched, str):
        return matched
    if matched.kind in NO_SHAPE_KINDS:
        return _("%(area)s is an entrance or a dwelling: they have no shape of their own.") % {
            "area": matched.name}
    if not can_edit_shape(actor, matched):
        return _("You may only draw the shapes of areas within your own.")
    if matched.pk in seen:
        return _("Feature %(n)d already gives %(area)s's shape.") % {
            "n": seen[matched.pk], "area": matched.name}
    seen[matched.pk] = feature.number
    feature.area = matched
    try:
        feature.shape = geometry.clean_geometry(feature.data)
    except ValidationFailed as exc:
        return exc.message
    return None


def _containment(features: list[Feature], parent: Area) -> list[FeatureProblem]:
    """Every new shape inside the shape above it and around those below, counting both
    what is stored and what the file brings."""
    stored = Area.objects.filter(Q(path__startswith=parent.path) | Q(pk__in=parent.ancestor_ids),
                                 boundary__isnull=False)
    shapes: dict[int, tuple[Area, dict]] = {a.pk: (a, a.boundary) for a in stored
                                            if a.boundary is not None}
    for f in features:
        if f.area is not None and f.shape is not None:
            shapes[f.area.pk] = (f.area, f.shape)
    problems = []
    for f in sorted(features, key=lambda f: f.area.depth if f.area else 0):
        if f.area is None or f.shape is None:
            continue
        area = f.area
        above = next((shapes[i] for i in reversed(area.ancestor_ids[:-1]) if i in shapes), None)
        below = [(a.name, s) for a, s in shapes.values() if a.pk != area.pk
                 and a.path.startswith(area.path)
                 and next((i for i in reversed(a.ancestor_ids[:-1]) if i in shapes), None)
                 == area.pk]
        problem = containment_problem(area, f.shape, (above[0].name, above[1]) if above
                                      else None, below)
        if problem:
            problems.append(FeatureProblem(f.number, f.name or area.name, problem))
    return problems


def check_features(*, actor, parent: Area, features: list[Feature]) -> list[FeatureProblem]:
    under = Area.objects.filter(path__startswith=parent.path).exclude(kind=AreaKind.DWELLING)
    codes = {f.code for f in features if f.code}
    by_code = {a.code: a for a in under.filter(code__in=codes)}
    by_name: dict[str, list[Area]] = {}
    for area in under.filter(name__in={f.name for f in features if f.name and not f.code}):
        by_name.setdefault(area.name, []).append(area)
    problems: list[FeatureProblem] = []
    seen: dict[int, int] = {}
    for feature in features:
        message = _check_one(feature, parent, actor, by_code, by_name, seen)
        if message:
            problems.append(FeatureProblem(feature.number, feature.name, message))
    if not problems:
        problems = _containment(features, parent)
    return sorted(problems, key=lambda p: p.number)


@transaction.atomic
def area_shapes_import(*, actor, parent: Area, filename: str, content: bytes,
                       dry_run: bool = False) -> ShapeReport:
    """Check every feature, then (unless `dry_run`) store every shape; refused with
    ShapesRejected listing each problem by feature number and name, nothing written."""
    if not can_edit_shape(actor, parent):
        raise PermissionDenied(_("You may only draw the shapes of areas within your own."))
    features = read_features(filename, content)
    report = ShapeReport(filename, features, check_features(actor=actor, parent=parent,
                                                            features=features))
    if report.problems:
        raise ShapesRejected(_("Nothing was imported: %(n)d feature(s) have problems.") % {
            "n": len({p.number for p in report.problems})}, details=report.problems)
    if dry_run:
        return report
    for feature in sorted(features, key=lambda f: f.area.depth if f.area else 0):
        assert feature.area is not None and feature.shape is not None
        before = geometry_summary(feature.area.boundary) if feature.area.boundary else ""
        write_shape(feature.area, feature.shape)
        audit_record(actor=actor, action="area.shapes_imported", obj=feature.area,
                     changes={"boundary": [before, geometry_summary(feature.shape)],
                              "file": filename[:100]})
    report.written = True
    return report
