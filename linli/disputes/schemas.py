"""Shapes of the disputes API (docs/openapi.json). Parsing and presentation only: every rule
about what is allowed lives in services, selectors and permissions.

Parties leave only masked (`张*兰`, `139****0001`): the one clear answer is a reveal's, which
has its own schema and is audited by `services.party_reveal`. Text limits repeat the
columns' so a client learns them from the document; the services check them again.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.core.crypto import mask_name
from linli.disputes import selectors
from linli.disputes.models import Dispute, Party
from linli.disputes.similar import Similar
from linli.disputes.transitions import CLOCKS
from linli.disputes.workflow import DISPUTES

KINDS = "neighbour, property, family, marriage, debt, labour or other"
SOURCES = "daily_report, case, resident, hotline or walk_in"


# --- in ----------------------------------------------------------------------------------

class PartyIn(Schema):
    """A registry resident of the caller's areas (`resident_id`) or an outsider (`name`,
    with `phone` and `id_number` if known), kept encrypted."""

    role: str = Field("applicant", max_length=12,
                      description="applicant, respondent or other.")
    resident_id: Id | None = None
    name: str = Field("", max_length=64)
    phone: str = Field("", max_length=32)
    id_number: str = Field("", max_length=32)


class DisputeIn(Schema):
    area_id: Id = Field(description="The place: an area of the caller's, inside a community.")
    kind: str = Field(max_length=12, description=KINDS)
    summary: str = Field(max_length=2000)
    people_involved: Int32 = 2
    source: str = Field(max_length=16, description=SOURCES)
    parties: list[PartyIn] = Field(description="At least one, at most 20.")
    violence_threat: bool = False
    petition_risk: bool = False
    address: str = Field("", max_length=200)
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)


class FromCaseIn(Schema):
    """A case becomes a dispute: its place, address and description carry over."""

    kind: str = Field(max_length=12, description=KINDS)
    parties: list[PartyIn] = Field(description="At least one, at most 20.")
    people_involved: Int32 = 2
    summary: str = Field("", max_length=2000, description="Empty: the case's description.")
    violence_threat: bool = False
    petition_risk: bool = False


class DisputeActionIn(Schema):
    note: str = Field("", max_length=2000)
    version: Int32 | None = Field(None, description="The dispute version the form was "
                                  "loaded with; a newer dispute answers 409 `stale`.")
    owner_id: Id | None = Field(None, description="accept (yellow and red), reassign: the "
                                "staff member who owns the dispute from now on.")
    referral_to: str = Field("", max_length=12,
                             description="refer: court, arbitration or department.")
    referral_name: str = Field("", max_length=100, description="refer: the body's name.")


class RegradeIn(Schema):
    grade: str = Field(max_length=8, description="green, yellow or red.")
    note: str = Field(max_length=2000, description="Why the rules' grade is overridden.")
    version: Int32 | None = None


class SessionIn(Schema):
    held_on: date
    mediator_id: Id
    attendees: str = Field(max_length=500)
    record: str = Field(max_length=5000)


class AgreementIn(Schema):
    """调解协议书: the matters 人民调解法 art. 29 requires (the parties are the dispute's)."""

    facts: str = Field(max_length=5000, description="The facts and disputed matters.")
    responsibilities: str = Field(max_length=3000)
    terms: str = Field(max_length=5000, description="The agreed terms.")
    performance_manner: str = Field(max_length=500)
    performance_deadline: date
    signed_on: date
    judicial_wanted: bool = Field(False, description="The parties will apply for 司法确认 "
                                  "(within 30 days of signing).")


class PerformanceIn(Schema):
    performed: bool
    note: str = Field("", max_length=2000, description="Required when not performed.")


class JudicialIn(Schema):
    applied_on: date


class PartyRevealIn(Schema):
    purpose: str = Field("", max_length=200, description="Why you need the party's identity: "
                         "recorded in the access log with your name.")


# --- out ---------------------------------------------------------------------------------

class DisputeUserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class JointUnitOut(Schema):
    """A police station or judicial office told of a red dispute (三所联动)."""

    id: int
    name: str
    kind: str


class PartyOut(Schema):
    id: int
    role: str
    resident_id: int | None
    name: str = Field(description="Masked, e.g. 王*伟.")
    phone: str = Field(description="Masked, e.g. 139****0001; empty if not known.")
    id_number: str = Field(description="Masked, e.g. 4201**********1234; empty if not known.")

    @staticmethod
    def resolve_name(obj: Party) -> str:
        return mask_name(obj.resident.name) if obj.resident else obj.name.masked

    @staticmethod
    def resolve_phone(obj: Party) -> str:
        return (obj.resident.phone if obj.resident else obj.phone).masked

    @staticmethod
    def resolve_id_number(obj: Party) -> str:
        return (obj.resident.id_number if obj.resident else obj.id_number).masked


class PartyRevealOut(Schema):
    """A party's identity in clear: the answer of an audited reveal, never stored."""

    name: str
    phone: str
    id_number: str


class SessionOut(Schema):
    id: int
    held_on: date
    mediator: DisputeUserRef
    attendees: str
    record: str
    created_at: datetime


class ReferralOut(Schema):
    id: int
    to: str
    to_name: str
    note: str
    referred_by: DisputeUserRef
    referred_at: datetime


class AgreementOut(Schema):
    id: int
    dispute_id: int
    facts: str
    responsibilities: str
    terms: str
    performance_manner: str
    performance_deadline: date
    signed_on: date
    mediator: DisputeUserRef
    created_at: datetime
    performance_due_at: datetime | None
    performance_checked_at: datetime | None
    performed: bool | None
    performance_note: str
    judicial_wanted: bool
    judicial_applied_on: date | None
    judicial_window_ends: date | None


class DisputeOut(Schema):
    """A dispute as the list shows it: no parties."""

    id: int
    number: str = Field(description="JF<registered day>-<id>, e.g. JF20261206-00042.")
    state: str
    version: int
    kind: str
    grade: str
    summary: str
    people_involved: int
    source: str
    community_id: int
    grid_id: int | None
    area_id: int
    area_name: str
    address: str
    case_id: int | None
    owner: DisputeUserRef | None
    registered_at: datetime
    due: datetime | None = Field(description="The deadline of the clock running now: "
                                 "mediation while open, the follow-up once ended.")
    light: Literal["green", "yellow", "red"] | None = Field(
        description="green, yellow (past 80 % of the limit) or red (overdue); null when "
                    "no clock runs.")
    escalation_level: int
    resolved: bool | None

    @staticmethod
    def resolve_area_name(obj: Dispute) -> str:
        return obj.area.name

    @staticmethod
    def resolve_due(obj: Dispute) -> datetime | None:
        return CLOCKS.running_due(obj)

    @staticmethod
    def resolve_light(obj: Dispute) -> str | None:
        return CLOCKS.light(obj, timezone.now())


class DisputeDetailOut(DisputeOut):
    registered_by: DisputeUserRef
    computed_grade: str = Field(description="The grade the rules gave.")
    grade_overridden: bool
    grade_reasons: list[str] = Field(description="Codes of the grading rules that held, "
                                     "e.g. people_at_least_5, repeat_within_90.")
    violence_threat: bool
    petition_risk: bool
    lat: Decimal | None
    lng: Decimal | None
    accepted_at: datetime | None
    mediating_at: datetime | None
    ended_at: datetime | None
    referred_at: datetime | None
    closed_at: datetime | None
    mediate_due_at: datetime | None
    followup_due_at: datetime | None
    followed_up_at: datetime | None
    followup_note: str
    parties: list[PartyOut]
    joint_units: list[JointUnitOut] = Field(description="Red: the police stations and "
                                            "judicial offices handling it jointly.")
    sessions: list[SessionOut]
    referrals: list[ReferralOut]
    agreement: AgreementOut | None
    allowed_actions: list[str] = Field(
        description="Moves the caller may take now (buttons to show), for "
                    "POST /api/disputes/{dispute_id}/actions/{action}; `regrade` has its "
                    "own endpoint, POST /api/disputes/{dispute_id}/regrade.")

    @staticmethod
    def resolve_parties(obj: Dispute) -> list:
        return list(selectors.party_list(dispute=obj))

    @staticmethod
    def resolve_joint_units(obj: Dispute) -> list:
        return list(obj.joint_units.order_by("name", "id"))

    @staticmethod
    def resolve_sessions(obj: Dispute) -> list:
        return list(obj.sessions.select_related("mediator").order_by("held_on", "id"))

    @staticmethod
    def resolve_referrals(obj: Dispute) -> list:
        return list(obj.referrals.select_related("referred_by").order_by("referred_at", "id"))

    @staticmethod
    def resolve_agreement(obj: Dispute):
        return getattr(obj, "agreement", None)

    @staticmethod
    def resolve_allowed_actions(obj: Dispute, context) -> list[str]:
        return DISPUTES.actions_for(context["request"].user, obj)


class SimilarOut(Schema):
    """An earlier dispute like this one (类案参考), why, and how it ended."""

    id: int
    number: str
    kind: str
    grade: str
    state: str
    registered_at: datetime
    why: list[str] = Field(description="same_parties, same_type_place, similar_words.")
    words: float = Field(description="How much the summaries share, 0 to 1.")
    has_agreement: bool
    days: float | None = Field(description="Working days from registration to the end; "
                               "null while open.")

    @staticmethod
    def resolve_id(obj: Similar) -> int:
        return obj.dispute.pk

    @staticmethod
    def resolve_number(obj: Similar) -> str:
        return obj.dispute.number

    @staticmethod
    def resolve_kind(obj: Similar) -> str:
        return obj.dispute.kind

    @staticmethod
    def resolve_grade(obj: Similar) -> str:
        return obj.dispute.grade

    @staticmethod
    def resolve_state(obj: Similar) -> str:
        return obj.dispute.state

    @staticmethod
    def resolve_registered_at(obj: Similar) -> datetime:
        return obj.dispute.registered_at

    @staticmethod
    def resolve_why(obj: Similar) -> list[str]:
        return list(obj.why)

    @staticmethod
    def resolve_days(obj: Similar) -> float | None:
        return None if obj.days is None else float(obj.days)


class DisputeEventOut(Schema):
    id: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: DisputeUserRef | None
    note: str
    data: dict
