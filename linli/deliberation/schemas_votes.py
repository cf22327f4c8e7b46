"""Shapes of the votes API (docs/openapi.json). Parsing and presentation only: the rules
live in services.votes, services.ballots and selectors_votes. A secret ballot is never
shown with its voter; no choice is shown before the close."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id, Int16, Int32

# --- in ----------------------------------------------------------------------------------


class VoteFieldsIn(Schema):
    question: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000, description="The explanation.")
    topic_id: Id | None = Field(None, description="A visible topic on the agenda.")
    meeting_id: Id | None = Field(None, description="A meeting of the same place.")
    electorate: str | None = Field(None, description="adults, households, members or "
                                   "owners.")
    body_id: Id | None = Field(None, description="members: an active body in scope.")
    matter: str | None = Field(None, description="owners: ordinary or major.")
    kind: str | None = Field(None, description="yes_no (同意/反对/弃权, made for you) or "
                             "choices.")
    choices: list[str] | None = Field(None, max_length=20, description="choices: 2–20 "
                                      "unique labels.")
    max_choices: Int16 | None = Field(None, description="choices: 1 to the number of "
                                      "choices.")
    quorum: str | None = Field(None, max_length=16, description="Blank, or a share of the "
                               "electorate that must take part (\">1/2\", \">=2/3\").")
    threshold: str | None = Field(None, description="majority_cast, two_thirds_cast, "
                                  "two_thirds_electorate, custom, owners (owners only).")
    custom_share: str | None = Field(None, max_length=16)
    custom_base: str | None = Field(None, description="cast or electorate.")
    secret: bool | None = None
    changeable: bool | None = None
    closes_at: datetime | None = Field(None, description="In the future, at most 90 days "
                                       "ahead.")
    publicity_days: Int16 | None = Field(None, description="0–30 working days; default "
                                         "the community's.")
    convention_version_id: Id | None = Field(None, description="A convention version to "
                                             "adopt: in scope, not adopted, the latest.")


class VoteCreateIn(VoteFieldsIn):
    area_id: Id = Field(description="The place: a street, community, grid, estate or "
                        "building you organise.")
    question: str = Field(max_length=200)
    electorate: str
    closes_at: datetime


class VotePatchIn(VoteFieldsIn):
    area_id: Id | None = None
    expected_version: Int32 | None = Field(None, description="The version the client "
                                           "read; a newer draft answers 409 `stale`.")


class VoteActionIn(Schema):
    note: str = Field("", max_length=2000, description="cancel: the reason (required).")
    expected_version: Int32 | None = None


class BallotIn(Schema):
    choices: list[Id] = Field(max_length=20, description="Option ids.")


class BallotChangeIn(BallotIn):
    receipt: str = Field("", max_length=16, description="A secret ballot: its receipt.")


class PaperBallotIn(BallotIn):
    channel: str = Field("paper", description="paper (at a meeting) or door.")


# --- out ---------------------------------------------------------------------------------

class OptionOut(Schema):
    id: int
    label: str
    stance: str


class VoteOut(Schema):
    id: int
    area_id: int
    area_name: str
    question: str
    state: str
    version: int
    electorate: str
    multiple: bool
    max_choices: int
    secret: bool
    changeable: bool
    topic_id: int | None
    closes_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_area_name(obj) -> str:
        if isinstance(obj, dict):
            return obj["area_name"]
        return obj.area.name


class MineOut(Schema):
    in_electorate: bool
    voted: bool
    channel: str = Field(description="online, paper or door; blank until voted.")
    at: datetime | None


class VoteDetailOut(VoteOut):
    description: str
    meeting_id: int | None
    body_id: int | None
    convention_version_id: int | None
    matter: str
    quorum: str
    threshold: str
    custom_share: str
    custom_base: str
    publicity_days: int
    electorate_count: int
    electorate_area: Decimal
    turnout: int | None = Field(description="Participants so far (never choices); null "
                                "for a draft.")
    options: list[OptionOut]
    rule_words: list[str]
    allowed_actions: list[str]
    me: MineOut


class RefusalOut(Schema):
    code: str
    message: str


class PreviewOut(Schema):
    count: int
    floor_area: Decimal
    refusal: RefusalOut | None = Field(description="Why the vote cannot open, if it "
                                       "cannot.")
    rule_words: list[str]


class BallotReceiptOut(Schema):
    receipt: str
    message: str


class ElectorOut(Schema):
    id: int
    label: str
    voted: bool
    channel: str
    at: datetime | None


class ParticipantOut(Schema):
    label: str
    channel: str
    at: datetime
