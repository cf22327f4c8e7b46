"""Scoped reading of joint committees, joint meetings and resolutions: everything starts
from `selectors.meetings_visible` / `resolutions_visible` (party-work staff, dispatchers
and leaders of the place; a unit's people see the resolutions their unit owns)."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.clocks import Light
from linli.core.tiles import Tile
from linli.party import permissions, selectors
from linli.party.models import (
    AgendaItem,
    JointMeeting,
    MeetingState,
    Organisation,
    OrgKind,
    Resolution,
    ResolutionState,
)
from linli.party.transitions import RESOLUTION_CLOCKS, RUNNING

OPEN = (*RUNNING, ResolutionState.DONE)


# --- joint committees -------------------------------------------------------------------------

def joints_visible(actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(selectors.work_q(actor), kind=OrgKind.JOINT,
                                       is_active=True).order_by("area_path", "name")


def joint_overview(joint: Organisation, now: datetime) -> dict:
    """A joint committee's seats, this year's meetings and its resolutions by state."""
    seats = (joint.seats.filter(left_on__isnull=True)
             .select_related("organisation__unit").order_by("pk"))
    meetings = list(joint.meetings.filter(scheduled_at__year=timezone.localdate(now).year)
                    .order_by("scheduled_at"))
    resolutions = Resolution.objects.filter(meeting__joint=joint)
    overdue = resolutions.filter(RESOLUTION_CLOCKS.overdue_q(now)).count()
    return {"joint": joint, "seats": list(seats), "meetings": meetings,
            "open": resolutions.filter(state__in=OPEN).count(),
            "done": resolutions.filter(state=ResolutionState.CLOSED).count(),
            "overdue": overdue}


# --- meetings ---------------------------------------------------------------------------

def meeting_list(*, actor, state: str = "", joint_id: int | None = None
                 ) -> QuerySet[JointMeeting]:
    qs = selectors.meetings_visible(actor).select_related("joint")
    if state:
        qs = qs.filter(state=state)
    if joint_id is not None:
        qs = qs.filter(joint_id=joint_id)
    return qs.annotate(n_items=Count("agenda", distinct=True),
                       n_resolutions=Count("resolutions", distinct=True))


def meeting_get(*, actor, meeting_id: int) -> JointMeeting:
    found = (selectors.meetings_visible(actor).select_related("joint", "joint__area")
             .filter(pk=meeting_id).first())
    if found is None:
        raise Http404
    return found


def agenda_item_get(*, actor, item_id: int) -> AgendaItem:
    found = (AgendaItem.objects.filter(meeting__in=selectors.meetings_visible(actor),
                                       pk=item_id).select_related("meeting").first())
    if found is None:
        raise Http404
    return found


def agenda_of(meeting: JointMeeting) -> list[AgendaItem]:
    return list(meeting.agenda.select_related("case", "topic", "dispute")
                .order_by("position", "pk"))


def attendance_of(meeting: JointMeeting) -> list[dict]:
    """One row per seat: the organisation, its representative, and what was recorded."""
    from linli.party.services.meetings_plan import seat_organisations

    recorded = {a.organisation_id: a for a in meeting.attendance.all()}
    reps = dict(meeting.joint.seats.values_list("organisation_id", "representative"))
    return [{"organisation": o, "representative": reps.get(o.pk, ""),
             "present": recorded[o.pk].present if o.pk in recorded else None,
             "attendee": recorded[o.pk].attendee if o.pk in recorded else ""}
            for o in seat_organisations(meeting)]


def agenda_sources(meeting: JointMeeting, now: datetime) -> dict[str, list]:
    """What the meeting may take up from its community: cases one unit did not manage alone,
    open topics, open disputes (their number and kind only)."""
    from linli.cases.selectors import needing_several_units
    from linli.deliberation.selectors import open_topics
    from linli.disputes.selectors import open_disputes

    path = meeting.area_path
    return {"cases": needing_several_units(area_path=path, now=now),
            "topics": open_topics(area_path=path),
            "disputes": open_disputes(area_path=path)}


# --- resolutions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResolutionFilters:
    state: str = ""       # a state, or "open" (assigned, in progress, reported done)
    unit_id: int | None = None
    overdue: bool = False
    meeting_id: int | None = None


STATES = ("open", *ResolutionState.values)


def bad_state(state: str) -> bool:
    return bool(state) and state not in STATES


def resolution_list(*, actor, filters: ResolutionFilters | None = None,
                    now: datetime | None = None) -> QuerySet[Resolution]:
    f = filters or ResolutionFilters()
    qs = selectors.resolutions_visible(actor).select_related("owner_unit", "meeting")
    if f.state == "open":
        qs = qs.filter(state__in=OPEN)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.unit_id is not None:
        qs = qs.filter(owner_unit_id=f.unit_id)
    if f.meeting_id is not None:
        qs = qs.filter(meeting_id=f.meeting_id)
    if f.overdue:
        qs = qs.filter(RESOLUTION_CLOCKS.overdue_q(now or timezone.now()))
    return qs.order_by("due_at", "pk")


def resolution_get(*, actor, resolution_id: int) -> Resolution:
    found = (selectors.resolutions_visible(actor)
             .select_related("owner_unit", "meeting__joint", "agenda_item__case",
                             "agenda_item__topic", "agenda_item__dispute")
             .filter(pk=resolution_id).first())
    if found is None:
        raise Http404
    return found


def light(resolution: Resolution, now: datetime | None = None) -> str:
    return RESOLUTION_CLOCKS.light(resolution, now or timezone.now()) or ""


def with_light(resolution: Resolution, now: datetime) -> Resolution:
    """The traffic light and its words on the row, for lists."""
    resolution.light = light(resolution, now)  # type: ignore[attr-defined]
    resolution.light_words = Light.words(resolution.light)  # type: ignore[attr-defined]
    return resolution


def supervised_at(resolution: Resolution) -> datetime | None:
    """When the latest supervision notice (督办) went out, if any."""
    from linli.party.events import history

    last = history(resolution).filter(action="supervise").order_by("-at").first()
    return last.at if last is not None else None


def unit_choices(actor) -> list[tuple[int, str]]:
    """The units owning a resolution the actor sees (the list's filter)."""
    rows = (selectors.resolutions_visible(actor).values_list("owner_unit_id",
                                                              "owner_unit__name")
            .distinct().order_by("owner_unit__name"))
    return list(dict(rows).items())


# --- problems solved jointly ------------------------------------------------------------------

def solved_list(*, actor, year: int | None = None) -> list[dict]:
    """Closed resolutions with their meeting, unit, source and the days taken."""
    qs = (selectors.resolutions_visible(actor).filter(state=ResolutionState.CLOSED)
          .select_related("owner_unit", "meeting", "agenda_item__case",
                          "agenda_item__topic", "agenda_item__dispute")
          .order_by("-closed_at"))
    if year is not None:
        qs = qs.filter(closed_at__year=year)
    return [{"resolution": r, "days": _days_taken(r)} for r in qs[:500]]


def _days_taken(r) -> int | None:
    """Calendar days from the meeting that made the resolution to its close."""
    from django.utils import timezone

    made = r.meeting.held_at or r.meeting.scheduled_at
    if r.closed_at is None or made is None:
        return None
    return (timezone.localdate(r.closed_at) - timezone.localdate(made)).days


def solved_counts(rows: list[dict]) -> list[tuple[str, int, int]]:
    """(unit, year, count), most first."""
    counted = Counter((r["resolution"].owner_unit.name, r["resolution"].closed_at.year)
                      for r in rows if r["resolution"].closed_at)
    return [(unit, year, n) for (unit, year), n in counted.most_common()]


def source_of(resolution: Resolution) -> dict:
    """The case, topic or dispute behind the resolution's agenda item, and where it leads."""
    item = resolution.agenda_item
    if item is None:
        return {}
    if item.case is not None:
        return {"kind": _("case"), "label": item.case.title,
                "url": reverse("cases:detail", args=[item.case_id])}
    if item.topic is not None:
        return {"kind": _("topic"), "label": item.topic.title,
                "url": reverse("deliberation:topic", args=[item.topic_id])}
    if item.dispute is not None:
        return {"kind": _("dispute"), "label": str(item.dispute),
                "url": reverse("disputes:detail", args=[item.dispute_id])}
    return {}


# --- the hub ------------------------------------------------------------------------------

def home_tiles(user) -> list[Tile]:
    """Joint work on the party hub: meetings and open resolutions for who follows joint
    work; the unit's open resolutions for a unit's people."""
    tiles: list[Tile] = []
    if permissions.is_work_staff(user):
        tiles.append(Tile("joint", _("Joint committees"), reverse("party:joint")))
        planned = meeting_list(actor=user, state=MeetingState.PLANNED).count()
        tiles.append(Tile("meetings", _("Joint meetings planned"), reverse("party:meetings"),
                          planned))
    running = resolution_list(actor=user, filters=ResolutionFilters(state="open"))
    if permissions.is_work_staff(user) or running.exists():
        tiles.append(Tile("resolutions", _("Open joint resolutions"),
                          reverse("party:resolutions") + "?state=open", running.count()))
        overdue = running.filter(RESOLUTION_CLOCKS.overdue_q(timezone.now())).count()
        if overdue:
            tiles.append(Tile("resolutions-overdue", Light.words(Light.RED),
                              reverse("party:resolutions") + "?overdue=1", overdue))
    return tiles


def counts_by_state(actor) -> dict[str, int]:
    rows = (selectors.resolutions_visible(actor).values("state").annotate(n=Count("pk"))
            .filter(~Q(state="")))
    return {r["state"]: r["n"] for r in rows}
