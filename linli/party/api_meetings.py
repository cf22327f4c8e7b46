"""The meetings API (mounted under /api/party): joint meetings (list, one, plan, agenda,
attendance, hold / cancel) and their resolutions (list, one, record, moves).

Parse, call a selector or a service, serialize. A meeting or a resolution named in the
path is loaded through `selectors_meetings`, so one out of sight is a 404 before any
service runs; the service then decides whether the caller may act (403). Error answers
({code, message}) are documented on every operation by core.openapi.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.core.listing import unknown_value
from linli.party import permissions
from linli.party import selectors_meetings as sel
from linli.party.models import MeetingState, Organisation
from linli.party.schemas_meetings import (
    AgendaEditIn,
    AgendaIn,
    MeetingActionIn,
    PartyAttendanceIn,
    PartyMeetingDetailOut,
    PartyMeetingIn,
    PartyMeetingOut,
    ResolutionActionIn,
    ResolutionDetailOut,
    ResolutionIn,
    ResolutionOut,
)
from linli.party.services.meetings import owner_units, resolution_add, resolution_transition
from linli.party.services.meetings_plan import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    attendance_record,
    meeting_create,
    meeting_transition,
)
from linli.party.workflow import MEETINGS, RESOLUTIONS

router = Router(tags=["party"])


def _meeting(request, joint_meeting_id: int):
    return sel.meeting_get(actor=request.user, meeting_id=joint_meeting_id)


def _resolution(request, resolution_id: int):
    return sel.resolution_get(actor=request.user, resolution_id=resolution_id)


# --- meetings -------------------------------------------------------------------------------

@router.get("/meetings", response=list[PartyMeetingOut])
@paginate(Pages, page_size=20)
def meeting_list(request, state: str = "", joint_id: Id | None = None):
    """Joint meetings in the caller's places (party-work staff, dispatchers, leaders),
    latest first. `state`: planned, held or cancelled (else 400)."""
    if state and state not in MeetingState.values:
        raise unknown_value("state")
    return sel.meeting_list(actor=request.user, state=state, joint_id=joint_id)


@router.post("/meetings", response={201: PartyMeetingDetailOut})
def meeting_create_op(request, payload: PartyMeetingIn):
    """Plan a meeting of a joint committee: party-work staff of its place only (403)."""
    joint = sel.joints_visible(request.user).filter(pk=payload.joint_id).first()
    if joint is None:
        raise ValidationFailed(_("Choose a joint committee."), code="bad_joint")
    made = meeting_create(actor=request.user, joint=joint, title=payload.title,
                          scheduled_at=payload.scheduled_at, venue=payload.venue)
    return Status(201, _meeting(request, made.pk))


@router.get("/meetings/{joint_meeting_id}", response=PartyMeetingDetailOut)
def meeting_detail(request, joint_meeting_id: Id):
    """The meeting with its agenda, attendance per seat, resolutions and the moves the
    caller may take."""
    return _meeting(request, joint_meeting_id)


def _source(meeting, payload: AgendaIn) -> dict:
    wanted = [(k, pk) for k, pk in (("case", payload.case_id), ("topic", payload.topic_id),
                                    ("dispute", payload.dispute_id)) if pk is not None]
    if not wanted:
        return {}
    if len(wanted) > 1:
        raise ValidationFailed(_("An agenda item comes from one case, topic or dispute."),
                               code="two_sources")
    kind, pk = wanted[0]
    found = next((x for x in sel.agenda_sources(meeting, timezone.now())[kind + "s"]
                  if x.pk == pk), None)
    if found is None:
        raise ValidationFailed(_("Choose from the list."), code="bad_source")
    return {kind: found}


@router.post("/meetings/{joint_meeting_id}/agenda", response=PartyMeetingDetailOut)
def meeting_agenda_add(request, joint_meeting_id: Id, payload: AgendaIn):
    """Add an item at the end, free text or from a case, a topic or a dispute of the
    community that needs several units. Party-work staff, while planned."""
    meeting = _meeting(request, joint_meeting_id)
    extra = _source(meeting, payload) if permissions.keeps(request.user, meeting.area_path) \
        else {}
    agenda_item_add(actor=request.user, meeting=meeting, title=payload.title,
                    note=payload.note, **extra)
    return _meeting(request, joint_meeting_id)


@router.post("/meetings/{joint_meeting_id}/agenda/edit", response=PartyMeetingDetailOut)
def meeting_agenda_edit(request, joint_meeting_id: Id, payload: AgendaEditIn):
    """Remove an item or move it up or down (`op`). Party-work staff, while planned."""
    meeting = _meeting(request, joint_meeting_id)
    if payload.op not in ("remove", "up", "down"):
        raise unknown_value("op")
    item = meeting.agenda.filter(pk=payload.item_id).first()
    if item is None:
        raise ValidationFailed(_("Choose from the list."), code="bad_item")
    if payload.op == "remove":
        agenda_item_remove(actor=request.user, item=item)
    else:
        agenda_item_move(actor=request.user, item=item, up=payload.op == "up")
    return _meeting(request, joint_meeting_id)


@router.post("/meetings/{joint_meeting_id}/attendance", response=PartyMeetingDetailOut)
def meeting_attendance(request, joint_meeting_id: Id, payload: PartyAttendanceIn):
    """Record who came for a seat. Party-work staff; not once cancelled."""
    meeting = _meeting(request, joint_meeting_id)
    org = Organisation.objects.filter(pk=payload.organisation_id).first()
    if org is None:
        raise ValidationFailed(_("That organisation has no seat on this joint committee."),
                               code="no_seat")
    attendance_record(actor=request.user, meeting=meeting, organisation=org,
                      present=payload.present, attendee=payload.attendee)
    return _meeting(request, joint_meeting_id)


@router.post("/meetings/{joint_meeting_id}/actions/{action}", response=PartyMeetingDetailOut)
def meeting_act(request, joint_meeting_id: Id, action: str, payload: MeetingActionIn):
    """hold (`minutes`; not before its day) or cancel (`note`: the reason). Party-work
    staff (403); a state that does not allow it: 400; an older `expected_version`: 409."""
    meeting = _meeting(request, joint_meeting_id)
    if action not in MEETINGS.table:
        raise unknown_value("action")
    meeting_transition(actor=request.user, meeting=meeting, action=action,
                       note=payload.note, minutes=payload.minutes,
                       expected_version=payload.expected_version)
    return _meeting(request, joint_meeting_id)


# --- resolutions ---------------------------------------------------------------------------

@router.get("/resolutions", response=list[ResolutionOut])
@paginate(Pages, page_size=20)
def resolution_list(request, state: str = "", unit_id: Id | None = None,
                    overdue: bool = False, joint_meeting_id: Id | None = None):
    """Resolutions the caller may see (joint-work staff of the place; a unit's people
    their unit's), earliest due first. `state`: a state or "open"; `overdue`: past the
    deadline and still running."""
    if sel.bad_state(state):
        raise unknown_value("state")
    return sel.resolution_list(actor=request.user, filters=sel.ResolutionFilters(
        state=state, unit_id=unit_id, overdue=overdue, meeting_id=joint_meeting_id))


@router.post("/resolutions", response={201: ResolutionDetailOut})
def resolution_create(request, payload: ResolutionIn):
    """Record a resolution of a held meeting: party-work staff of its place (403); an
    owner unit and a deadline in working days are required (400)."""
    meeting = _meeting(request, payload.joint_meeting_id)
    unit = None
    if payload.owner_unit_id is not None:
        units = owner_units(meeting) if permissions.keeps(request.user, meeting.area_path) \
            else []
        unit = next((u for u in units if u.pk == payload.owner_unit_id), None)
        if unit is None and units:
            raise ValidationFailed(_("Choose the owner unit from the list."), code="bad_unit")
    item = (meeting.agenda.filter(pk=payload.agenda_item_id).first()
            if payload.agenda_item_id is not None else None)
    if payload.agenda_item_id is not None and item is None:
        raise ValidationFailed(_("That agenda item is another meeting's."), code="bad_item")
    made = resolution_add(actor=request.user, meeting=meeting, text=payload.text,
                          owner_unit=unit, working_days=payload.working_days,
                          agenda_item=item)
    return Status(201, _resolution(request, made.pk))


@router.get("/resolutions/{resolution_id}", response=ResolutionDetailOut)
def resolution_detail(request, resolution_id: Id):
    """The resolution and the moves the caller may take."""
    return _resolution(request, resolution_id)


@router.post("/resolutions/{resolution_id}/actions/{action}", response=ResolutionDetailOut)
def resolution_act(request, resolution_id: Id, action: str, payload: ResolutionActionIn):
    """acknowledge, report_done (`note`: what was done) — the owner unit's people;
    confirm, send_back, cancel (`note`: the reason) — party-work staff (403). A state
    that does not allow it: 400; an older `expected_version`: 409 `stale`."""
    resolution = _resolution(request, resolution_id)
    if action not in RESOLUTIONS.table:
        raise unknown_value("action")
    resolution_transition(actor=request.user, resolution=resolution, action=action,
                          note=payload.note, expected_version=payload.expected_version)
    return _resolution(request, resolution_id)
