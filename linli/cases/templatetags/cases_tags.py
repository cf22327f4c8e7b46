"""Template helpers of the case pages: traffic lights, labels, photo links, the home panel."""

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import selectors
from linli.cases.forms import ACTION_LABELS, EVENT_LABELS
from linli.cases.models import OPEN_STATES, Case, LimitUnit, Priority, Rating, State, Triage
from linli.cases.selectors import publication
from linli.cases.transitions import CLOCKS, HANDLING, NOTICE_STATES
from linli.core.clocks import Light
from linli.core.tiles import Tile
from linli.orgs.models import Area, AreaKind
from linli.orgs.permissions import can_view_units

register = template.Library()

_CHOICES = {"state": State, "rating": Rating, "triage": Triage, "priority": Priority,
            "limit_unit": LimitUnit}
_KINDS_SHOWN = {AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING, AreaKind.ENTRANCE,
                AreaKind.DWELLING}


@register.filter
def light(case: Case) -> str | None:
    return CLOCKS.light(case, timezone.now())


@register.filter
def running_due(case: Case):
    """The deadline whose clock runs now (acceptance, or the current round of handling),
    or None: the one the traffic light measures."""
    return CLOCKS.running_due(case)


@register.filter
def notice_waiting(case: Case) -> bool:
    """A supervision notice waits for the unit's answer (督办待回复)."""
    return case.notice_due_at is not None and case.state in NOTICE_STATES


@register.filter
def iso_time(value: str) -> str:
    """An ISO time kept in an event's data, as the pages show times."""
    try:
        return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return ""


@register.filter
def light_label(colour: str) -> str:
    return Light.words(colour)


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.filter
def choice_label(value: str, kind: str) -> str:
    choices = _CHOICES[kind]
    return str(choices(value).label) if value in choices.values else value


@register.filter
def place_name(area: Area) -> str:
    """The area below its community ("花楼小区 1栋 1单元 101"); the community itself
    when the place is the community or above."""
    names = [a.name for a in area.ancestors() if a.kind in _KINDS_SHOWN]
    return " ".join(names) or area.name


@register.filter
def photo_url(photo) -> str:
    return reverse("cases:photo", args=[photo.pk])


@register.filter
def thumb_url(photo) -> str:
    return reverse("cases:photo_thumbnail", args=[photo.pk])


def _count(user, **filters) -> int:
    return selectors.case_list(actor=user, filters=selectors.CaseFilters(**filters)).count()


def _resident_tiles(user) -> list[Tile]:
    unrated = selectors.case_list(actor=user, filters=selectors.CaseFilters(
        mine=True, state=[State.CLOSED])).filter(reporter=user, rated_at__isnull=True).count()
    mine = reverse("cases:mine")
    return [Tile("report", _("Report a problem"), reverse("cases:new")),
            Tile("mine-open", _("My open cases"), f"{mine}?show=open",
                 _count(user, mine=True, state=list(OPEN_STATES))),
            Tile("mine-unrated", _("Waiting for your rating"), f"{mine}?show=rate", unrated)]


def _dispatcher_tiles(user) -> list[Tile]:
    queue = reverse("cases:queue")
    return [Tile("hotline", _("Hotline call"), reverse("cases:hotline")),
            Tile("to-accept", _("To accept"), f"{queue}?state=reported",
                 _count(user, state=[State.REPORTED])),
            Tile("to-close", _("Verified, to close"), f"{queue}?state=verified",
                 _count(user, state=[State.VERIFIED])),
            Tile("overdue", _("Overdue"), f"{queue}?state=open&overdue=yes",
                 _count(user, state=list(OPEN_STATES), overdue=True)),
            Tile("extensions", _("Requests for more time"), reverse("cases:extensions"),
                 selectors.pending_extensions(actor=user).count()),
            *_supervision_tiles(user)]


def _supervision_tiles(user) -> list[Tile]:
    """Supervision by hand (督办): what was escalated to the street, and the counts per
    unit."""
    queue = reverse("cases:queue")
    return [Tile("escalated", _("Escalated to the street"),
                 f"{queue}?state=open&escalated=yes",
                 _count(user, state=list(OPEN_STATES), escalated=True)),
            Tile("supervision", _("Supervision by unit"), reverse("cases:supervision"))]


def _unit_tiles(user) -> list[Tile]:
    inbox = reverse("cases:unit")
    units = scope.unit_ids(user)
    new = sum(_count(user, unit_id=u, state=[State.DISPATCHED]) for u in units)
    doing = sum(_count(user, unit_id=u, state=sorted(HANDLING))
                for u in units)
    notices = selectors.case_list(actor=user).filter(
        unit_id__in=units, notice_due_at__isnull=False, state__in=NOTICE_STATES).count()
    return [Tile("unit-new", _("New for your unit"), inbox, new),
            Tile("unit-doing", _("Being handled"), inbox, doing),
            Tile("unit-notices", _("Supervision notices to answer"), inbox, notices)]


def _grid_tiles(user) -> list[Tile]:
    return [Tile("patrol", _("Patrol report"), reverse("cases:patrol")),
            Tile("to-verify", _("To verify on site"), reverse("cases:verify"),
                 _count(user, state=[State.RESOLVED]))]


def _overseer_tiles(user) -> list[Tile]:
    """Leaders supervise: what is open, and what of it is overdue (督办)."""
    queue = reverse("cases:queue")
    return [Tile("open", _("Open cases"), queue, _count(user, state=list(OPEN_STATES))),
            Tile("overdue", _("Overdue"), f"{queue}?state=open&overdue=yes",
                 _count(user, state=list(OPEN_STATES), overdue=True)),
            *(_supervision_tiles(user) if scope.has_role(user, Role.LEADER) else [])]


@register.simple_tag
def case_home_panel(user) -> list[Tile]:
    """Counts of the cases waiting for this person, one group per role they hold."""
    roles = scope.roles_of(user)
    tiles: list[Tile] = []
    if Role.DISPATCHER in roles:
        tiles += _dispatcher_tiles(user)
    if Role.GRID_WORKER in roles:
        tiles += _grid_tiles(user)
    if Role.UNIT_MEMBER in roles:
        tiles += _unit_tiles(user)
    if Role.RESIDENT in roles:
        tiles += _resident_tiles(user)
    if not tiles and roles & {Role.LEADER, Role.ADMIN, Role.MEDIATOR}:
        tiles += _overseer_tiles(user)
    if user.is_superuser or roles & set(selectors.STAFF_ROLES):
        tiles.append(Tile("map", _("Case map"), reverse("cases:map")))
    if Role.GRID_WORKER in roles:
        tiles.append(Tile("grid-map", _("My grid map"), reverse("people:grid_map")))
    return tiles


@register.simple_tag
def case_home_mine(user, limit: int = 3) -> list[Case]:
    """A resident's own latest reports, each with its state: what they asked for, on the
    first page they see. Empty for those who hold no resident role."""
    if Role.RESIDENT not in scope.roles_of(user):
        return []
    return list(selectors.case_list(actor=user, filters=selectors.CaseFilters(mine=True))
                .order_by("-reported_at", "-id")[:limit])


@register.filter
def may_see_units(user) -> bool:
    """Whether the home page links to the handling-unit pages."""
    return can_view_units(user)


@register.simple_tag
def public_home_links(user) -> list[Tile]:
    """The public cases of the communities the person belongs to, and for an admin or
    leader the page where they decide what each community publishes."""
    tiles = [Tile(f"public-{c.pk}", _("Public cases of %(name)s") % {"name": c.name},
                  reverse("public:list", args=[c.pk]))
             for c in publication.published_communities(user)
             if publication.is_resident_of(user, c) or not scope.has_role(user, Role.RESIDENT)]
    if publication.publishable_communities(user).exists():
        tiles.append(Tile("publication", _("What each community publishes"),
                          reverse("public:settings")))
    return tiles
