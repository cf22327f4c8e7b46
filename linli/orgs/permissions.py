"""Named permission checks for the org tree. Used by the API, the pages and the services."""

from linli.accounts import scope
from linli.accounts.models import Role


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
