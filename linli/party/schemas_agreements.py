"""Shapes of the agreements API (docs/openapi.json): agreements, commitments, deliveries,
fulfilment per unit, property results and supervision items. Who rated is never shown."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id, Int16, Int32

# --- in ----------------------------------------------------------------------------------


class PartyCommitmentIn(Schema):
    what: str = Field(max_length=200)
    for_whom: str = Field("", max_length=100)
    frequency: str = Field(max_length=10, description="monthly, quarterly or yearly.")
    times: Int16 = Field(1, description="Deliveries expected each period (1-31).")


class PartyAgreementIn(Schema):
    community_id: Id
    unit_id: Id = Field(description="An active unit serving the community.")
    title: str = Field(max_length=100)
    signed_on: date
    starts_on: date
    ends_on: date
    commitments: list[PartyCommitmentIn] = Field(min_length=1, max_length=20)


class PartyDeliveryIn(Schema):
    commitment_id: Id
    delivered_on: date = Field(description="Within the term, not in the future.")
    given: str = Field(max_length=200)
    people_served: Int32 = 0


class PartyReasonIn(Schema):
    reason: str = Field(max_length=2000)
    expected_version: Int32 | None = None


class PartyRatingIn(Schema):
    cleanliness: Int16
    order: Int16
    repairs: Int16
    attitude: Int16
    response: Int16
    comment: str = Field("", max_length=500)


# --- out ---------------------------------------------------------------------------------

class PartyTallyOut(Schema):
    expected: int
    fulfilled: int
    delivered: int = Field(description="The deliveries behind the figures.")
    rate: Decimal | None = Field(description="fulfilled / expected; null: nothing due yet.")
    colour: str = Field(description="green (≥ 90 %), amber (≥ 70 %), red, or none.")


class PartyCommitmentOut(Schema):
    id: int
    what: str
    for_whom: str
    frequency: str
    times: int


class PartyDeliveryOut(Schema):
    id: int
    commitment_id: int
    delivered_on: date
    given: str
    people_served: int
    voided_at: datetime | None
    void_reason: str


class PartyAgreementOut(Schema):
    id: int
    community_id: int
    unit_id: int
    unit_name: str
    title: str
    signed_on: date
    starts_on: date
    ends_on: date
    state: str
    version: int


class PartyAgreementDetailOut(PartyAgreementOut):
    commitments: list[PartyCommitmentOut]
    allowed_actions: list[str]
    year: int
    fulfilment: PartyTallyOut


class PartyUnitRateOut(Schema):
    unit_id: int
    unit_name: str
    agreement_ids: list[int]
    fulfilment: PartyTallyOut


class PartyMonthOut(Schema):
    estate_id: int
    estate_name: str
    month: date
    ratings: int
    averages: dict[str, Decimal]
    overall: Decimal
    low: bool


class PartyRatingOut(Schema):
    id: int
    estate_id: int
    unit_id: int
    month: date


class PartySupervisionOut(Schema):
    id: int
    estate_id: int
    estate_name: str
    unit_id: int
    month: date
    score: Decimal
    ratings: int
    state: str
    version: int
    allowed_actions: list[str]
