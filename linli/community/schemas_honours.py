"""Shapes of the honours API (docs/openapi.json). Parsing and presentation only: the rules
live in services and selectors. Nominators and repliers are shown as the selectors show
them (masked for everyone but staff)."""

from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Schema

from linli.community import selectors_honours
from linli.community.models import MAX_TEXT, Board, HonourEntry
from linli.community.services.honours import may_reply
from linli.community.workflow import ENTRIES
from linli.core.bounds import Id, Int32


class HonourBoardIn(Schema):
    area_id: Id = Field(description="A street, community or estate the caller manages.")
    kind: str = Field(max_length=12, description="good_deeds, red, black, families or "
                      "leaders.")
    title: str = Field(max_length=80)
    period: str = Field("month", max_length=8, description="month, quarter or year.")


class HonourBoardPatchIn(Schema):
    title: str | None = Field(None, max_length=80)
    period: str | None = Field(None, max_length=8)
    is_active: bool | None = None


class HonourEntryIn(Schema):
    subject_kind: str = Field(max_length=12, description="person, household, building, "
                              "unit, service or behaviour (a black board: unit, service, "
                              "behaviour only).")
    subject_name: str = Field("", max_length=80, description="How the entry names its "
                              "subject; for a unit or building its name by default.")
    reason: str = Field(max_length=MAX_TEXT)
    resident_id: Id | None = Field(None, description="person (staff only): a registry "
                                   "resident of the board's place.")
    household_id: Id | None = Field(None, description="household: one of the place.")
    building_id: Id | None = Field(None, description="building: an area of the place.")
    unit_id: Id | None = Field(None, description="unit or service: a unit serving the place.")
    period: date | None = Field(None, description="Any day of the period; the current "
                                "period by default; never in the future.")


class HonourActionIn(Schema):
    note: str = Field("", max_length=2000, description="decline and withdraw: the reason.")
    expected_version: Int32 | None = None


class HonourReplyIn(Schema):
    text: str = Field(max_length=MAX_TEXT)
    on_behalf: str = Field("", max_length=80, description="Staff recording a reply given on "
                           "paper: who gave it (required then).")


class HonourBoardOut(Schema):
    id: int
    area_id: int
    area_name: str
    kind: str
    title: str
    period: str
    is_active: bool
    current_period: date

    @staticmethod
    def resolve_area_name(obj: Board) -> str:
        return obj.area.name

    @staticmethod
    def resolve_current_period(obj: Board) -> date:
        return selectors_honours.current_period(obj)


class HonourPhotoOut(Schema):
    index: int
    url: str
    thumbnail_url: str


class HonourReplyOut(Schema):
    id: int
    at: datetime
    text: str
    by: str = Field(description="Who replied: on whose behalf, the unit, or a masked name.")
    named: bool


class HonourEntryOut(Schema):
    id: int
    board_id: int
    period_start: date
    subject_kind: str
    subject_name: str
    unit_id: int | None
    building_id: int | None
    reason: str
    state: str
    version: int
    nominated_at: datetime
    decided_at: datetime | None
    nominated_by: str = Field(description="Masked for everyone but staff of the place.")
    photos: list[HonourPhotoOut]
    replies: list[HonourReplyOut]
    allowed_actions: list[str]
    may_reply: bool

    @staticmethod
    def resolve_nominated_by(obj: HonourEntry, context) -> str:
        return selectors_honours.nominator_name(context["request"].user, obj)

    @staticmethod
    def resolve_photos(obj: HonourEntry) -> list[dict]:
        return [{"index": i,
                 "url": reverse("community:honours_photo", args=[obj.pk, i]),
                 "thumbnail_url": reverse("community:honours_thumb", args=[obj.pk, i])}
                for i, _p in enumerate(obj.photos.order_by("pk"))]

    @staticmethod
    def resolve_replies(obj: HonourEntry, context) -> list[dict]:
        return selectors_honours.replies_shown(context["request"].user, obj)

    @staticmethod
    def resolve_allowed_actions(obj: HonourEntry, context) -> list[str]:
        return ENTRIES.actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_may_reply(obj: HonourEntry, context) -> bool:
        return may_reply(context["request"].user, obj)
