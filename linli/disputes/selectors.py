"""Reads of disputes, limited to what the actor may see: staff (grid workers, dispatchers,
mediators, leaders) see the disputes placed in their areas. Nobody else does, system
administrators included: a dispute is a private matter of its parties.

`DisputeFilters` are the list's filters, shared by the page (query string), the API and
the indicators' links, so every figure links to exactly the list behind it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import RoleAssignment
from linli.disputes.models import Dispute, Event, Grade, Party
from linli.disputes.permissions import GRADED_HANDLERS, GREEN_HANDLERS, STAFF
from linli.disputes.transitions import CLOCKS, ENDED, OPEN
from linli.orgs.models import Area
from linli.orgs.selectors import area_list


def visible_q(actor) -> Q:
    """Staff of the place; and for a red dispute, the members of its joint units (三所联动),
    read only. A subquery, so a dispute with two of the actor's units is listed once."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Q(pk__in=[])
    q = scope.scope_q(actor, roles=STAFF, path_field="area_path")
    units = scope.unit_ids(actor)
    if units:
        joint = Dispute.objects.filter(grade=Grade.RED, joint_units__in=units)
        q |= Q(pk__in=joint.values("pk"))
    return q


@dataclass(frozen=True)
class DisputeFilters:
    state: list[str] | None = None
    grade: list[str] | None = None
    kind: str = ""
    area_id: int | None = None       # this area and everything under it
    grid_id: int | None = None
    owner_id: int | None = None
    source: str = ""
    open: bool | None = None         # registered, accepted or in mediation
    ended: bool | None = None        # waiting for the follow-up
    overdue: bool | None = None      # past the running clock's deadline
    resolved: bool | None = None
    registered_since: date | None = None
    registered_until: date | None = None  # inclusive
    search: str = ""                 # words of the summary or the address


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(qs: QuerySet[Dispute], f: DisputeFilters, now: datetime) -> QuerySet[Dispute]:
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.grade:
        qs = qs.filter(grade__in=f.grade)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.area_id is not None:
        area = Area.objects.filter(pk=f.area_id).first()
        qs = qs.filter(area_path__startswith=area.path) if area else qs.none()
    if f.grid_id is not None:
        qs = qs.filter(grid_id=f.grid_id)
    if f.owner_id is not None:
        qs = qs.filter(owner_id=f.owner_id)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.open is not None:
        qs = qs.filter(state__in=OPEN) if f.open else qs.exclude(state__in=OPEN)
    if f.ended is not None:
        qs = qs.filter(state__in=ENDED) if f.ended else qs.exclude(state__in=ENDED)
    if f.overdue is not None:
        late = CLOCKS.overdue_q(now)
        qs = qs.filter(late) if f.overdue else qs.exclude(late)
    if f.resolved is not None:
        qs = qs.filter(resolved=f.resolved)
    if f.registered_since:
        qs = qs.filter(registered_at__gte=_day_start(f.registered_since))
    if f.registered_until:
        qs = qs.filter(registered_at__lt=_day_start(f.registered_until + timedelta(days=1)))
    if f.search.strip():
        words = f.search.strip()[:100]
        qs = qs.filter(Q(summary__icontains=words) | Q(address__icontains=words))
    return qs


def dispute_list(*, actor, filters: DisputeFilters | None = None,
                 now: datetime | None = None) -> QuerySet[Dispute]:
    qs = Dispute.objects.filter(visible_q(actor))
    qs = _filtered(qs, filters or DisputeFilters(), now or timezone.now())
    return qs.select_related("area", "community", "grid", "owner").order_by(
        "-registered_at", "-id")


def dispute_get(*, actor, dispute_id: int) -> Dispute:
    """The dispute if the actor may see it; a 404 otherwise (out of scope looks missing)."""
    dispute = dispute_list(actor=actor).filter(pk=dispute_id).first()
    if dispute is None:
        raise Http404
    return dispute


def party_list(*, dispute: Dispute) -> QuerySet[Party]:
    """The parties of a dispute the caller already got through `dispute_get`."""
    return dispute.parties.select_related("resident").order_by("position", "id")


def event_list(*, dispute: Dispute) -> QuerySet[Event]:
    return dispute.events.select_related("actor").order_by("at", "id")


# --- what the pages offer to choose from ---------------------------------------------------

MAX_PLACES = 500


def staff_places(*, actor, kinds: Sequence[str]) -> list[Area]:
    """Areas of these kinds in the actor's dispute-staff areas (where they register, and
    what the list filters by), in tree order, at most MAX_PLACES."""
    paths = scope.area_paths(actor, STAFF)
    if not paths:
        return []
    areas = area_list(actor=actor).filter(kind__in=kinds)
    return [a for a in areas[:MAX_PLACES] if any(a.path.startswith(p) for p in paths)]


def handler_choices(*, dispute: Dispute) -> list[tuple[int, str]]:
    """Who may own or mediate this dispute: the active users holding a handler role of its
    grade at or above its place (staff names are not personal data here)."""
    roles = GREEN_HANDLERS if dispute.grade == Grade.GREEN else GRADED_HANDLERS
    chosen: dict[int, str] = {}
    for assignment in (RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
                       .select_related("user", "area").order_by("role", "user__username")):
        if dispute.area_path.startswith(assignment.area.path):
            chosen.setdefault(assignment.user_id,
                              f"{assignment.user} · {assignment.get_role_display()}")
    return list(chosen.items())


def open_disputes(*, area_path: str, limit: int = 50) -> list[Dispute]:
    """Disputes of a place still open (registered, accepted, in mediation): what a joint
    meeting (party app) may put on its agenda; only their kind and number are shown."""
    return list(Dispute.objects.filter(area_path__startswith=area_path, state__in=OPEN)
                .order_by("-pk")[:limit])


def may_register(actor, area) -> bool:
    """Whether `actor` may register a dispute at `area` (another app offers the choice
    only then)."""
    from linli.disputes import permissions

    return permissions.may_register(actor, area)
