"""Who may see, change and reveal the registers (DESIGN.md §7).

Staff read and reveal within their areas: the grid worker their grid, the dispatcher their
community, the leader their street, the admin their area. Leaders only read. Unit members,
volunteers and mediators have no registry at all; a resident sees only their own record.
Dispatchers, leaders and admins read the access log of their areas: the community office
watches who revealed its residents' data, and the street and district above it.
Checked by the API and pages to show the right buttons, and again by the services.
"""

from collections.abc import Iterable

from linli.accounts import scope
from linli.accounts.models import Role

# Roles that see (and may reveal) the residents of their areas.
REGISTRY_ROLES = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER, Role.ADMIN)
# Roles that keep the registers: add, edit, tag, plan and record visits.
KEEPER_ROLES = (Role.GRID_WORKER, Role.DISPATCHER, Role.ADMIN)
# Roles that read the access audit of their areas.
ACCESS_LOG_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def holds_at(actor, roles: Iterable[str], path: str) -> bool:
    """Does the actor hold one of `roles` at or above the area with this path?"""
    if not _authenticated(actor):
        return False
    if actor.is_superuser:
        return True
    wanted = set(roles)
    return any(a.role in wanted and path.startswith(a.area.path)
               for a in scope.assignments(actor))


def is_registry_staff(actor) -> bool:
    """May this person open the registry pages at all?"""
    return _authenticated(actor) and (actor.is_superuser or scope.has_role(actor,
                                                                            REGISTRY_ROLES))


def is_keeper(actor) -> bool:
    return _authenticated(actor) and (actor.is_superuser or scope.has_role(actor, KEEPER_ROLES))


def is_own_record(actor, resident) -> bool:
    return _authenticated(actor) and resident.user_id is not None and (
        resident.user_id == actor.pk)


def can_read(actor, resident) -> bool:
    return holds_at(actor, REGISTRY_ROLES, resident.area_path) or is_own_record(actor, resident)


def can_reveal(actor, resident) -> bool:
    """Staff of the resident's area; never the resident (their page is `/people/me/`),
    a unit member, a volunteer or a mediator."""
    return holds_at(actor, REGISTRY_ROLES, resident.area_path)


def can_keep(actor, path: str) -> bool:
    """May the actor add or change registry rows at the area with this path?"""
    return holds_at(actor, KEEPER_ROLES, path)


def can_view_access_log(actor) -> bool:
    return _authenticated(actor) and (actor.is_superuser or scope.has_role(actor,
                                                                            ACCESS_LOG_ROLES))


def is_grid_worker_for(user, path: str) -> bool:
    """Is `user` a grid worker whose grid contains the area with this path?"""
    if not _authenticated(user):
        return False
    return any(a.role == Role.GRID_WORKER and path.startswith(a.area.path)
               for a in scope.assignments(user))
