"""The contacts API's shapes. A household is named by its address label and its head's
name, never a phone or an ID number."""

from datetime import date, datetime

from ninja import Field, Schema

from linli.core.bounds import MAX_ID


class PartyContactOut(Schema):
    id: int
    member_id: int
    member: str
    organisation_id: int
    organisation: str
    household_id: int
    address: str
    head: str
    visit_every_days: int
    since: date
    until: date | None
    last_visited_on: date | None
    visit_due_at: datetime
    light: str


class PartyVisitIn(Schema):
    visited_on: date
    way: str = "home"
    raised: str = Field("", max_length=2000)
    also: str = Field("", description="raise in the same step: case, dispute, wish, "
                      "care_note, or empty")
    text: str = Field("", max_length=2000)
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    dispute_kind: str = ""
    people_involved: int | None = Field(None, ge=1, le=100000)
    wish_category: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class PartyVisitOut(Schema):
    id: int
    contact_id: int
    visited_on: date
    way: str
    raised: str
    case_id: int | None
    dispute_id: int | None
    wish_id: int | None
    care_note_id: int | None


class RateOut(Schema):
    organisation_id: int
    organisation: str
    parent_id: int | None
    depth: int
    counted: int
    visited: int
    percent: float | None
