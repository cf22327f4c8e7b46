"""Every write to the org tree and the handling units."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.accounts.permissions import can_manage_area
from linli.core.audit import audit_record, diff, snapshot
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind, Unit, UnitKind
from linli.orgs.paths import common_path
from linli.orgs.permissions import can_edit_unit
from linli.orgs.validators import (
    code_problem,
    duty_phone_problem,
    normalize_duty_phone,
    parent_problem,
)

_AREA_FIELDS = ["name", "code", "lat", "lng", "floor_area"]


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
def _clean_floor_area(area: Area, floor_area: Decimal) -> Decimal:
    """Only a dwelling has a floor area (专有部分面积): owners' votes weigh by it."""
    if area.kind != AreaKind.DWELLING:
        raise ValidationFailed(_("Only a dwelling has a floor area."), code="not_a_dwelling")
    if not Decimal("1") <= floor_area <= Decimal("100000"):
        raise ValidationFailed(_("A floor area is between 1 and 100,000 m²."),
                               code="bad_floor_area")
    return floor_area


def area_update(*, actor, area: Area, name: str | None = None, code: str | None = None,
                lat: Decimal | None = None, lng: Decimal | None = None,
                floor_area: Decimal | None = None) -> Area:
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
    if floor_area is not None:
        area.floor_area = _clean_floor_area(area, floor_area)
    try:
        with transaction.atomic():
            area.save(update_fields=_AREA_FIELDS)
    except IntegrityError:
        raise Conflict(_("%(name)s already exists here.") % {"name": new_name}) from None
    audit_record(actor=actor, action="area.updated", obj=area,
                 changes=diff(area, _AREA_FIELDS, before))
    return area


UNIT_FIELDS = ["name", "kind", "phone", "supervisor_area", "is_active"]
# Kinds of area a unit may serve: dwellings and entrances are too small to route by.
SERVED_KINDS = ["district", "street", "community", "grid", "estate", "building"]


def _unit_path(unit: Unit) -> str:
    """Where entries about a unit are filed: where all its areas meet, so the
    administrators of those areas see them."""
    return common_path([a.path for a in unit.service_areas.all()])


def _clean_unit(unit_id: int | None, name: str, kind: str, phone: str) -> tuple[str, str]:
    typed = phone or ""
    name, phone = (name or "").strip(), normalize_duty_phone(typed)
    if not name or len(name) > 100:
        raise ValidationFailed(_("A handling unit needs a name of 1-100 characters."),
                               code="bad_name")
    if kind not in UnitKind.values:
        raise ValidationFailed(_("Unknown kind of handling unit."), code="bad_kind")
    problem = duty_phone_problem(phone, typed)
    if problem:
        raise ValidationFailed(problem, code="bad_phone")
    same_name = Unit.objects.filter(name__iexact=name)
    if unit_id is not None:
        same_name = same_name.exclude(pk=unit_id)
    taken = same_name.first()
    if taken is not None:
        raise Conflict(_("A handling unit called %(name)s already exists.") % {
            "name": taken.name}, code="duplicate_unit")
    return name, phone


def _check_served(actor, area: Area) -> None:
    if area.kind not in SERVED_KINDS:
        raise ValidationFailed(_("A unit serves a building or a larger area, not %(name)s.")
                               % {"name": area.name}, code="bad_area")
    if not can_manage_area(actor, area):
        raise PermissionDenied(_("You may only add units for your own areas."))


def _check_supervisor(actor, area: Area | None, before: Area | None = None) -> None:
    """A new supervising area must be the actor's; and supervision set by a higher area
    (the street watching a community's property company) is not dropped from below."""
    if area == before:
        return
    if area is not None and not can_manage_area(actor, area):
        raise PermissionDenied(_("The supervising area must be one of your own areas."))
    if before is not None and not can_manage_area(actor, before):
        raise PermissionDenied(_("%(area)s supervises this unit: only its administrators "
                                 "may change that.") % {"area": before.name})


def _save_unit(unit: Unit, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            unit.save(update_fields=fields)
    except IntegrityError:  # two requests raced past the name check
        raise Conflict(_("A handling unit called %(name)s already exists.") % {
            "name": unit.name}, code="duplicate_unit") from None


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, service_areas: list[Area],
                phone: str = "", supervisor_area: Area | None = None) -> Unit:
    name, phone = _clean_unit(None, name, kind, phone)
    if not service_areas:
        raise ValidationFailed(_("Name at least one area the unit serves."), code="no_area")
    for area in service_areas:
        _check_served(actor, area)
    _check_supervisor(actor, supervisor_area)
    unit = Unit(name=name, kind=kind, phone=phone, supervisor_area=supervisor_area)
    _save_unit(unit)
    unit.service_areas.set(service_areas)
    audit_record(actor=actor, action="unit.created", obj=unit,
                 area_path=common_path([a.path for a in service_areas]),
                 changes={"kind": kind, "phone": phone,
                          "areas": [a.name for a in service_areas],
                          "supervisor_area": str(supervisor_area or "")})
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, name: str, kind: str, phone: str,
                supervisor_area: Area | None, is_active: bool) -> Unit:
    """The unit as a whole. Callers that know about cases check open work before a unit
    is switched off (cases.services.unit_change)."""
    if not can_edit_unit(actor, unit):
        raise PermissionDenied(_("This unit also serves areas outside yours: only their "
                                 "administrators together may change it."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name, phone = _clean_unit(unit.pk, name, kind, phone)
    _check_supervisor(actor, supervisor_area, unit.supervisor_area)
    before = snapshot(unit, UNIT_FIELDS)
    unit.name, unit.kind, unit.phone = name, kind, phone
    unit.supervisor_area, unit.is_active = supervisor_area, is_active
    _save_unit(unit, UNIT_FIELDS)
    changes = diff(unit, [f for f in UNIT_FIELDS if f != "is_active"], before)
    if changes:
        audit_record(actor=actor, action="unit.updated", obj=unit, area_path=_unit_path(unit),
                     changes=changes)
    if before["is_active"] != is_active:
        audit_record(actor=actor, action="unit.reactivated" if is_active else
                     "unit.deactivated", obj=unit, area_path=_unit_path(unit))
    return unit


@transaction.atomic
def unit_area_add(*, actor, unit: Unit, area: Area) -> None:
    _check_served(actor, area)
    served = list(unit.service_areas.all())
    if area in served:
        raise Conflict(_("%(unit)s already serves %(area)s.") % {
            "unit": unit.name, "area": area.name}, code="already_served")
    wider = next((a for a in served if area.is_within(a)), None)
    if wider is not None:
        raise Conflict(_("%(unit)s already serves %(wider)s, which holds %(area)s.") % {
            "unit": unit.name, "wider": wider.name, "area": area.name}, code="already_served")
    unit.service_areas.add(area)
    audit_record(actor=actor, action="unit.area_added", obj=unit, area_path=area.path,
                 changes={"area": area.full_name()})


@transaction.atomic
def unit_area_remove(*, actor, unit: Unit, area: Area) -> None:
    """Callers that know about default routes check those first
    (cases.services.unit_area_drop)."""
    if not can_manage_area(actor, area):
        raise PermissionDenied(_("You may only change units within your own areas."))
    served = list(unit.service_areas.all())
    if area not in served:
        raise ValidationFailed(_("%(unit)s does not serve %(area)s.") % {
            "unit": unit.name, "area": area.name}, code="not_served")
    if len(served) == 1:
        raise ValidationFailed(_("A unit serves at least one area: add another first, or "
                                 "deactivate the unit instead."), code="last_area")
    unit.service_areas.remove(area)
    audit_record(actor=actor, action="unit.area_removed", obj=unit, area_path=area.path,
                 changes={"area": area.full_name()})


# The area-tree import from a spreadsheet is a service too: `area_tree_import(*, actor,
# filename, content)` in linli/orgs/imports/ (with reader.py and plan.py),
# kept apart for its size.
