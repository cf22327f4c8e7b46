"""Shapes of the meetings API (docs/openapi.json): joint meetings, their agenda and
attendance, and resolutions with the moves the caller may take."""

from datetime import datetime

from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.party.models import JointMeeting, Resolution
from linli.party.workflow import MEETINGS, RESOLUTIONS

# --- in ----------------------------------------------------------------------------------


class PartyMeetingIn(Schema):
    joint_id: Id = Field(description="The joint committee (联合党委) holding the meeting.")
    title: str = Field(max_length=100)
    scheduled_at: datetime
    venue: str = Field(max_length=100)


class AgendaIn(Schema):
    title: str = Field("", max_length=200, description="Free text; empty: the source's.")
    note: str = Field("", max_length=2000)
    case_id: Id | None = Field(None, description="An open case of the community that one "
                               "unit has not solved (returned, overdue, re-dispatched).")
    topic_id: Id | None = Field(None, description="An open topic of the community.")
    dispute_id: Id | None = Field(None, description="An open dispute of the community.")


class AgendaEditIn(Schema):
    item_id: Id = Field(description="An item of this meeting's agenda.")
    op: str = Field(max_length=8, description="remove, up or down.")


class PartyAttendanceIn(Schema):
    organisation_id: Id = Field(description="A member organisation with a seat.")
    present: bool
    attendee: str = Field("", max_length=64, description="Who came for the seat.")


class MeetingActionIn(Schema):
    note: str = Field("", max_length=2000, description="cancel: the reason (required).")
    minutes: str = Field("", max_length=5000, description="hold: the minutes.")
    expected_version: Int32 | None = None


class ResolutionIn(Schema):
    joint_meeting_id: Id = Field(description="A held joint meeting.")
    text: str = Field(max_length=2000)
    owner_unit_id: Id | None = Field(None, description="Required: a seat's unit or an "
                                     "active unit serving the community.")
    working_days: Int32 | None = Field(None, description="Required: 1 to 250 working days.")
    agenda_item_id: Id | None = None


class ResolutionActionIn(Schema):
    note: str = Field("", max_length=2000, description="report_done: what was done; "
                      "send_back, cancel: the reason (required).")
    expected_version: Int32 | None = None


# --- out ---------------------------------------------------------------------------------

class PartyMeetingOut(Schema):
    id: int
    joint_id: int
    joint_name: str
    title: str
    scheduled_at: datetime
    venue: str
    state: str
    version: int

    @staticmethod
    def resolve_joint_name(obj: JointMeeting) -> str:
        return obj.joint.name


class PartyAgendaItemOut(Schema):
    id: int
    position: int
    title: str
    note: str
    case_id: int | None
    topic_id: int | None
    dispute_id: int | None


class PartyAttendanceOut(Schema):
    organisation_id: int
    organisation_name: str
    representative: str
    present: bool | None = Field(description="None: not recorded yet.")
    attendee: str


class PartyMeetingDetailOut(PartyMeetingOut):
    minutes: str
    held_at: datetime | None
    cancelled_at: datetime | None
    agenda: list[PartyAgendaItemOut]
    attendance: list[PartyAttendanceOut]
    resolution_ids: list[int]
    allowed_actions: list[str] = Field(description="The moves the caller may take now.")

    @staticmethod
    def resolve_agenda(obj: JointMeeting) -> list:
        return list(obj.agenda.order_by("position", "pk"))

    @staticmethod
    def resolve_attendance(obj: JointMeeting) -> list[dict]:
        from linli.party.selectors_meetings import attendance_of

        return [{"organisation_id": a["organisation"].pk,
                 "organisation_name": a["organisation"].name,
                 "representative": a["representative"], "present": a["present"],
                 "attendee": a["attendee"]} for a in attendance_of(obj)]

    @staticmethod
    def resolve_resolution_ids(obj: JointMeeting) -> list[int]:
        return list(obj.resolutions.order_by("pk").values_list("pk", flat=True))

    @staticmethod
    def resolve_allowed_actions(obj: JointMeeting, context) -> list[str]:
        return MEETINGS.actions_for(context["request"].user, obj)


class ResolutionOut(Schema):
    id: int
    joint_meeting_id: int
    agenda_item_id: int | None
    text: str
    owner_unit_id: int
    owner_unit_name: str
    state: str
    version: int
    working_days: int
    due_at: datetime
    light: str = Field(description="green, yellow, red, or empty when no clock runs.")
    supervised: bool = Field(description="An overdue notice (督办) went out for the "
                             "current deadline.")
    created_at: datetime

    @staticmethod
    def resolve_joint_meeting_id(obj: Resolution) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_owner_unit_name(obj: Resolution) -> str:
        return obj.owner_unit.name

    @staticmethod
    def resolve_light(obj: Resolution) -> str:
        from linli.party.selectors_meetings import light

        return light(obj)

    @staticmethod
    def resolve_supervised(obj: Resolution) -> bool:
        return obj.supervised_for is not None and obj.supervised_for == obj.due_at


class ResolutionDetailOut(ResolutionOut):
    report: str
    acknowledged_at: datetime | None
    done_at: datetime | None
    closed_at: datetime | None
    allowed_actions: list[str] = Field(description="The moves the caller may take now.")

    @staticmethod
    def resolve_allowed_actions(obj: Resolution, context) -> list[str]:
        return RESOLUTIONS.actions_for(context["request"].user, obj)
