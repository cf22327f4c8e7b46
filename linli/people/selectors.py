"""Reads of the registers, limited to what the actor may see (see permissions.py).

Grid workers see their grid, dispatchers their community, leaders their street, admins their
area; unit members, volunteers and mediators see nothing; a resident only their own record.
Every filter goes through `accounts.scope`. A row out of scope is a 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.core.crypto import blind_index
from linli.orgs.models import Area, AreaKind
from linli.people import sensitive
from linli.people.models import (
    AccessLog,
    CarePlan,
    CareTag,
    Household,
    Resident,
    ResidentTag,
    Visit,
    VisitPhoto,
)
from linli.people.permissions import ACCESS_LOG_ROLES, REGISTRY_ROLES, is_registry_staff
from linli.people.validators import normalize_id_number, normalize_phone


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def staff_q(actor, roles=REGISTRY_ROLES) -> Q:
    """Rows (with an `area_path`) within the actor's registry areas."""
    if not _authenticated(actor):
        return Q(pk__in=[])
    if actor.is_superuser:
        return Q()
    return scope.scope_q(actor, roles=roles, path_field="area_path")


def is_number_query(text: str) -> bool:
    """Is this search an ID number or a phone? Such searches must not travel in URLs."""
    number, phone = normalize_id_number(text), normalize_phone(text)
    return len(number) == 18 or (phone.isdigit() and len(phone) >= 7)


def _search_q(text: str) -> Q:
    """By the exact ID number or phone through their keyed hashes (one indexed equality),
    or else by part of the name."""
    number, phone = normalize_id_number(text), normalize_phone(text)
    if len(number) == 18:
        return Q(id_number_hash=blind_index(number))
    if phone.isdigit() and len(phone) >= 7:
        return Q(phone_hash=blind_index(phone))
    return Q(name__icontains=text)


def resident_list(*, actor, search: str = "", include_moved_out: bool = False,
                  household_id: int | None = None) -> QuerySet[Resident]:
    """Staff: the residents of their areas. A resident: their own record only."""
    visible = staff_q(actor)
    if _authenticated(actor):
        visible |= Q(user=actor)
    qs = Resident.objects.filter(visible)
    if not include_moved_out:
        qs = qs.filter(moved_out__isnull=True)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    search = (search or "").strip()
    if search:
        qs = qs.filter(_search_q(search))
    return qs.select_related("household__dwelling").order_by("household_id", "id")


def resident_get(*, actor, resident_id: int) -> Resident:
    resident = resident_list(actor=actor, include_moved_out=True).filter(pk=resident_id).first()
    if resident is None:
        raise Http404
    return resident


def resident_by_id_number(*, actor, id_number: str) -> Resident | None:
    """The resident with this ID number, if the actor may see them: one keyed-hash lookup."""
    number = normalize_id_number(id_number)
    if not number:
        return None
    # The same scope as resident_list, without its joins and ordering: this is the hot
    # exact-match path (bench/people.py), and the hash is unique.
    visible = staff_q(actor)
    if _authenticated(actor):
        visible |= Q(user=actor)
    return _one(Resident.objects.filter(visible, id_number_hash=blind_index(number)))


def _one(qs: QuerySet[Resident]) -> Resident | None:
    """The row of a query on a unique column, without `.first()`'s ORDER BY id."""
    rows = list(qs[:1])
    return rows[0] if rows else None


def household_list(*, actor) -> QuerySet[Household]:
    """Households are for staff only: a resident sees their own record, not the others'."""
    return Household.objects.filter(staff_q(actor)).select_related("dwelling")


def household_get(*, actor, household_id: int) -> Household:
    household = household_list(actor=actor).filter(pk=household_id).first()
    if household is None:
        raise Http404
    return household


def dwelling_choices(*, actor, search: str = "", limit: int = 200) -> list[Area]:
    """Dwellings where the actor keeps the registers, for the new-household form."""
    if not is_registry_staff(actor):
        return []
    qs = Area.objects.filter(kind=AreaKind.DWELLING)
    if not actor.is_superuser:
        qs = qs.filter(scope.scope_q(actor, roles=REGISTRY_ROLES, area_field=""))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(parent__name__icontains=search)
                       | Q(parent__parent__name__icontains=search))
    return list(qs.select_related("parent__parent").order_by("path")[:limit])


_PLACE_KINDS = {AreaKind.ESTATE, AreaKind.BUILDING, AreaKind.ENTRANCE, AreaKind.DWELLING}


def place_labels(areas) -> dict[int, str]:
    """Short names of places for lists ("花楼小区 1栋 1单元 101"), in one query: the estate
    and what lies under it; a place above estates (a grid, a community) by its name."""
    areas = list(areas)
    ids = {i for area in areas for i in area.ancestor_ids}
    names = {a.pk: a for a in Area.objects.filter(pk__in=ids).only("kind", "name")}
    return {area.pk: " ".join(names[i].name for i in area.ancestor_ids
                              if i in names and names[i].kind in _PLACE_KINDS) or area.name
            for area in areas}


# --- care ------------------------------------------------------------------------------

def _active_plans(actor) -> QuerySet[CarePlan]:
    return (CarePlan.objects.filter(staff_q(actor), resident__moved_out__isnull=True,
                                    resident__anonymised_at__isnull=True)
            .select_related("resident__household__dwelling", "grid_worker"))


def care_plan_list(*, actor, overdue: bool | None = None, mine: bool = False,
                   grid_id: int | None = None, today: date | None = None
                   ) -> QuerySet[CarePlan]:
    today = today or timezone.localdate()
    qs = _active_plans(actor)
    if overdue is not None:
        qs = qs.filter(next_visit_due__lt=today) if overdue else qs.filter(
            next_visit_due__gte=today)
    if mine:
        qs = qs.filter(grid_worker=actor)
    if grid_id is not None:
        grid = Area.objects.filter(pk=grid_id, kind=AreaKind.GRID).first()
        qs = qs.filter(area_path__startswith=grid.path) if grid else qs.none()
    return qs.order_by("next_visit_due", "id")


def care_plan_get(*, actor, resident: Resident) -> CarePlan | None:
    return CarePlan.objects.filter(staff_q(actor), resident=resident).select_related(
        "grid_worker").first()


def grid_workers_for(resident: Resident) -> list[User]:
    """Grid workers whose grid holds the resident's dwelling: who may be responsible."""
    ancestors = [int(part) for part in resident.area_path.strip("/").split("/") if part]
    return list(User.objects.filter(
        is_active=True, assignments__role=Role.GRID_WORKER,
        assignments__area_id__in=ancestors).distinct().order_by("username"))


def grids_in_scope(*, actor) -> list[Area]:
    if not is_registry_staff(actor):
        return []
    qs = Area.objects.filter(kind=AreaKind.GRID)
    if not actor.is_superuser:
        # A grid worker's own grid, or the grids below a community, street or district.
        qs = qs.filter(scope.scope_q(actor, roles=REGISTRY_ROLES, area_field=""))
    return list(qs.order_by("path"))


def _grid_of(path: str, grids: dict[str, Area]) -> Area | None:
    parts = path.strip("/").split("/")
    for end in range(len(parts), 0, -1):
        found = grids.get("/" + "/".join(parts[:end]) + "/")
        if found is not None:
            return found
    return None


def overdue_by_grid(*, actor, today: date | None = None) -> list[tuple[Area, int]]:
    """Each grid of the actor's areas with its number of overdue visits (most first)."""
    grids = {g.path: g for g in grids_in_scope(actor=actor)}
    counts: dict[int, int] = {}
    for path in care_plan_list(actor=actor, overdue=True, today=today).values_list(
            "area_path", flat=True):
        grid = _grid_of(path, grids)
        if grid is not None:
            counts[grid.pk] = counts.get(grid.pk, 0) + 1
    rows = [(grid, counts.get(grid.pk, 0)) for grid in grids.values()]
    return sorted(rows, key=lambda row: (-row[1], row[0].path))


@dataclass
class GridCompletion:
    grid: Area
    due: int = 0
    in_time: int = 0

    @property
    def rate(self) -> float | None:
        return self.in_time / self.due if self.due else None


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def visit_completion(*, actor, month: date) -> list[GridCompletion]:
    """Per grid: care-plan due dates falling in `month`, and how many were met by a visit
    on or before the date. A due date not yet met counts as due and not in time."""
    start, end = _month_bounds(month)
    grids = {g.path: g for g in grids_in_scope(actor=actor)}
    rows = {g.pk: GridCompletion(grid=g) for g in grids.values()}
    met = Visit.objects.filter(staff_q(actor), due_on__gte=start, due_on__lt=end)
    for path, due_on, visited_on in met.values_list("area_path", "due_on", "visited_on"):
        grid = _grid_of(path, grids)
        if grid is not None and due_on is not None:
            rows[grid.pk].due += 1
            rows[grid.pk].in_time += visited_on <= due_on
    waiting = _active_plans(actor).filter(next_visit_due__gte=start, next_visit_due__lt=end)
    for path in waiting.values_list("area_path", flat=True):
        grid = _grid_of(path, grids)
        if grid is not None:
            rows[grid.pk].due += 1
    return list(rows.values())


def visit_list(*, actor, resident: Resident) -> QuerySet[Visit]:
    return (Visit.objects.filter(staff_q(actor), resident=resident)
            .select_related("visitor", "case").prefetch_related("photos"))


def visit_photo_get(*, actor, photo_id: int) -> VisitPhoto:
    """A visit photo for staff of the resident's area only: served by a scoped view."""
    photo = VisitPhoto.objects.filter(
        pk=photo_id, visit__in=Visit.objects.filter(staff_q(actor))).first()
    if photo is None:
        raise Http404
    return photo


# --- the access audit ------------------------------------------------------------------

def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def access_log_list(*, actor, actor_label: str = "", resident_id: int | None = None,
                    resident_name: str = "", since: date | None = None,
                    until: date | None = None, outcome: str = "") -> QuerySet[AccessLog]:
    """Reveals, exports and refusals about residents of the actor's areas (dispatchers,
    leaders and admins; the caller checks `permissions.can_view_access_log`)."""
    qs = AccessLog.objects.filter(staff_q(actor, roles=ACCESS_LOG_ROLES))
    if actor_label:
        qs = qs.filter(actor_label=actor_label)
    if resident_id is not None:
        qs = qs.filter(resident_id=resident_id)
    if resident_name:
        qs = qs.filter(resident__name__icontains=resident_name)
    if since:
        qs = qs.filter(at__gte=_day_start(since))
    if until:
        qs = qs.filter(at__lt=_day_start(until + timedelta(days=1)))
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.select_related("resident").order_by("-at", "-id")


def visits_due_by_place(*, actor, grids: list[Area], within_days: int = 7,
                        today: date | None = None) -> list[tuple[Area, int]]:
    """Care-plan households in `grids` due for a visit within `within_days` (overdue
    included), counted by building: for the grid map, which shows "待走访 N 户" at the
    building and never who lives there."""
    today = today or timezone.localdate()
    if not grids:
        return []
    in_grids = Q(pk__in=[])
    for grid in grids:
        in_grids |= Q(area_path__startswith=grid.path)
    plans = (_active_plans(actor).filter(in_grids, next_visit_due__lte=today + timedelta(
        days=within_days)).values_list("resident__household_id", "resident__household__area_path"))
    households: dict[int, str] = dict(plans)
    buildings = {a.pk: a for a in Area.objects.filter(kind=AreaKind.BUILDING, pk__in={
        int(p) for path in households.values() for p in path.strip("/").split("/") if p})}
    counts: dict[int, int] = {}
    for path in households.values():
        building = next((buildings[int(p)] for p in path.strip("/").split("/")
                         if p and int(p) in buildings), None)
        if building is not None:
            counts[building.pk] = counts.get(building.pk, 0) + 1
    return [(buildings[pk], n) for pk, n in sorted(counts.items())]


def has_care_tag(resident: Resident) -> bool:
    """Is the resident vulnerable (any care tag)? Which tag stays sealed."""
    return ResidentTag.objects.filter(resident=resident).exists()


def care_q(actor, field: str = "care_tag") -> Q:
    """Rows with no care tag, or with one of the tags the actor's own registry record
    carries: what a resident sees of activities, notices and services meant for a care
    group (独居老人 …)."""
    q = Q(**{f"{field}__isnull": True})
    record = own_record(actor)
    return q if record is None else q | Q(**{f"{field}__in": tag_ids_of(record)})


def tagged_q(tag: CareTag, *, field: str = "") -> Q:
    """Residents (or rows reaching them by `field`, e.g. "members__") carrying `tag`, by its
    keyed hash: which tag it is stays sealed in the rows."""
    return Q(**{f"{field}tags__tag_hash": sensitive.tag_hash(tag.code)})


def has_tag(resident: Resident, tag: CareTag) -> bool:
    return Resident.objects.filter(tagged_q(tag), pk=resident.pk).exists()


def own_record(user) -> Resident | None:
    """The signed-in user's own current registry record (not moved out), if any: what
    another app asks before letting a resident act for themselves or their household."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Resident.objects.filter(user=user, moved_out__isnull=True).first()


def tag_ids_of(resident: Resident) -> list[int]:
    """The ids of the care tags a resident carries, for matching what is meant for a care
    group; never shown."""
    known = sensitive.tags_by_hash()
    return sorted(known[h].pk for h in resident.tags.values_list("tag_hash", flat=True)
                  if h in known)


def residents_named(*, paths: list[str], name: str, limit: int = 50) -> list[Resident]:
    """Residents living under one of `paths` (and not moved out) whose name contains `name`:
    the picker of another app whose own roles decide the paths (a mediator naming a
    dispute's parties does not keep the registry). Those apps show the name masked."""
    name = name.strip()
    if not paths or not name:
        return []
    within = Q()
    for path in paths:
        within |= Q(area_path__startswith=path)
    return list(Resident.objects.filter(within, name__icontains=name[:64],
                                        moved_out__isnull=True, anonymised_at__isnull=True)
                .select_related("household__dwelling").order_by("name", "id")[:limit])


def resident_at(*, paths: list[str], resident_id: int) -> Resident | None:
    """The resident `resident_id` if they live under one of `paths` (and not moved out):
    the pick of `residents_named`'s picker, checked again when the form comes back."""
    within = Q()
    for path in paths:
        within |= Q(area_path__startswith=path)
    if not paths:
        return None
    return (Resident.objects.filter(within, pk=resident_id, moved_out__isnull=True,
                                    anonymised_at__isnull=True)
            .select_related("household__dwelling").first())


def resident_by_number_at(*, paths: list[str], number: str) -> Resident | None:
    """The resident living under one of `paths` with this exact ID number or phone (one
    keyed-hash lookup; a name is never matched here): another app's import finding the
    registry record its file names."""
    if not paths or not is_number_query(number or ""):
        return None
    within = Q()
    for path in paths:
        within |= Q(area_path__startswith=path)
    return _one(Resident.objects.filter(within, _search_q(number.strip()),
                                        moved_out__isnull=True, anonymised_at__isnull=True))
