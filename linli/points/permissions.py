"""Who may do what with points and the store. Used by the API and pages to show the right
forms, and again by the services before anything moves.

The store desk, the catalogue, the earning rules and corrections (reversals) belong to the
community's dispatchers and the admins above them; leaders may read statements.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area, AreaKind

# Run the store desk, manage the catalogue and the earning rules, reverse postings.
STORE_ROLES = [Role.DISPATCHER, Role.ADMIN]
# Read residents' statements and the store's redemptions.
READ_ROLES = [Role.DISPATCHER, Role.LEADER, Role.ADMIN]


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def resident_communities(actor) -> list[Area]:
    """The communities the actor lives in (through their resident assignments)."""
    found: dict[int, Area] = {}
    for assignment in scope.assignments(actor):
        if assignment.role == Role.RESIDENT:
            community = assignment.area.ancestor_of_kind(AreaKind.COMMUNITY)
            if community is not None:
                found[community.pk] = community
    return list(found.values())


def is_resident_of(actor, community: Area) -> bool:
    return any(a.role == Role.RESIDENT and a.area.is_within(community)
               for a in scope.assignments(actor))


def can_run_store(actor, community: Area) -> bool:
    """The store desk, the catalogue, the earning rules and reversals of `community`."""
    if not _authenticated(actor):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, STORE_ROLES, community)


def can_read_ledger(actor, community: Area) -> bool:
    if not _authenticated(actor):
        return False
    return bool(actor.is_superuser) or scope.has_role(actor, READ_ROLES, community)


def can_redeem(actor, community: Area) -> bool:
    return _authenticated(actor) and is_resident_of(actor, community)


def can_cancel(actor, redemption) -> bool:
    """The resident who placed it (while it is held: the service checks the state) or the
    store desk."""
    if not _authenticated(actor):
        return False
    return redemption.resident_id == actor.pk or can_run_store(actor, redemption.community)


def is_store_staff(actor) -> bool:
    """Holds a store role anywhere: shows the desk and the management pages."""
    return _authenticated(actor) and (bool(actor.is_superuser)
                                      or scope.has_role(actor, STORE_ROLES))


def is_ledger_reader(actor) -> bool:
    return _authenticated(actor) and (bool(actor.is_superuser)
                                      or scope.has_role(actor, READ_ROLES))
