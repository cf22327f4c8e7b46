"""Named permission checks for accounts. Used by the API, the pages and the services."""

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.orgs.models import Area


def can_manage_area(actor, area: Area) -> bool:
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN, area)


def can_manage_user(actor, user: User) -> bool:
    """Admins manage users whose every assignment lies within the admin's areas."""
    if actor.is_superuser:
        return True
    # A system administrator holds no area, so "every assignment within" would be vacuously
    # true: only another system administrator manages one.
    if user.is_superuser or not scope.has_role(actor, Role.ADMIN):
        return False
    areas = [a.area for a in scope.assignments(user)]
    return all(scope.has_role(actor, Role.ADMIN, area) for area in areas)


def can_view_audit(actor) -> bool:
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN)
