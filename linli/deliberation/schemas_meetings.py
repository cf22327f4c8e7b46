"""Shapes of the meetings API (docs/openapi.json): bodies, members, meetings, attendance and
minutes. Parsing and presentation only: the rules live in `services.meetings`.

Members hold a public post: their names are given in full, nothing else about them. The
check-in code is given to staff of the place only; a residents' meeting's attendance names
are masked to everyone else.
"""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Schema

from linli.core.bounds import Id
from linli.deliberation.models import Body, Meeting, Member
from linli.deliberation.permissions import is_staff
from linli.deliberation.selectors_meetings import attendance_rows
from linli.deliberation.services.meetings import check_in_open, meeting_quorate

# --- in ----------------------------------------------------------------------------------


class BodyIn(Schema):
    area_id: Id = Field(description="The body's place: a community, estate or building the "
                        "caller organises.")
    name: str = Field(max_length=80)
    kind: str = Field(description="council, representatives, owners_assembly, "
                      "owners_committee or courtyard.", max_length=20)
    term_start: date
    term_end: date = Field(description="After `term_start`.")
    quorum: str = Field(">1/2", max_length=16, description="Members present needed: "
                        "\">1/2\" more than half, \">=2/3\" two thirds or more.")
    is_active: bool = True


class BodyPatchIn(Schema):
    name: str | None = Field(None, max_length=80)
    kind: str | None = Field(None, max_length=20)
    term_start: date | None = None
    term_end: date | None = None
    quorum: str | None = Field(None, max_length=16)
    is_active: bool | None = None


class MemberIn(Schema):
    resident_id: Id | None = Field(None, description="A registry resident of the body's "
                                   "place (one the caller may see in the registry).")
    user_id: Id | None = Field(None, description="Or an account with a role at, under or "
                               "above the body's place (a unit's representative).")
    name: str = Field("", max_length=64, description="An account member's name as shown.")
    post: str = Field("", max_length=32, description="召集人, 成员 …")
    joined_on: date | None = Field(None, description="Today when left out.")


class LeaveIn(Schema):
    left_on: date | None = Field(None, description="Today when left out.")


class MeetingIn(Schema):
    area_id: Id | None = Field(None, description="The place; the body's when left out.")
    body_id: Id | None = Field(None, description="The body whose members meet; none for a "
                               "residents' meeting.")
    title: str = Field(max_length=80)
    starts_at: datetime
    place: str = Field(max_length=120, description="The venue.")
    attendees: str = Field("", max_length=12, description="members (a body's meeting), "
                           "adults or households (a residents' meeting).")
    topic_ids: list[Id] = Field([], max_length=20, description="The agenda, in order: "
                                "topics on the agenda or being voted on.")
    invite: bool = Field(False, description="Send the invitations at once.")


class CheckInIn(Schema):
    code: str = Field(max_length=8, description="The meeting's 4-digit code.")


class AttendanceIn(Schema):
    member_id: Id | None = Field(None, description="A body's meeting: the member present.")
    resident_id: Id | None = Field(None, description="A residents' meeting: the resident.")


class AgendaDecisionIn(Schema):
    item_id: Id
    decision: str = Field(max_length=4000)


class MinutesIn(Schema):
    minutes: str = Field(max_length=20000)
    decisions: list[AgendaDecisionIn] = Field([], max_length=20)


class MeetingCancelIn(Schema):
    reason: str = Field(max_length=500)


# --- out ---------------------------------------------------------------------------------

class BodyOut(Schema):
    id: int
    area_id: int
    area_name: str
    name: str
    kind: str
    term_start: date
    term_end: date
    quorum: str
    is_active: bool

    @staticmethod
    def resolve_area_name(obj: Body) -> str:
        return obj.area.name


class MemberOut(Schema):
    id: int
    name: str = Field(description="In full: a member holds a public post.")
    post: str
    joined_on: date
    left_on: date | None
    is_current: bool

    @staticmethod
    def resolve_is_current(obj: Member) -> bool:
        return obj.left_on is None or obj.left_on > timezone.localdate()


class InvitedOut(Schema):
    invited: int = Field(description="How many were invited now (never anyone twice).")


class QuorumOut(Schema):
    present: int
    expected: int
    share: str
    met: bool


class AgendaItemOut(Schema):
    id: int
    topic_id: int
    title: str
    position: int
    decision: str


class AttendanceOut(Schema):
    id: int
    name: str = Field(description="Masked in a residents' meeting but to staff.")
    via: str
    at: datetime


class MeetingOut(Schema):
    id: int
    area_id: int
    area_name: str
    body_id: int | None
    title: str
    starts_at: datetime
    place: str
    state: str
    attendees: str
    expected: int
    minutes_at: datetime | None

    @staticmethod
    def resolve_area_name(obj: Meeting) -> str:
        return obj.area.name


class MeetingDetailOut(MeetingOut):
    minutes: str
    agenda: list[AgendaItemOut]
    quorum: QuorumOut
    attendance: list[AttendanceOut]
    check_in_code: str | None = Field(description="Staff of the place only.")
    check_in_open: bool

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[dict]:
        return [{"id": i.pk, "topic_id": i.topic_id, "title": i.topic.title,
                 "position": i.position, "decision": i.decision}
                for i in obj.agenda.select_related("topic")]

    @staticmethod
    def resolve_quorum(obj: Meeting) -> dict:
        q = meeting_quorate(obj)
        return {"present": q.present, "expected": q.expected, "share": str(q.share),
                "met": q.met}

    @staticmethod
    def resolve_attendance(obj: Meeting, context) -> list[dict]:
        staff = is_staff(context["request"].user, obj.area)
        return attendance_rows(obj, full_names=staff)

    @staticmethod
    def resolve_check_in_code(obj: Meeting, context) -> str | None:
        return obj.check_in_code if is_staff(context["request"].user,
                                                         obj.area) else None

    @staticmethod
    def resolve_check_in_open(obj: Meeting) -> bool:
        return check_in_open(obj, timezone.now())
