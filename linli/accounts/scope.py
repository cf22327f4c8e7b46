"""The one scope helper. Every selector that depends on who is asking goes through here.

An actor may act on an object when one of their role assignments sits at or above the
object's area in the org tree. Areas carry a materialised path, so "at or above" is a prefix
match and a scoped queryset is one indexed `path LIKE 'prefix%'` per assignment.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from linli.accounts.models import RoleAssignment
from linli.orgs.models import KIND_RANK, Area, AreaKind
from linli.orgs.paths import ancestor_paths, common_path

_CACHE_ATTR = "_linli_assignments"


def assignments(actor) -> list[RoleAssignment]:
    """The actor's role assignments, loaded once per user object (i.e. once per request)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=actor).select_related("area", "unit"))
        setattr(actor, _CACHE_ATTR, cached)
    return cached


def forget(actor) -> None:
    """Drop the cached assignments after they change."""
    if actor is not None and hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def roles_of(actor) -> set[str]:
    return {a.role for a in assignments(actor)}


def _matching(actor, roles: Iterable[str] | None) -> list[RoleAssignment]:
    wanted = set(roles) if roles is not None else None
    return [a for a in assignments(actor) if wanted is None or a.role in wanted]


def area_paths(actor, roles: Iterable[str] | None = None) -> list[str]:
    """Paths of the areas where the actor holds one of `roles` (any role if None)."""
    paths = sorted({a.area.path for a in _matching(actor, roles)})
    # Drop paths nested inside another: they add nothing to the filter.
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


def has_role(actor, roles: Iterable[str] | str, area: Area | None = None) -> bool:
    """True when the actor holds one of `roles` at or above `area` (anywhere if None)."""
    roles = [roles] if isinstance(roles, str) else roles
    matching = _matching(actor, roles)
    if area is None:
        return bool(matching)
    return any(area.path.startswith(a.area.path) for a in matching)


def serves(actor, roles: Iterable[str], area: Area) -> bool:
    """Staff of a place: `roles` at or above it, or, for a community or anything in it, also
    inside it (a community's grid workers are its staff too: they tick names at its
    meetings and activities and knock on its doors)."""
    if has_role(actor, roles, area):
        return True
    if KIND_RANK[area.kind] < KIND_RANK[AreaKind.COMMUNITY]:
        return False
    return any(p.startswith(area.path) for p in area_paths(actor, roles))


def scope_q(actor, *, roles: Iterable[str] | None = None, area_field: str = "area",
            path_field: str | None = None) -> Q:
    """A Q that keeps rows whose area lies within the actor's areas for `roles`.

    `area_field` names a ForeignKey to Area ("area", "case__area"; "" for Area itself).
    `path_field` instead names a column holding a copy of the area's path, as big tables
    keep to filter without a join. An actor without such assignments matches nothing.
    """
    paths = area_paths(actor, roles)
    if not paths:
        return Q(pk__in=[])
    if path_field is not None:
        lookup = f"{path_field}__startswith"
    else:
        lookup = "path__startswith" if area_field == "" else f"{area_field}__path__startswith"
    q = Q()
    for path in paths:
        q |= Q(**{lookup: path})
    return q


def reach_q(actor, roles: Iterable[str], *, path_field: str = "area_path",
            below: bool = True) -> Q:
    """Rows placed at or above one of the actor's areas for `roles`, and with `below` also
    under them: a grid worker reaches the community's and street's notices and their grid's
    buildings'; a resident (below=False) the building's, estate's, community's and street's
    of their dwelling."""
    paths = area_paths(actor, roles)
    if not paths:
        return Q(pk__in=[])
    above = Q(**{f"{path_field}__in": sorted({a for p in paths for a in ancestor_paths(p)})})
    return scope_q(actor, roles=roles, path_field=path_field) | above if below else above


def in_scope(qs: QuerySet, actor, *, roles: Iterable[str] | None = None,
             area_field: str = "area") -> QuerySet:
    return qs.filter(scope_q(actor, roles=roles, area_field=area_field))


def unit_ids(actor) -> set[int]:
    """Handling units the actor works for."""
    return {a.unit_id for a in assignments(actor) if a.unit_id is not None}


def home_path(user) -> str:
    """The path of the deepest area holding all of the user's roles; "" when they have none
    (or roles in different districts). Audit entries about the user (logins, passwords,
    tokens, second factor) are filed there, so the administrators of that area see them.
    Read from the database, not the per-request cache: a disabled user's roles count too."""
    if user is None or user.pk is None:
        return ""
    return common_path(list(RoleAssignment.objects.filter(user=user)
                            .values_list("area__path", flat=True)))
