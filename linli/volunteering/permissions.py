"""Who may do what in volunteering: the role checks `workflow.py` names for each mover in
the tables (pages and the API ask the workflows for buttons), and the checks of the acts
that are not moves.

Staff here are the dispatchers and grid workers of the place (at or above its area in the
org tree). Residents belong to the community of their dwelling; volunteers to the community
they are assigned in (or every community under a street assignment).
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import KIND_RANK, Area, AreaKind
from linli.volunteering.models import Claim, Task, Wish

STAFF = (Role.DISPATCHER, Role.GRID_WORKER)
_COMMUNITY_RANK = KIND_RANK[AreaKind.COMMUNITY]
_CACHE_ATTR = "_linli_volunteering_communities"


def _community_of(area: Area) -> list[int]:
    """The community ids an assignment at `area` reaches."""
    if area.kind == AreaKind.COMMUNITY:
        return [area.pk]
    if KIND_RANK[area.kind] > _COMMUNITY_RANK:
        return list(Area.objects.filter(pk__in=area.ancestor_ids, kind=AreaKind.COMMUNITY)
                    .values_list("pk", flat=True))
    return list(Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=area.path)
                .values_list("pk", flat=True))


def _communities_by_role(actor) -> dict[str, set[int]]:
    """Role -> community ids, worked out once per loaded set of assignments (the scope
    helper loads them once per user object and again after `scope.forget`)."""
    rows = scope.assignments(actor)
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None and cached[0] is rows:
        return cached[1]
    by_role: dict[str, set[int]] = {}
    for assignment in rows:
        by_role.setdefault(assignment.role, set()).update(_community_of(assignment.area))
    if actor is not None and rows:
        setattr(actor, _CACHE_ATTR, (rows, by_role))
    return by_role


def community_ids(actor, roles) -> set[int]:
    """Communities where the actor holds one of `roles`."""
    by_role = _communities_by_role(actor)
    return set().union(*(by_role.get(role, set()) for role in set(roles)))


def is_staff(actor, area: Area) -> bool:
    return scope.has_role(actor, STAFF, area)


def is_staff_of(actor, wish_or_task: Wish | Task) -> bool:
    """Staff of the wish's or the task's place: who moves it (workflow.py)."""
    return is_staff(actor, wish_or_task.area)


def is_volunteer_in(actor, community: Area) -> bool:
    return community.pk in community_ids(actor, [Role.VOLUNTEER])


def is_resident_of(actor, community: Area) -> bool:
    return community.pk in community_ids(actor, [Role.RESIDENT])


def can_post_wish(actor, area: Area) -> bool:
    """Residents post wishes for places within their own community."""
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    return community is not None and is_resident_of(actor, community)


def can_publish_in(actor, area: Area) -> bool:
    return is_staff(actor, area)


def can_search_volunteers(actor) -> bool:
    return scope.has_role(actor, STAFF)


def is_requester(actor, wish: Wish | None) -> bool:
    return (wish is not None and getattr(actor, "is_authenticated", False)
            and wish.requester_id == actor.pk)


def is_own_claim(actor, claim: Claim) -> bool:
    return getattr(actor, "is_authenticated", False) and claim.volunteer_id == actor.pk


def can_claim(actor, task: Task) -> bool:
    """Role only; whether the task has room is decided by the claim's conditional update."""
    return is_volunteer_in(actor, task.community)


def can_confirm(actor, claim: Claim) -> bool:
    """The wish's requester or staff of the place; never the volunteer, whatever their
    other roles (a grid worker who claimed a task does not confirm their own hours)."""
    if not getattr(actor, "is_authenticated", False) or is_own_claim(actor, claim):
        return False
    task = claim.task
    return is_requester(actor, task.source_wish) or is_staff(actor, task.area)
