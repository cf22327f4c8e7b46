"""Shapes of the cases API (docs/openapi.json). Parsing and presentation only: every rule
about what is allowed lives in services, selectors and permissions."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from linli.cases.transitions import CLOCKS
from linli.cases.workflow import CASES
from linli.core.bounds import Id, Int32


class UnitRef(Schema):
    id: int
    name: str


class CaseIn(Schema):
    category: str = Field(max_length=16, description="A leaf category code, e.g. 01001.")
    area_id: Id
    description: str
    title: str = ""
    address: str = Field("", max_length=200)
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)
    is_public: bool = True
    priority: str = ""
    # Only dispatchers entering a phone call set it; everyone else leaves it out.
    channel: Literal["", "hotline"] = ""


class CaseOut(Schema):
    id: int
    state: str
    version: int
    category: str
    category_name: str
    title: str
    description: str
    area_id: int
    area_name: str
    address: str
    priority: str
    triage: str
    channel: str
    unit: UnitRef | None
    suggested_unit: UnitRef | None
    reported_at: datetime
    accept_due_at: datetime | None
    handle_due_at: datetime | None
    light: Literal["green", "yellow", "red"] | None
    rating: str
    is_public: bool
    allowed_actions: list[str] = Field(
        description="Actions the caller may take now (buttons to show).")

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_area_name(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_light(obj) -> str | None:
        return CLOCKS.light(obj, timezone.now())

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        actor = context["request"].user
        return CASES.actions_for(actor, obj)


class DuplicateOut(Schema):
    """A possible duplicate: enough to recognise the problem, nothing about its reporter."""

    id: int
    state: str
    title: str
    category: str
    category_name: str
    reported_at: datetime

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.category.name


class ActionIn(Schema):
    note: str = ""
    version: Int32 | None = Field(None, description="The case version the form was loaded "
                                "with; a newer case answers 409 `stale`.")
    unit_id: Id | None = None
    triage: str = ""
    priority: str = ""
    rating: str = ""
    comment: str = ""
    master_id: Id | None = None
    respond_by: datetime | None = Field(None, description="notice: when the unit must answer "
                                        "(at least 30 minutes, at most 30 days ahead).")


class PhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("cases:photo", args=[obj.pk])

    @staticmethod
    def resolve_thumbnail_url(obj) -> str:
        return reverse("cases:photo_thumbnail", args=[obj.pk])


class EventOut(Schema):
    id: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    note: str
    data: dict
    is_public: bool
    photos: list[PhotoOut]

    @staticmethod
    def resolve_actor_name(obj) -> str:
        # `selectors.timeline_for` sets what the caller may read; another resident's name
        # is never among it.
        return getattr(obj, "actor_shown", "")

    @staticmethod
    def resolve_photos(obj) -> list:
        return list(obj.photos.all())


class ExtensionIn(Schema):
    amount: Decimal = Field(description="Extra time, in the case's limit unit.")
    reason: str = Field(max_length=500)


class ExtensionOut(Schema):
    id: int
    case_id: int
    amount: Decimal
    limit_unit: str
    reason: str
    decision: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


class CategoryOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    is_leaf: bool
    triage: str
    priority: str
    accept_limit: Decimal | None
    handle_limit: Decimal | None
    limit_unit: str
    is_public: bool
    children: list["CategoryOut"]


class SuggestedUnitsOut(Schema):
    suggested: UnitRef | None
    units: list[UnitRef] = Field(description="Active units serving the case's place.")


class SupportOut(Schema):
    case_id: int
    supporters: int = Field(description="How many residents said \"me too\", the caller too.")
    supported: bool = Field(description="Whether the caller is counted (always true here).")
