"""The hall (议事厅, the app's home): what a resident and what staff have to look at now,
read through the scoped querysets of `selectors.py`.

- A resident: topics of their places collecting support (n of needed), the open votes
  they are in the electorate of (voted or not), upcoming meetings, recent results and the
  conventions in force.
- Staff: topics to screen (raised; those that reached their supporters first), votes open
  and in 公示 (with their open objections), upcoming meetings and convention drafts.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Max, Q, Value, When
from django.utils import timezone

from linli.accounts import scope
from linli.deliberation.electorate import elector_for
from linli.deliberation.models import (
    Convention,
    Meeting,
    MeetingState,
    ObjectionState,
    Participation,
    Topic,
    TopicState,
    Vote,
    VoteState,
)
from linli.deliberation.permissions import STAFF, resident_paths
from linli.deliberation.selectors import (
    conventions_visible,
    meetings_visible,
    resident_q,
    staff_q,
    topics_visible,
    votes_visible,
)

LIMIT = 10
RESULTS = (VoteState.PUBLICITY, VoteState.STANDS, VoteState.VOID)


@dataclass
class VoteForMe:
    vote: Vote
    voted: bool


@dataclass
class Hall:
    is_resident: bool = False
    is_staff: bool = False
    collecting: list[Topic] = field(default_factory=list)
    my_votes: list[VoteForMe] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    results: list[Vote] = field(default_factory=list)
    in_force: list[Convention] = field(default_factory=list)
    to_screen: list[Topic] = field(default_factory=list)
    votes_open: list[Vote] = field(default_factory=list)
    drafts: list[Convention] = field(default_factory=list)


def _signed_in(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.is_active


def is_resident(actor) -> bool:
    return _signed_in(actor) and bool(resident_paths(actor))


def is_staff(actor) -> bool:
    return _signed_in(actor) and scope.has_role(actor, STAFF)


def topics_collecting(actor):
    """Topics of the actor's places still collecting support, the closest to the agenda
    first."""
    return topics_visible(actor).filter(resident_q(actor), state=TopicState.RAISED).order_by(
        F("supporters_needed") - F("supporter_count"), "-created_at")


def votes_for_me(actor) -> list[VoteForMe]:
    """Open votes where the actor is in the frozen electorate, with whether they voted."""
    found = []
    for vote in votes_visible(actor).filter(state=VoteState.OPEN).order_by("closes_at", "pk"):
        elector = elector_for(vote, actor)
        if elector is not None:
            voted = Participation.objects.filter(elector=elector).exists()
            found.append(VoteForMe(vote, voted))
    return found


def meetings_upcoming(actor):
    return meetings_visible(actor).filter(
        state=MeetingState.PLANNED, starts_at__gte=timezone.now()).order_by("starts_at")


def results_recent(actor):
    return votes_visible(actor).filter(state__in=RESULTS).order_by("-closed_at", "-pk")


def conventions_in_force(actor):
    return conventions_visible(actor).filter(adopted__isnull=False).select_related(
        "adopted").order_by("title")


def topics_to_screen(actor):
    """Raised topics of the staff's places: those that reached their supporters first,
    then the oldest."""
    reached = Case(When(supporter_count__gte=F("supporters_needed"), then=Value(0)),
                   default=Value(1))
    return topics_visible(actor).filter(staff_q(actor), state=TopicState.RAISED).order_by(
        reached, "created_at")


def votes_running(actor):
    """Votes open or in 公示, with `open_objections`."""
    return votes_visible(actor).filter(
        staff_q(actor), state__in=(VoteState.OPEN, VoteState.PUBLICITY)).annotate(
        open_objections=Count("objections", filter=Q(
            objections__state=ObjectionState.OPEN))).order_by("state", "closes_at", "pk")


def convention_drafts(actor):
    """Conventions with no version in force, or with a newer version than the one in force."""
    return conventions_visible(actor).filter(staff_q(actor)).annotate(
        latest=Max("versions__number")).filter(
        Q(adopted__isnull=True) | Q(adopted__number__lt=F("latest"))).order_by("title")


def hall(actor) -> Hall:
    made = Hall(is_resident=is_resident(actor), is_staff=is_staff(actor))
    if not (made.is_resident or made.is_staff):
        return made
    made.meetings = list(meetings_upcoming(actor).select_related("area")[:LIMIT])
    if made.is_resident:
        made.collecting = list(topics_collecting(actor)[:LIMIT])
        made.my_votes = votes_for_me(actor)
        made.results = list(results_recent(actor)[:LIMIT])
        made.in_force = list(conventions_in_force(actor)[:LIMIT])
    if made.is_staff:
        made.to_screen = list(topics_to_screen(actor)[:LIMIT])
        made.votes_open = list(votes_running(actor)[:LIMIT])
        made.drafts = list(convention_drafts(actor)[:LIMIT])
    return made
