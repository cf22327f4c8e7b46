"""Named permission checks for the org tree. Used by the API, the pages and the services."""

from linli.accounts import scope
from linli.accounts.models import Role


def can_import_areas(actor) -> bool:
    """Whoever administers some area (or the whole system) may import areas under it; the
    import itself then checks every area the new ones hang under."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN)


def can_edit_shape(actor, area) -> bool:
    """An area's shape is drawn by the administrators of that area (or above it)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN, area)
