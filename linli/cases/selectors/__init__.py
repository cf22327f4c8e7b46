"""Reads of cases, limited to what the actor may see.

Staff (grid worker, dispatcher, mediator, leader, admin) see the cases in their areas; a unit
member the cases currently with their unit; a resident the cases they reported and the
masters their duplicates were merged into.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.cases import permissions
from linli.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    Channel,
    Extension,
    Photo,
    Route,
    State,
)
from linli.cases.permissions import STAFF_ROLES
from linli.cases.routing import nearby_open_cases, suggested_unit  # noqa: F401 (for other apps)
from linli.cases.transitions import CLOCKS, HANDLE_CLOCK, NOTICE_STATES
from linli.core.versioned import Versioned
from linli.orgs.models import Unit
from linli.orgs.selectors import unit_list, units_serving
from linli.orgs.shapes import area_positions

# A unit's to-do: what it has been given and not yet resolved (the handling clock runs).
UNIT_TODO: list[str] = sorted(HANDLE_CLOCK.states)
# "My cases" narrowed from the home tiles: what is still open, what waits for a rating.
MINE_SHOWS = ("open", "rate")


def _work_q(actor) -> Q:
    """Cases the actor sees through their work: staff in their areas, a unit its cases."""
    if not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    if actor.is_superuser:
        return Q()
    q = scope.scope_q(actor, roles=STAFF_ROLES, path_field="area_path")
    communities = permissions.grid_worker_communities(actor)
    if communities:
        # Cases placed at the community itself, in no grid: its grid workers verify them.
        q |= Q(area_path__in=communities)
    units = scope.unit_ids(actor)
    if units:
        q |= Q(unit_id__in=units)
    return q


def _reported_q(actor) -> Q:
    """Cases the actor reported, and the masters their duplicates were merged into (a
    subquery rather than a join, so rows are never repeated)."""
    masters = Case.objects.filter(reporter=actor, master__isnull=False).values("master_id")
    return Q(reporter=actor) | Q(pk__in=masters)


def visible_q(actor) -> Q:
    if not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    if actor.is_superuser:
        return Q()  # an empty Q ORed with more would narrow it to the rest
    return _work_q(actor) | _reported_q(actor)


@dataclass(frozen=True)
class CaseFilters:
    state: list[str] | None = None
    category: str = ""          # a category code; its children are included
    area_id: int | None = None
    unit_id: int | None = None
    overdue: bool | None = None
    since: date | None = None
    until: date | None = None
    q: str = ""
    mine: bool = False          # reported by me
    escalated: bool | None = None  # escalated to the street (上报街道)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def case_list(*, actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    f = filters or CaseFilters()
    qs = Case.objects.filter(visible_q(actor))
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.area_id is not None:
        from linli.orgs.models import Area

        area = Area.objects.filter(pk=f.area_id).first()
        qs = qs.filter(area_path__startswith=area.path) if area else qs.none()
    if f.unit_id is not None:
        qs = qs.filter(unit_id=f.unit_id)
    if f.overdue is not None:
        overdue = CLOCKS.overdue_q(timezone.now())
        qs = qs.filter(overdue) if f.overdue else qs.exclude(overdue)
    if f.since:
        qs = qs.filter(reported_at__gte=_day_start(f.since))
    if f.until:
        qs = qs.filter(reported_at__lt=_day_start(f.until + timedelta(days=1)))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q)
                       | Q(address__icontains=f.q))
    if f.mine:
        qs = qs.filter(_reported_q(actor))
    if f.escalated is not None:
        qs = qs.filter(escalated_at__isnull=not f.escalated)
    # No join can repeat a row here, so no DISTINCT: with it, PostgreSQL spent 10-15 ms
    # planning every case list (bench/intake.py profile).
    return (qs.select_related("category", "area", "unit", "community")
            .order_by("-reported_at", "-id"))


def my_cases(*, actor, show: str = "") -> QuerySet[Case]:
    """The "my cases" list: all, still open (`show="open"`), or waiting for a rating."""
    if show == "open":
        return case_list(actor=actor, filters=CaseFilters(mine=True, state=list(OPEN_STATES)))
    cases = case_list(actor=actor, filters=CaseFilters(mine=True))
    if show == "rate":
        # Only the case's own reporter rates: not the masters their duplicates joined.
        return cases.filter(reporter=actor, state=State.CLOSED, rated_at__isnull=True)
    return cases


def unit_todo(*, actor, unit_ids: set[int]) -> QuerySet[Case]:
    """The inbox of these units (the actor's own among them): each unit's cases awaiting
    handling, unit by unit."""
    mine = set(unit_list(actor=actor).filter(pk__in=unit_ids & scope.unit_ids(actor))
               .values_list("pk", flat=True))
    return case_list(actor=actor, filters=CaseFilters(state=UNIT_TODO)).filter(
        unit_id__in=mine).order_by("unit__name", "unit_id", "-reported_at", "-id")


def verify_cases(*, actor) -> list[Case]:
    """Resolved cases this grid worker may verify on site."""
    resolved = case_list(actor=actor, filters=CaseFilters(state=[State.RESOLVED]))
    return [c for c in resolved if permissions.can_verify(actor, c)]


def case_get(*, actor, case_id: int) -> Case:
    case = case_list(actor=actor).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def sees_whole_case(actor, case: Case) -> bool:
    """Staff of the case's area and its unit see every event and who took each step."""
    return (actor.is_superuser or scope.has_role(actor, STAFF_ROLES, case.area)
            or case.unit_id in scope.unit_ids(actor)
            or permissions.is_grid_worker_for(actor, case))


def case_timeline(*, actor, case: Case) -> QuerySet[CaseEvent]:
    """Residents see the public events; staff and units see all of them."""
    events = case.events.select_related("actor").prefetch_related("photos").order_by("at", "id")
    return events if sees_whole_case(actor, case) else events.filter(is_public=True)


REPORTER_STEPS = ("rate", "reopen", "remark")


def _actor_shown(event: CaseEvent, actor, case: Case, whole: bool) -> str:
    if event.actor is None:
        # Steps only a reporter takes, with nobody signed in: an app that filed the case
        # spoke for its reporter (cases.permissions.AppForReporter), the report included.
        spoke = event.action in REPORTER_STEPS or (event.action == "report"
                                                   and case.channel == Channel.OPEN311)
        return capfirst(_("reporter")) if spoke else ""
    if whole or event.actor_id == actor.pk or event.actor_id != case.reporter_id:
        return str(event.actor)
    return capfirst(_("reporter"))


def timeline_for(*, actor, case: Case) -> list[CaseEvent]:
    """The timeline as `actor` reads it, each event with `actor_shown`: who took the step.
    A resident following a case another person reported (their duplicate was merged into
    it) reads "reporter" for that person's steps, never their name; staff names show."""
    whole = sees_whole_case(actor, case)
    events = list(case_timeline(actor=actor, case=case))
    for event in events:
        event.actor_shown = _actor_shown(event, actor, case, whole)  # type: ignore[attr-defined]
    return events


def open_notice(case: Case) -> CaseEvent | None:
    """The supervision notice waiting for the unit's answer, for staff of the case's area
    and its unit (callers check `sees_whole_case`): the event that issued it."""
    if (case.notice_due_at is None or case.notice_issued_at is None
            or case.state not in NOTICE_STATES):
        return None
    return (case.events.filter(action="notice", at=case.notice_issued_at)
            .select_related("actor").last())


def pending_extensions(*, actor) -> QuerySet[Extension]:
    # Staff and units only: a request for more time is a private event, which the reporter
    # does not see in the timeline either.
    return (Extension.objects.filter(decision=Extension.Decision.PENDING)
            .filter(case__in=case_list(actor=actor).filter(_work_q(actor),
                                                           state__in=OPEN_STATES))
            .select_related("case", "requested_by"))


def extension_get(*, actor, extension_id: int) -> Extension:
    extension = (Extension.objects.filter(pk=extension_id, case__in=Case.objects.filter(
        visible_q(actor))).select_related("case__area").first())
    if extension is None:
        raise Http404
    return extension


def photo_get(*, actor, photo_id: int) -> Photo:
    """A photo of a case the actor sees, on an event the actor's timeline shows."""
    photo = Photo.objects.select_related("case__area").filter(pk=photo_id).first()
    if photo is None or not Case.objects.filter(visible_q(actor), pk=photo.case_id).exists():
        raise Http404
    if photo.event_id is not None and not case_timeline(actor=actor, case=photo.case).filter(
            pk=photo.event_id).exists():
        raise Http404
    return photo


def case_duplicates(*, actor, case: Case) -> list[Case]:
    """Open cases nearby that may be the same problem: those the actor sees anyway, and
    public ones, so a resident learns the problem is known (not who reported it)."""
    found = nearby_open_cases(category=case.category, area=case.area, lat=case.lat,
                              lng=case.lng, exclude_id=case.pk)
    visible = set(Case.objects.filter(visible_q(actor), pk__in=[c.pk for c in found])
                  .values_list("pk", flat=True))
    return [c for c in found if c.pk in visible or c.is_public]


def queue_units(*, actor) -> QuerySet[Unit]:
    """Units to filter a case list by: those serving the actor's areas and, as in the
    dispatch list, those serving above them (a street-wide unit handles a community's
    cases too)."""
    ids = set(unit_list(actor=actor).values_list("pk", flat=True))
    for assignment in scope.assignments(actor):
        if assignment.role in STAFF_ROLES and assignment.area is not None:
            ids |= set(units_serving(assignment.area).values_list("pk", flat=True))
    return Unit.objects.filter(pk__in=ids).order_by("name")


# --- categories -------------------------------------------------------------------------
# Public (selectors): the report form and the care visit form (people) share the picker.

def leaf_categories() -> list[tuple[Category | None, list[Category]]]:
    """Active leaf categories grouped under their group, in code order. The category tree
    is the same for everyone, so it is read here rather than through a scoped selector."""
    leaves = (Category.objects.filter(is_active=True).exclude(triage="")
              .select_related("parent").order_by("code"))
    groups: dict[Category | None, list[Category]] = {}
    for leaf in leaves:
        groups.setdefault(leaf.parent, []).append(leaf)
    # Leaves without a group (a deployment's own additions) come last.
    return sorted(groups.items(), key=lambda item: item[0] is None)


# Every report names its category by code; the tree changes when an admin edits it.
_categories: Versioned[str, Category | None] = Versioned(
    ("cases_category",), lambda code: Category.objects.filter(code=code).first(), size=5_000)


def category_by_code(code: str) -> Category | None:
    """The category with this code, whatever its state (intake says what is wrong with it),
    or None; a copy of the process's cached row."""
    return _categories.copy(code) if code else None


def leaf_category(code: str) -> Category | None:
    """The active leaf category with this code, or None."""
    found = category_by_code(code)
    return found if found is not None and found.is_active and found.triage else None


def open_case_counts(*, actor, unit_ids: list[int]) -> dict[int, int]:
    """Open cases per unit, among the cases the actor sees."""
    rows = (case_list(actor=actor, filters=CaseFilters(state=list(OPEN_STATES)))
            .filter(unit_id__in=unit_ids).order_by().values("unit_id")
            .annotate(n=Count("pk")))
    return {row["unit_id"]: row["n"] for row in rows}


def unit_routes(*, unit: Unit) -> QuerySet[Route]:
    """A unit's default routes. The routing table is staff configuration, not case data:
    whoever may see the unit (orgs.selectors.unit_overview_get) sees all of them."""
    return (Route.objects.filter(unit=unit).select_related("category", "area")
            .order_by("area__path", "category__code"))


def route_get(*, unit: Unit, route_id: int) -> Route:
    route = unit_routes(unit=unit).filter(pk=route_id).first()
    if route is None:
        raise Http404
    return route


# --- maps ---------------------------------------------------------------------------------

MAP_LIMIT = 2000  # markers on one map; beyond that the page says to narrow the filters


def case_points(cases: list[Case]) -> dict:
    """A GeoJSON FeatureCollection of `cases` for `core/_map.html`: each at its pin, or at
    the centre of its area (a dwelling's building) when it has none; cases with neither
    are left off. Properties follow the map contract: id, title, light, state, url."""
    now = timezone.now()
    paths = {c.area_id: c.area_path for c in cases}
    positions = area_positions(set(paths), paths)
    features = []
    for case in cases:
        if case.lat is not None and case.lng is not None:
            lat, lng = float(case.lat), float(case.lng)
        elif case.area_id in positions:
            lat, lng = positions[case.area_id]
        else:
            continue
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [lng, lat]}, "properties": {
            "id": case.pk, "title": case.title, "light": CLOCKS.light(case, now) or "",
            "state": str(case.get_state_display()),
            "url": reverse("cases:detail", args=[case.pk])}})
    return {"type": "FeatureCollection", "features": features}


def reported_counts_under(paths: list[str], since: datetime, until: datetime) -> dict[str, int]:
    """How many cases were reported in each place (a path and everything under it) from
    `since` until before `until`: a count for another app's statistics (the community
    building rating), no case data and no actor. Merged duplicates are not counted (they
    are one problem reported twice)."""
    base = (Case.objects.filter(reported_at__gte=since, reported_at__lt=until)
            .exclude(state=State.MERGED).order_by())
    return {p: base.filter(area_path__startswith=p).count() for p in paths}


def needing_several_units(*, area_path: str, now: datetime, limit: int = 50) -> list[Case]:
    """Open cases of a place that one unit has not managed alone: returned by a unit,
    past their handling deadline, or dispatched more than once. What a joint meeting
    (party app) may put on its agenda; titles only are shown there."""
    events = CaseEvent.objects.filter(case__area_path__startswith=area_path)
    returned = events.filter(action="return").values("case_id")
    redispatched = (events.filter(action="dispatch").values("case_id")
                    .annotate(n=Count("pk")).filter(n__gt=1).values("case_id"))
    return list(Case.objects.filter(area_path__startswith=area_path,
                                    state__in=OPEN_STATES)
                .filter(Q(pk__in=returned) | Q(handle_due_at__lt=now)
                        | Q(pk__in=redispatched))
                .order_by("-reported_at")[:limit])
