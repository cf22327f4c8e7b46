"""Shapes of the providers API (docs/openapi.json). Parsing and presentation only: the
rules live in services and selectors. A skilled resident shows only the surname with a
title, skills and description: never a phone, an address or the registry person."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id
from linli.library.models import Contribution, Provider

# --- in ----------------------------------------------------------------------------------


class ProviderIn(Schema):
    name: str = Field(max_length=80)
    kind: str = Field(max_length=12, description="social_org, agency, team, shop or unit.")
    area_id: Id = Field(description="The community, grid or estate they serve (managed by "
                        "the caller).")
    description: str = Field("", max_length=2000)
    service_kinds: list[str] = Field([], max_length=10, description="elderly_care, childcare, "
                                     "housekeeping, repair, health, legal, tutoring, "
                                     "counselling, venue or other.")
    skills: str = Field("", max_length=200, description="Words residents find them by.")
    modes: list[str] = Field([], max_length=5, description="Cooperation modes of a community "
                             "partner: service, points, venue, naming, donation.")
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    unit_id: Id | None = Field(None, description="A handling unit serving the community: its "
                               "members confirm the bookings.")


class SkillsIn(Schema):
    title: str = Field(max_length=6, description="Shown after the surname: 老师, 师傅 …")
    skills: str = Field(max_length=200)
    service_kinds: list[str] = Field([], max_length=10)
    description: str = Field("", max_length=500)
    consent: bool = Field(False, description="Must be true: the resident agrees to be listed "
                          "(surname with title, skills, description; never phone or address).")


class SkilledIn(SkillsIn):
    resident_id: Id = Field(description="A registry resident of the caller's areas.")
    consent: bool = Field(False, description="Must be true: the resident signed the consent "
                          "on paper (recorded with the caller and the time).")


class RelistIn(Schema):
    consent: bool = Field(False, description="A skilled resident: signed the consent again.")


class ContributionIn(Schema):
    mode: str = Field(max_length=10, description="service, points, venue, naming or donation.")
    gives: str = Field(max_length=8, description="hours, venue (hours), goods (items) or money "
                       "(yuan).")
    amount: Decimal = Field(max_digits=12, decimal_places=2, description="More than zero.")
    description: str = Field(max_length=200)
    given_on: date = Field(description="Not in the future.")


class VoidIn(Schema):
    reason: str = Field(max_length=200)


# --- out ---------------------------------------------------------------------------------

class ProviderOut(Schema):
    id: int
    kind: str
    name: str
    area_id: int
    area_name: str
    service_kinds: list[str]
    skills: str
    modes: list[str]
    phone: str = Field(description="Organisations only; empty for a skilled resident.")
    is_active: bool

    @staticmethod
    def resolve_area_name(obj: Provider) -> str:
        return obj.area.name

    @staticmethod
    def resolve_phone(obj: Provider) -> str:
        return "" if obj.is_person else obj.phone


class ContributionOut(Schema):
    id: int
    provider_id: int
    mode: str
    gives: str
    amount: Decimal
    description: str
    given_on: date
    recorded_at: datetime
    voided_at: datetime | None
    void_reason: str

    @staticmethod
    def resolve_amount(obj: Contribution) -> Decimal:
        return obj.amount


class TotalOut(Schema):
    gives: str
    amount: Decimal
    unit: str


class RecordOut(Schema):
    served: int = Field(description="Bookings of its services served.")
    rating: float | None = Field(description="Average rating of the served bookings.")
    ratings: int
    delivered: int = Field(description="Needs matched and delivered.")
    failed: int
    pending: int
    totals: list[TotalOut] = Field(description="Contributions by what was given, voided "
                                   "ones not counted.")


class ProviderDetailOut(ProviderOut):
    description: str
    address: str
    unit_id: int | None
    withdrawn_at: datetime | None
    record: RecordOut

    @staticmethod
    def resolve_address(obj: Provider) -> str:
        return "" if obj.is_person else obj.address

    @staticmethod
    def resolve_unit_id(obj: Provider) -> int | None:
        return obj.unit_id

    @staticmethod
    def resolve_record(obj: Provider) -> dict:
        from linli.library.selectors_providers import provider_record

        record = provider_record(obj, with_contributions=False)
        return {"served": record.served, "rating": record.rating, "ratings": record.ratings,
                "delivered": record.delivered, "failed": record.failed,
                "pending": record.pending,
                "totals": [{"gives": gives, "amount": amount, "unit": unit}
                           for gives, _label, amount, unit in record.totals]}
