"""Changes to handling units that must know about cases: switching a unit off (not while
it has open cases), dropping a service area (not while default routes depend on it), and
the default routes themselves (a category in an area goes to a unit by default).

orgs keeps the unit's own rules (orgs.services); orgs may not look at cases, so the pages
call these, which check the cases side first and then hand over to orgs.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.accounts.permissions import can_manage_area
from linli.cases.models import OPEN_STATES, Case, Category, Route
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs import services as org_services
from linli.orgs.models import Area, Unit


@transaction.atomic
def unit_change(*, actor, unit: Unit, name: str, kind: str, phone: str,
                supervisor_area: Area | None, is_active: bool) -> Unit:
    """Edit a unit; refused when it would be switched off with cases still open, since
    nobody could then acknowledge or resolve them."""
    if unit.is_active and not is_active:
        open_cases = Case.objects.filter(unit=unit, state__in=OPEN_STATES).count()
        if open_cases:
            raise Conflict(ngettext(
                "%(unit)s still has %(n)d open case. Have it finished, or dispatched to "
                "another unit, before deactivating it.",
                "%(unit)s still has %(n)d open cases. Have them finished, or dispatched to "
                "another unit, before deactivating it.", open_cases) % {
                "unit": unit.name, "n": open_cases}, code="unit_has_open_cases")
    return org_services.unit_update(actor=actor, unit=unit, name=name, kind=kind, phone=phone,
                                    supervisor_area=supervisor_area, is_active=is_active)


@transaction.atomic
def unit_area_drop(*, actor, unit: Unit, area: Area) -> None:
    """Stop serving `area`; refused while default routes of the unit lie in it and no
    other service area holds them (they would send cases to a unit not serving there)."""
    remaining = [a for a in unit.service_areas.all() if a.pk != area.pk]
    orphans = [r for r in Route.objects.filter(unit=unit, area__path__startswith=area.path)
               .select_related("area", "category").order_by("area__path", "category__code")
               if not any(r.area.is_within(a) for a in remaining)]
    if orphans:
        first = orphans[0]
        raise Conflict(ngettext(
            "%(n)d default route of %(unit)s lies in %(area)s (%(category)s in %(place)s): "
            "remove it first.",
            "%(n)d default routes of %(unit)s lie in %(area)s (for example %(category)s in "
            "%(place)s): remove them first.", len(orphans)) % {
            "n": len(orphans), "unit": unit.name, "area": area.name,
            "category": first.category.name, "place": first.area.name},
            code="area_has_routes")
    org_services.unit_area_remove(actor=actor, unit=unit, area=area)


def _check_route(actor, unit: Unit, category: Category, area: Area) -> None:
    if not category.is_active:
        raise ValidationFailed(_("The category %(category)s is no longer in use.") % {
            "category": category.name}, code="bad_category")
    if not unit.is_active:
        raise ValidationFailed(_("%(unit)s is deactivated: reactivate it before routing "
                                 "cases to it.") % {"unit": unit.name}, code="unit_inactive")
    if not can_manage_area(actor, area):
        raise PermissionDenied(_("You may only set default units within your own areas."))
    if not any(area.is_within(a) for a in unit.service_areas.all()):
        raise ValidationFailed(_("%(unit)s does not serve %(area)s: add the area to its "
                                 "service areas first.") % {"unit": unit.name,
                                                            "area": area.name},
                               code="not_served")


@transaction.atomic
def route_set(*, actor, unit: Unit, category: Category, area: Area,
              replace: bool = False) -> Route:
    """Send `category` (a leaf, or a whole group) in `area` and below to `unit` by
    default. One unit per category and area: an existing route to another unit is taken
    over only when `replace` says so."""
    _check_route(actor, unit, category, area)
    existing = (Route.objects.select_for_update().select_related("unit")
                .filter(category=category, area=area).first())
    words = {"category": category.name, "area": area.name, "unit": unit.name}
    if existing is not None and existing.unit_id == unit.pk:
        raise Conflict(_("In %(area)s, %(category)s already goes to %(unit)s.") % words,
                       code="route_exists")
    if existing is not None and not replace:
        words["unit"] = existing.unit.name
        raise Conflict(_("In %(area)s, %(category)s already goes to %(unit)s. Tick "
                         "“Take it over” to send it here instead.") % words,
                       code="route_taken")
    if existing is not None:
        before = existing.unit.name
        existing.unit = unit
        existing.save(update_fields=["unit"])
        audit_record(actor=actor, action="route.updated", obj=existing, area_path=area.path,
                     object_label=f"{category.name} · {area.name}",
                     changes={"unit": [before, unit.name]})
        return existing
    try:
        with transaction.atomic():
            route = Route.objects.create(category=category, area=area, unit=unit)
    except IntegrityError:  # another request set one first
        raise Conflict(_("Somebody set a default unit for %(category)s in %(area)s just "
                         "now: reload and try again.") % words, code="route_taken") from None
    audit_record(actor=actor, action="route.created", obj=route, area_path=area.path,
                 object_label=f"{category.name} · {area.name}",
                 changes={"category": category.code, "area": area.full_name(),
                          "unit": unit.name})
    return route


@transaction.atomic
def route_remove(*, actor, route: Route) -> None:
    if not can_manage_area(actor, route.area):
        raise PermissionDenied(_("You may only set default units within your own areas."))
    audit_record(actor=actor, action="route.deleted", obj=route, area_path=route.area.path,
                 object_label=f"{route.category.name} · {route.area.name}",
                 changes={"category": route.category.code, "area": route.area.full_name(),
                          "unit": route.unit.name})
    route.delete()
