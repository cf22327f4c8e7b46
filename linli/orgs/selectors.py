"""Reads of the org tree, limited to what the actor may see."""

from django.db.models import Q, QuerySet
from django.http import Http404

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.versioned import Versioned
from linli.orgs.models import Area, AreaKind, Unit


def community_path(area: Area) -> str | None:
    """The path of the community `area` lies in (its own if it is one); None for a district
    or a street. The tree fixes district > street > community as its top three levels
    (`orgs.validators.parent_problem`; kind and parent never change afterwards), so the
    community is the third id of the path: no query, unlike `ancestor_of_kind`."""
    ids = area.ancestor_ids
    if len(ids) < 3:
        return None
    return "/" + "/".join(str(i) for i in ids[:3]) + "/"


def _visible_q(actor) -> Q:
    """Staff see the subtrees they are assigned to and the chain above them. A resident
    sees their own community down to entrances, and their own dwelling."""
    if actor.is_superuser:
        return Q()
    q = Q(pk__in=[])
    staff = [a for a in scope.assignments(actor) if a.role != Role.RESIDENT]
    for assignment in staff:
        q |= Q(path__startswith=assignment.area.path)
        q |= Q(pk__in=assignment.area.ancestor_ids)
    for assignment in scope.assignments(actor):
        if assignment.role != Role.RESIDENT:
            continue
        dwelling = assignment.area
        community = community_path(dwelling)
        q |= Q(pk__in=dwelling.ancestor_ids)
        if community is not None:
            q |= Q(path__startswith=community) & ~Q(kind=AreaKind.DWELLING)
    return q


def area_list(*, actor, kind: str | None = None, parent_id: int | None = None,
              search: str = "") -> QuerySet[Area]:
    qs = Area.objects.filter(_visible_q(actor))
    if kind:
        qs = qs.filter(kind=kind)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search))
    return qs.order_by("path")


def _sees(actor, area: Area) -> bool:
    """`_visible_q` for one area already in hand: the same rule, without a query."""
    if actor.is_superuser:
        return True
    for assignment in scope.assignments(actor):
        mine = assignment.area
        if area.pk in mine.ancestor_ids:
            return True
        if assignment.role != Role.RESIDENT:
            if area.path.startswith(mine.path):
                return True
            continue
        community = community_path(mine)
        if community is not None and area.path.startswith(community) and (
                area.kind != AreaKind.DWELLING):
            return True
    return False


# Areas by id. The tree changes by imports and admin edits, every report reads one.
_areas: Versioned[int, Area | None] = Versioned(
    ("orgs_area",), lambda pk: Area.objects.filter(pk=pk).first())


def area_get(*, actor, area_id: int) -> Area:
    """The area, if the actor sees it (`_visible_q`); a copy of the process's cached row."""
    area = _areas.copy(area_id)
    if area is None or not _sees(actor, area):
        raise Http404
    return area


def unit_list(*, actor) -> QuerySet[Unit]:
    """Units serving any area the actor works in; a unit member also sees their own."""
    if actor.is_superuser:
        return Unit.objects.all()
    staff_q = scope.scope_q(actor, roles=[r for r in Role.values if r != Role.RESIDENT],
                            area_field="service_areas")
    return Unit.objects.filter(staff_q | Q(pk__in=scope.unit_ids(actor))).distinct()


def units_serving(area: Area) -> QuerySet[Unit]:
    """Active units serving `area` or any area above it."""
    return (Unit.objects.filter(is_active=True, service_areas__id__in=[*area.ancestor_ids])
            .distinct().order_by("name"))


# Who sees the handling-unit pages (orgs.permissions.can_view_units).
OVERSEER_ROLES = [Role.ADMIN, Role.LEADER]


def unit_overview_list(*, actor, search: str = "", kind: str = "",
                       active: bool | None = None) -> QuerySet[Unit]:
    """The units an administrator or leader manages or oversees: those serving or
    supervised from an area within theirs, and those serving an area above theirs (a
    street-wide unit handles their community's cases too, and its default routes there
    are theirs to set)."""
    if actor.is_superuser:
        qs = Unit.objects.all()
    else:
        q = (scope.scope_q(actor, roles=OVERSEER_ROLES, area_field="service_areas")
             | scope.scope_q(actor, roles=OVERSEER_ROLES, area_field="supervisor_area"))
        above = {pk for a in scope.assignments(actor) if a.role in OVERSEER_ROLES
                 for pk in a.area.ancestor_ids}
        q |= Q(service_areas__id__in=above)
        qs = Unit.objects.filter(pk__in=Unit.objects.filter(q).values("pk"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(phone__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.select_related("supervisor_area").order_by("-is_active", "name")


def unit_overview_get(*, actor, unit_id: int) -> Unit:
    unit = unit_overview_list(actor=actor).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def admin_areas(*, actor, kinds: list[str] | None = None) -> QuerySet[Area]:
    """The areas the actor administers (whole subtrees), for pickers of areas to change."""
    qs = Area.objects.all() if actor.is_superuser else Area.objects.filter(
        scope.scope_q(actor, roles=[Role.ADMIN], area_field=""))
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("path")
