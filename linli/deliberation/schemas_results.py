"""Shapes of the results API (docs/openapi.json): the count and the rule in words, the
published ballots (a receipt names nobody), receipts and objections. Presentation only."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class OptionCountOut(Schema):
    id: int
    label: str
    stance: str
    count: int
    area: Decimal = Field(description="The floor area (m²) of the ballots for it; owners' "
                          "votes only, else 0.")


class ResultRuleOut(Schema):
    quorum: str = Field(description="The share of the electorate that must take part, as "
                        "“>1/2” or “>=2/3”; empty for none.")
    threshold: str
    base: str = Field(description="cast or electorate")
    owners: bool
    participation: str


class ResultLineOut(Schema):
    text: str = Field(description="One measure of the rule: what it needed, what it got.")
    ok: bool


class ResultOut(Schema):
    vote_id: int
    question: str
    state: str
    secret: bool
    electorate: int
    electorate_area: Decimal
    participants: int
    participant_area: Decimal
    options: list[OptionCountOut]
    rule: ResultRuleOut
    lines: list[ResultLineOut]
    quorum_met: bool
    carried: list[int] = Field(description="The deciding options that reached the threshold.")
    passed: bool
    closed_at: datetime | None
    publicity_ends_at: datetime | None
    stood_at: datetime | None
    ended_at: datetime | None
    objections_open: int


class BallotOut(Schema):
    receipt: str
    choices: list[int]
    choice_labels: list[str]
    weight: Decimal
    voter: str | None = Field(None, description="The elector's published label: open "
                              "ballots only, always null for a secret ballot.")


class ReceiptCheckOut(Schema):
    status: str = Field(description="recorded (before the close: the choice is not shown), "
                        "counted (after the close, with the choices), unknown.")
    message: str
    choices: list[str]
    weight: Decimal | None


class ObjectionIn(Schema):
    text: str = Field(max_length=2000, description="The objection, at most 2000 characters.")


class ObjectionAnswerIn(Schema):
    uphold: bool = Field(description="true: the result is void and the topic back on the "
                         "agenda; false: dismissed.")
    answer: str = Field(max_length=2000)


class ObjectionOut(Schema):
    id: int
    vote_id: int
    text: str
    at: datetime
    state: str
    answer: str
    answered_at: datetime | None
    mine: bool = Field(description="Raised by the caller.")
