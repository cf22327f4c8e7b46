"""Planning and holding a joint meeting (联席会议) of a 联合党委: party-work staff of the
joint committee's place plan it (time, venue), build its agenda (free text, or a case, a
topic or a dispute of the community that needs several units), reorder or remove items
while it is planned, record who came for each seat, then hold it (with the minutes) or
cancel it (a reason) through the MEETINGS workflow.

Refused: anyone but party-work staff of the place (403); an organisation that is not an
active joint committee; agenda changes once the meeting is held or cancelled; attendance
for an organisation without a seat; attendance of a cancelled meeting.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party import permissions
from linli.party.models import (
    MAX_TEXT,
    AgendaItem,
    Attendance,
    JointMeeting,
    MeetingState,
    Organisation,
    OrgKind,
)
from linli.party.workflow import MEETINGS


def _staff(actor, path: str) -> None:
    if not permissions.keeps(actor, path):
        raise PermissionDenied(_("Only party-work staff of this place plan joint meetings."),
                               code="not_party_staff")


def _planned(meeting: JointMeeting) -> None:
    if meeting.state != MeetingState.PLANNED:
        raise ValidationFailed(_("The agenda changes only while the meeting is planned."),
                               code="not_planned")


def _text(value: str, limit: int, empty: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(empty, code=code)
    if len(value) > limit:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": limit}, code="too_long")
    return value


@transaction.atomic
def meeting_create(*, actor, joint: Organisation, title: str, scheduled_at: datetime,
                   venue: str) -> JointMeeting:
    _staff(actor, joint.area_path)
    if joint.kind != OrgKind.JOINT or not joint.is_active:
        raise ValidationFailed(_("Joint meetings are held by an active joint committee."),
                               code="not_joint")
    if scheduled_at is None:
        raise ValidationFailed(_("Give the meeting's time."), code="no_time")
    meeting = JointMeeting.objects.create(
        joint=joint, area_path=joint.area_path,
        title=_text(title, 100, _("Give the meeting a title."), "empty_title"),
        scheduled_at=scheduled_at,
        venue=_text(venue, 100, _("Say where the meeting is held."), "empty_venue"),
        created_by=actor)
    audit_record(actor=actor, action="meeting.create", obj=meeting, area_path=meeting.area_path,
                 changes={"joint": joint.pk, "scheduled_at": scheduled_at.isoformat()})
    return meeting


def _one_source(case, topic, dispute) -> None:
    if sum(x is not None for x in (case, topic, dispute)) > 1:
        raise ValidationFailed(_("An agenda item comes from one case, topic or dispute."),
                               code="two_sources")


def _source_title(case, topic, dispute) -> str:
    if case is not None:
        return case.title
    if topic is not None:
        return topic.title
    if dispute is not None:
        return str(dispute)  # number and kind: the summary may name the parties
    return ""


@transaction.atomic
def agenda_item_add(*, actor, meeting: JointMeeting, title: str = "", note: str = "",
                    case=None, topic=None, dispute=None) -> AgendaItem:
    """Add an item at the end: free text, or brought from a case, a topic or a dispute of
    the joint committee's place (its title is the item's unless one is given)."""
    _staff(actor, meeting.area_path)
    _planned(meeting)
    _one_source(case, topic, dispute)
    for source in (case, topic, dispute):
        if source is not None and not source.area_path.startswith(meeting.area_path):
            raise ValidationFailed(_("That is another community's."), code="other_place")
    title = (title or "").strip() or _source_title(case, topic, dispute)
    title = _text(title, 200, _("Give the agenda item a title."), "empty_title")
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": MAX_TEXT},
                               code="too_long")
    last = meeting.agenda.aggregate(m=Max("position"))["m"]
    item = AgendaItem.objects.create(meeting=meeting, title=title, note=note, case=case,
                                     topic=topic, dispute=dispute,
                                     position=0 if last is None else last + 1)
    audit_record(actor=actor, action="meeting.agenda_add", obj=meeting,
                 area_path=meeting.area_path,
                 changes={"item": item.pk, "case": getattr(case, "pk", None),
                          "topic": getattr(topic, "pk", None),
                          "dispute": getattr(dispute, "pk", None)})
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    meeting = item.meeting
    _staff(actor, meeting.area_path)
    _planned(meeting)
    if item.resolutions.exists():  # cannot happen while planned; kept as a guard
        raise ValidationFailed(_("This item has resolutions."), code="has_resolutions")
    pk = item.pk
    item.delete()
    audit_record(actor=actor, action="meeting.agenda_remove", obj=meeting,
                 area_path=meeting.area_path, changes={"item": pk})


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool) -> None:
    """Swap the item with the one before (`up`) or after it; at either end nothing moves."""
    meeting = item.meeting
    _staff(actor, meeting.area_path)
    _planned(meeting)
    items = list(meeting.agenda.select_for_update().order_by("position", "pk"))
    at = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(items):
        return
    items[at], items[other] = items[other], items[at]
    for position, row in enumerate(items):
        if row.position != position:
            AgendaItem.objects.filter(pk=row.pk).update(position=position)
    audit_record(actor=actor, action="meeting.agenda_move", obj=meeting,
                 area_path=meeting.area_path, changes={"item": item.pk, "up": up})


def seat_organisations(meeting: JointMeeting) -> list[Organisation]:
    """The member organisations holding a seat on the meeting's day (or now)."""
    day = timezone.localdate(meeting.scheduled_at)
    seats = (meeting.joint.seats.filter(joined_on__lte=day)
             .exclude(left_on__lt=day).select_related("organisation__unit"))
    return [s.organisation for s in seats]


@transaction.atomic
def attendance_record(*, actor, meeting: JointMeeting, organisation: Organisation,
                      present: bool, attendee: str = "") -> Attendance:
    """Who came for a seat (present, and the attendee's name): set or corrected until the
    meeting is cancelled."""
    _staff(actor, meeting.area_path)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationFailed(_("The meeting was cancelled."), code="cancelled")
    if organisation.pk not in {o.pk for o in seat_organisations(meeting)}:
        raise ValidationFailed(_("That organisation has no seat on this joint committee."),
                               code="no_seat")
    attendee = (attendee or "").strip()
    if len(attendee) > 64:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": 64}, code="too_long")
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting, organisation=organisation,
        defaults={"present": present, "attendee": attendee if present else ""})
    audit_record(actor=actor, action="meeting.attendance", obj=meeting,
                 area_path=meeting.area_path,
                 changes={"organisation": organisation.pk, "present": present})
    return row


@transaction.atomic
def meeting_transition(*, actor, meeting: JointMeeting, action: str, note: str = "",
                       minutes: str = "", expected_version: int | None = None,
                       now: datetime | None = None) -> JointMeeting:
    """hold (the minutes, not before its day) or cancel (a reason)."""
    if action not in MEETINGS.table:
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    if len(minutes or "") > 5000:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": 5000}, code="too_long")
    MEETINGS.transition(actor=actor, obj=meeting, action=action, note=note, now=now,
                        data={"minutes": (minutes or "").strip()},
                        expected_version=expected_version)
    return meeting
