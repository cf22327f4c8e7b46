"""Reads of bodies, members and meetings, limited to what the actor may see (`selectors`).

- Bodies and meetings are seen by staff of their place and by residents living under it.
- Members hold a public post: their names are shown in full to whoever sees the body.
- A residents' meeting's attendance shows names masked to all but staff of the place.
"""

from datetime import timedelta

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from linli.accounts import scope
from linli.core.crypto import mask_name
from linli.deliberation import permissions
from linli.deliberation.models import (
    Attendance,
    Attendees,
    Body,
    Meeting,
    MeetingState,
    Member,
    Topic,
    TopicState,
)
from linli.deliberation.selectors import (
    bodies_visible,
    body_get,
    meeting_get,
    meetings_visible,
    topics_visible,
)
from linli.people.models import Resident
from linli.people.selectors import resident_list

__all__ = ["body_get", "meeting_get"]

RECENT = timedelta(hours=6)


def body_list(*, actor, active: bool | None = None) -> QuerySet[Body]:
    qs = bodies_visible(actor).select_related("area")
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-is_active", "name", "pk")


def member_get(*, body: Body, member_id: int) -> Member:
    from django.http import Http404

    found = Member.objects.filter(body=body, pk=member_id).first()
    if found is None:
        raise Http404
    return found


def members_of(body: Body) -> tuple[list[Member], list[Member]]:
    """(current, former) members, by joining day."""
    rows = list(Member.objects.filter(body=body).order_by("joined_on", "pk"))
    today = timezone.localdate()
    current = [m for m in rows if m.left_on is None or m.left_on > today]
    return current, [m for m in rows if m not in current]


def meeting_list(*, actor, state: str = "", body_id: int | None = None) -> QuerySet[Meeting]:
    """Upcoming (and under way) meetings first, soonest first; then the past, latest first."""
    now = timezone.now()
    qs = meetings_visible(actor).select_related("area", "body")
    if state:
        qs = qs.filter(state=state)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    upcoming = Case(When(state=MeetingState.PLANNED, starts_at__gte=now - RECENT,
                         then=Value(0)), default=Value(1), output_field=IntegerField())
    soon = Case(When(state=MeetingState.PLANNED, starts_at__gte=now - RECENT,
                     then=F("starts_at")), default=None)
    return qs.annotate(_upcoming=upcoming, _soon=soon).order_by(
        "_upcoming", F("_soon").asc(nulls_last=True), "-starts_at", "-pk")


def agenda_choices(*, actor, area=None) -> QuerySet[Topic]:
    """Topics an organiser may put on an agenda: visible, on the agenda or being voted on."""
    qs = topics_visible(actor).filter(state__in=[TopicState.AGENDA, TopicState.VOTING])
    return qs.order_by("-agenda_at", "-pk")


def organiser_areas(actor):
    """The areas the actor organises (the meeting and body forms' places)."""
    from linli.orgs.models import Area

    paths = scope.area_paths(actor, permissions.ORGANISERS)
    if not paths:
        return Area.objects.none()
    from django.db.models import Q

    within = Q(pk__in=[])
    for path in paths:
        within |= Q(path__startswith=path)
    return Area.objects.filter(within).exclude(kind="dwelling").order_by("path")


def organised_bodies(actor) -> list[Body]:
    return [b for b in body_list(actor=actor, active=True)
            if permissions.is_organiser(actor, b.area)]


def attendance_rows(meeting: Meeting, *, full_names: bool) -> list[dict]:
    """Who is present, names masked for a residents' meeting unless `full_names` (staff)."""
    rows = Attendance.objects.filter(meeting=meeting).order_by("at", "pk")
    public = meeting.attendees == Attendees.MEMBERS
    return [{"id": a.pk, "name": a.name if public or full_names else mask_name(a.name),
             "via": a.via, "via_label": a.get_via_display(), "at": a.at,
             "member_id": a.member_id, "resident_id": a.resident_id} for a in rows]


def resident_search(*, actor, meeting: Meeting, search: str, limit: int = 20) -> list[Resident]:
    """Residents of the meeting's place the actor may see in the registry, by name."""
    search = (search or "").strip()[:64]
    if not search:
        return []
    return list(resident_list(actor=actor, search=search)
                .filter(area_path__startswith=meeting.area_path)[:limit])


def member_candidates(*, actor, body: Body, search: str, limit: int = 20) -> list[Resident]:
    search = (search or "").strip()[:64]
    if not search:
        return []
    return list(resident_list(actor=actor, search=search)
                .filter(area_path__startswith=body.area_path)[:limit])


def resident_in_scope(*, actor, resident_id: int) -> Resident | None:
    return resident_list(actor=actor).filter(pk=resident_id).first()


def account_near(*, area, user_id: int):
    """An active account with a role at, under or above `area` (a unit's representative,
    a resident, staff), or None: the accounts an organiser may make members."""
    from linli.accounts.models import RoleAssignment, User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    for a in RoleAssignment.objects.filter(user=user).select_related("area"):
        if a.area is not None and (a.area.path.startswith(area.path)
                                   or area.path.startswith(a.area.path)):
            return user
    return None
