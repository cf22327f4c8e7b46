"""Every write to the org tree and the handling units."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.accounts.permissions import can_manage_area
from linli.core.audit import audit_record, diff, snapshot
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, Unit, UnitKind
from linli.orgs.paths import common_path
from linli.orgs.validators import code_problem, parent_problem

_AREA_FIELDS = ["name", "code", "lat", "lng"]


def _check_area(kind: str, name: str, code: str, parent: Area | None) -> None:
    if not name or len(name) > 100:
        raise ValidationFailed(_("An area needs a name of 1-100 characters."))
    problem = parent_problem(kind, parent.kind if parent else None) or code_problem(
        kind, code, parent.kind if parent else None, parent.code if parent else None
    )
    if problem:
        raise ValidationFailed(problem, code="bad_area")


def area_insert(*, kind: str, name: str, parent: Area | None, code: str = "",
                lat: Decimal | None = None, lng: Decimal | None = None) -> Area:
    """Validate and insert one area, fixing its path. No permission check: callers do it."""
    name, code = (name or "").strip(), (code or "").strip()
    _check_area(kind, name, code, parent)
    if code and Area.objects.filter(code=code).exists():
        raise Conflict(_("The code %(code)s is already used by another area.") % {"code": code},
                       code="duplicate_code")
    if Area.objects.filter(parent=parent, name=name).exists():
        raise Conflict(_("%(name)s already exists here.") % {"name": name},
                       code="duplicate_area")
    try:
        with transaction.atomic():
            area = Area.objects.create(kind=kind, name=name, code=code, parent=parent,
                                       lat=lat, lng=lng,
                                       depth=(parent.depth + 1) if parent else 0)
    except IntegrityError:
        raise Conflict(_("This area or code already exists."), code="duplicate_area") from None
    area.path = f"{parent.path if parent else '/'}{area.pk}/"
    Area.objects.filter(pk=area.pk).update(path=area.path)
    return area


@transaction.atomic
def area_create(*, actor, kind: str, name: str, parent: Area | None, code: str = "",
                lat: Decimal | None = None, lng: Decimal | None = None) -> Area:
    if parent is None and not actor.is_superuser:
        raise PermissionDenied(_("Only a system administrator may add a district."))
    if parent is not None and not can_manage_area(actor, parent):
        raise PermissionDenied(_("You may only change areas within your own."))
    area = area_insert(kind=kind, name=name, parent=parent, code=code, lat=lat, lng=lng)
    audit_record(actor=actor, action="area.created", obj=area,
                 changes={"kind": kind, "code": area.code, "parent": str(parent or "")})
    return area


@transaction.atomic
def area_update(*, actor, area: Area, name: str | None = None, code: str | None = None,
                lat: Decimal | None = None, lng: Decimal | None = None) -> Area:
    if not can_manage_area(actor, area):
        raise PermissionDenied(_("You may only change areas within your own."))
    before = snapshot(area, _AREA_FIELDS)
    new_name = area.name if name is None else name.strip()
    new_code = area.code if code is None else code.strip()
    _check_area(area.kind, new_name, new_code, area.parent)
    if new_code and Area.objects.filter(code=new_code).exclude(pk=area.pk).exists():
        raise Conflict(_("The code %(code)s is already used by another area.") % {
            "code": new_code}, code="duplicate_code")
    if new_code != area.code and area.children.exclude(code="").exists():
        raise ValidationFailed(_("Change the code only before child areas have codes."))
    area.name, area.code = new_name, new_code
    area.lat = area.lat if lat is None else lat
    area.lng = area.lng if lng is None else lng
    try:
        with transaction.atomic():
            area.save(update_fields=_AREA_FIELDS)
    except IntegrityError:
        raise Conflict(_("%(name)s already exists here.") % {"name": new_name}) from None
    audit_record(actor=actor, action="area.updated", obj=area,
                 changes=diff(area, _AREA_FIELDS, before))
    return area


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, service_areas: list[Area],
                phone: str = "", supervisor_area: Area | None = None) -> Unit:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("A handling unit needs a name of 1-100 characters."))
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Unknown kind of handling unit."))
    if not service_areas:
        raise ValidationFailed(_("Name at least one area the unit serves."))
    for area in [*service_areas, *([supervisor_area] if supervisor_area else [])]:
        if not can_manage_area(actor, area):
            raise PermissionDenied(_("You may only add units for your own areas."))
    if Unit.objects.filter(name=name).exists():
        raise Conflict(_("A handling unit called %(name)s already exists.") % {"name": name})
    unit = Unit.objects.create(name=name, kind=kind, phone=phone.strip()[:32],
                               supervisor_area=supervisor_area)
    unit.service_areas.set(service_areas)
    # Filed where all its areas meet, so the administrators of those areas see it.
    audit_record(actor=actor, action="unit.created", obj=unit,
                 area_path=common_path([a.path for a in service_areas]),
                 changes={"kind": kind, "areas": [a.name for a in service_areas]})
    return unit


# The area-tree import from a spreadsheet is a service too: `area_tree_import(*, actor,
# filename, content)` in linli/orgs/imports/ (with reader.py and plan.py),
# kept apart for its size.
