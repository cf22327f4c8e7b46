"""The meetings API (under /api/deliberation): bodies and their members, meetings with
their agenda, invitations, check-in, attendance, minutes and cancelling.

Parse, call a selector or a service, serialize. A body or meeting named in the path is
loaded through the selectors, so one out of scope is a 404 before any service runs; the
service then decides whether the caller may act (403) and whether the input holds (400).
"""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.deliberation import selectors_meetings as sel
from linli.deliberation.models import Body, Meeting, MeetingState
from linli.deliberation.schemas_meetings import (
    AttendanceIn,
    AttendanceOut,
    BodyIn,
    BodyOut,
    BodyPatchIn,
    CheckInIn,
    InvitedOut,
    LeaveIn,
    MeetingCancelIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    MinutesIn,
)
from linli.deliberation.services import meetings as services
from linli.orgs.models import Area

router = Router(tags=["deliberation"])


def _invalid(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), code=code,
                            details=[{"field": field, "message": message}])


def _body(request, body_id: int) -> Body:
    return sel.body_get(actor=request.user, body_id=body_id)


def _meeting(request, meeting_id: int) -> Meeting:
    return sel.meeting_get(actor=request.user, meeting_id=meeting_id)


def _area(area_id: int | None) -> Area | None:
    if area_id is None:
        return None
    area = Area.objects.filter(pk=area_id).first()
    if area is None:
        raise _invalid("area_id", _("Unknown value."), "unknown_area")
    return area


def _resident(request, resident_id: int):
    found = sel.resident_in_scope(actor=request.user, resident_id=resident_id)
    if found is None:
        raise _invalid("resident_id", _("No resident with this id in your registry."),
                       "unknown_resident")
    return found


# --- bodies ------------------------------------------------------------------------------

@router.get("/bodies", response=list[BodyOut])
@paginate(Pages, page_size=50)
def body_list(request, active: bool | None = None):
    """Bodies (议事会, 居民代表会议, 业主大会 …) the caller may see: staff of their place and
    residents living under it. `active` keeps the active (true) or retired (false) ones."""
    return sel.body_list(actor=request.user, active=active)


@router.post("/bodies", response={201: BodyOut})
def body_create(request, payload: BodyIn):
    """Set up a body of a community, estate or building: dispatchers and leaders of the
    place (403 `not_organiser`). The term must end after it starts (400 `bad_term`); the
    quorum is a share such as ">1/2" (400 `bad_share`)."""
    area = _area(payload.area_id)
    assert area is not None
    body = services.body_create(actor=request.user, area=area, name=payload.name,
                                kind=payload.kind, term_start=payload.term_start,
                                term_end=payload.term_end, quorum=payload.quorum,
                                is_active=payload.is_active)
    return Status(201, body)


@router.get("/bodies/{body_id}", response=BodyOut)
def body_detail(request, body_id: Id):
    """One body."""
    return _body(request, body_id)


@router.patch("/bodies/{body_id}", response=BodyOut)
def body_patch(request, body_id: Id, payload: BodyPatchIn):
    """Change a body's name, kind, term, quorum or whether it is active: organisers of its
    place (403)."""
    body = _body(request, body_id)
    changes = payload.dict(exclude_unset=True)
    return services.body_update(actor=request.user, body=body, **changes)


@router.get("/bodies/{body_id}/members", response=list[MemberOut])
@paginate(Pages, page_size=100)
def member_list(request, body_id: Id, current: bool | None = None):
    """The body's members, by joining day, with their post; `current` keeps the current
    (true) or former (false) ones. Names in full: a member holds a public post."""
    body = _body(request, body_id)
    now, former = sel.members_of(body)
    if current is None:
        return now + former
    return now if current else former


@router.post("/bodies/{body_id}/members", response={201: MemberOut})
def member_add(request, body_id: Id, payload: MemberIn):
    """Add a member: `resident_id`, a registry resident of the body's place, or `user_id`,
    an account of the place (a unit's representative), with a post. Organisers (403). The
    same person twice while current: 409 `already_member`."""
    body = _body(request, body_id)
    services.require_organiser(request.user, body.area)
    if (payload.resident_id is None) == (payload.user_id is None):
        raise _invalid("resident_id", _("Give a resident_id or a user_id."),
                       "member_required")
    resident = user = None
    if payload.resident_id is not None:
        resident = _resident(request, payload.resident_id)
    else:
        assert payload.user_id is not None
        user = sel.account_near(area=body.area, user_id=payload.user_id)
        if user is None:
            raise _invalid("user_id", _("No such account at this place."), "unknown_user")
    member = services.member_add(actor=request.user, body=body, resident=resident, user=user,
                                 name=payload.name, post=payload.post,
                                 joined_on=payload.joined_on)
    return Status(201, member)


@router.post("/bodies/{body_id}/members/{member_id}/leave", response=MemberOut)
def member_leave(request, body_id: Id, member_id: Id, payload: LeaveIn):
    """The member leaves (today, or `left_on`); never deleted, the history stays. Organisers
    (403); already left: 409 `already_left`."""
    body = _body(request, body_id)
    member = sel.member_get(body=body, member_id=member_id)
    return services.member_leave(actor=request.user, member=member, left_on=payload.left_on)


# --- meetings ----------------------------------------------------------------------------

@router.get("/meetings", response=list[MeetingOut])
@paginate(Pages, page_size=20)
def meeting_list(request, state: str = "", body_id: Id | None = None):
    """Meetings the caller may see, upcoming first (soonest first), then past ones. `state`:
    planned, held or cancelled."""
    if state and state not in MeetingState.values:
        raise _invalid("state", _("Unknown value."))
    return sel.meeting_list(actor=request.user, state=state, body_id=body_id)


@router.post("/meetings", response={201: MeetingDetailOut})
def meeting_create(request, payload: MeetingIn):
    """Call a meeting: of a body's members (`body_id`), or of the residents of a place
    (`attendees` adults or households). Organisers of the place (403). `expected` is fixed
    now; the check-in code is drawn at random. The agenda: topics on the agenda or being
    voted on (400 `bad_topic`)."""
    body = None
    if payload.body_id is not None:
        body = sel.bodies_visible(request.user).filter(pk=payload.body_id).first()
        if body is None:
            raise _invalid("body_id", _("Unknown value."), "unknown_body")
    meeting = services.meeting_create(
        actor=request.user, area=_area(payload.area_id), title=payload.title,
        starts_at=payload.starts_at, place=payload.place, body=body,
        attendees=payload.attendees, topic_ids=payload.topic_ids, invite=payload.invite)
    return Status(201, meeting)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def meeting_detail(request, meeting_id: Id):
    """The meeting with its agenda and decisions, the attendance and whether it is quorate,
    the minutes; the check-in code for staff of the place."""
    return _meeting(request, meeting_id)


@router.post("/meetings/{meeting_id}/invitations", response=InvitedOut)
def meeting_invite(request, meeting_id: Id):
    """Invite through the inbox everyone not yet invited: the body's members with an
    account, or the resident accounts of the place. Organisers (403)."""
    meeting = _meeting(request, meeting_id)
    return {"invited": services.meeting_invite(actor=request.user, meeting=meeting)}


@router.post("/meetings/{meeting_id}/check-in", response={201: AttendanceOut})
def meeting_check_in(request, meeting_id: Id, payload: CheckInIn):
    """Check in with the meeting's code, from two hours before the start to six hours after
    (400 `check_in_closed`; a wrong code 400 `bad_code`). A body's current members, or the
    residents of the place (403); once (409 `already_present`)."""
    meeting = _meeting(request, meeting_id)
    row = services.meeting_check_in(actor=request.user, meeting=meeting, code=payload.code)
    return Status(201, {"id": row.pk, "name": row.name, "via": row.via, "at": row.at})


@router.post("/meetings/{meeting_id}/attendance", response={201: AttendanceOut})
def meeting_attendance(request, meeting_id: Id, payload: AttendanceIn):
    """Staff of the place tick someone present: `member_id` (a body's meeting) or
    `resident_id` (a residents' meeting). 403 for others; once (409 `already_present`)."""
    meeting = _meeting(request, meeting_id)
    services.require_staff(request.user, meeting.area)
    member = resident = None
    if payload.member_id is not None and meeting.body is not None:
        member = meeting.body.members.filter(pk=payload.member_id).first()
    if payload.resident_id is not None:
        resident = sel.resident_in_scope(actor=request.user, resident_id=payload.resident_id)
    row = services.attendance_record(actor=request.user, meeting=meeting, member=member,
                                     resident=resident)
    return Status(201, {"id": row.pk, "name": row.name, "via": row.via, "at": row.at})


@router.post("/meetings/{meeting_id}/minutes", response=MeetingDetailOut)
def meeting_minutes(request, meeting_id: Id, payload: MinutesIn):
    """Record the minutes and a decision per agenda item (`item_id` of the agenda); the
    meeting is held. Staff of the place (403)."""
    meeting = _meeting(request, meeting_id)
    decisions = {d.item_id: d.decision for d in payload.decisions}
    services.meeting_minutes(actor=request.user, meeting=meeting, minutes=payload.minutes,
                             decisions=decisions)
    return _meeting(request, meeting_id)


@router.post("/meetings/{meeting_id}/cancel", response=MeetingDetailOut)
def meeting_cancel(request, meeting_id: Id, payload: MeetingCancelIn):
    """Cancel a planned meeting with a reason; the invited hear of it. Organisers (403)."""
    meeting = _meeting(request, meeting_id)
    services.meeting_cancel(actor=request.user, meeting=meeting, reason=payload.reason)
    return _meeting(request, meeting_id)
