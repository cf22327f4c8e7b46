"""Named permission checks for the org tree. Used by the API, the pages and the services."""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Unit


def can_import_areas(actor) -> bool:
    """Whoever administers some area (or the whole system) may import areas under it; the
    import itself then checks every area the new ones hang under."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN)


def can_see_area_tree(actor) -> bool:
    """The area tree page is a working view for those who serve areas (staff, handling
    units, volunteers). A resident's places are shown where they need them (their data,
    their reports); the tree of the whole community is not for them."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser) or bool(scope.roles_of(actor) - {Role.RESIDENT})


def _signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def can_view_units(actor) -> bool:
    """Administrators manage handling units; leaders (街道/社区领导) oversee them and see the
    same pages read-only. Nobody else has the pages."""
    if not _signed_in(actor):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, [Role.ADMIN, Role.LEADER])


def can_create_units(actor) -> bool:
    return _signed_in(actor) and (bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN))


def can_edit_unit(actor, unit: Unit) -> bool:
    """The unit as a whole (name, kind, phone, active) is changed by an administrator of
    every area it serves: a unit that also serves another street or community belongs to
    their administrators too, so one of them alone may not rename or switch it off. Each
    may still change its service areas, default routes and members within their own
    areas (`can_manage_area` on each of those). The supervising area has its own rule
    (orgs.services: only who administers it may move supervision away from it)."""
    if not _signed_in(actor):
        return False
    if actor.is_superuser:
        return True
    areas = list(unit.service_areas.all())
    return bool(areas) and all(scope.has_role(actor, Role.ADMIN, area) for area in areas)
def can_edit_shape(actor, area) -> bool:
    """An area's shape is drawn by the administrators of that area (or above it)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN, area)
