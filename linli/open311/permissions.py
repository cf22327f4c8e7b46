"""Who may publish communities through Open311 and issue keys into them.

`actor=None` is the operator at the command line (`linli open311_key`), who already holds
the database: the services allow it and write it to the audit log as the system.
"""

from collections.abc import Iterable

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area


def _admin_of(actor, area: Area) -> bool:
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, Role.ADMIN, area)


def can_manage_communities(actor, communities: Iterable[Area]) -> bool:
    """Administrators of every one of these communities (or above them)."""
    return all(_admin_of(actor, community) for community in communities)


def can_manage_key(actor, api_key) -> bool:
    return can_manage_communities(actor, api_key.communities.all())


def can_manage_jurisdiction(actor, community: Area) -> bool:
    return _admin_of(actor, community)


def can_manage_services(actor) -> bool:
    """Categories are shared by every community, so their Open311 questions are set by
    system administrators or administrators at the top of the tree."""
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(actor.is_superuser) or any(
        a.role == Role.ADMIN and a.area.parent_id is None for a in scope.assignments(actor))
