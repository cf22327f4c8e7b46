"""Shapes of the needs API (docs/openapi.json). A resident's name is shown only to staff
serving the need's place; anyone else sees it masked."""

from datetime import datetime

from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.core.crypto import mask_name
from linli.library import permissions
from linli.library.models import Need
from linli.library.workflow import NEEDS

# --- in ----------------------------------------------------------------------------------


class NeedIn(Schema):
    text: str = Field(max_length=2000, description="What is needed, in the resident's words.")
    resident_id: Id | None = Field(None, description="Whose need: the caller or a member of "
                                   "their household; staff: anyone living where they serve.")
    area_id: Id | None = Field(None, description="Staff: a place's need (no resident).")
    kind: str = Field("", max_length=16, description="The kind of service; suggested from "
                      "the words when empty.")


class NeedActionIn(Schema):
    note: str = Field("", max_length=2000, description="close: the reason (required).")
    urgency: str = Field("", max_length=10, description="classify: urgent, hard, worrying "
                         "or hoped.")
    kind: str = Field("", max_length=16, description="classify: the kind of service.")
    provider_id: Id | None = Field(None, description="match: a listed provider of the "
                                   "need's community.")
    expected_version: Int32 | None = None


class NeedHandOverIn(Schema):
    to: str = Field(max_length=8, description="case, task, topic or booking.")
    note: str = Field("", max_length=500)
    category_id: Id | None = Field(None, description="case: a leaf of the case tree.")
    title: str = Field("", max_length=80, description="task, topic: the title.")
    starts_at: datetime | None = Field(None, description="task; booking of a room.")
    ends_at: datetime | None = None
    volunteers_needed: Int32 = Field(1, ge=1, le=100)
    points_offered: Int32 = Field(0, ge=0, le=10000)
    topic_category: str = Field("", max_length=16, description="topic: its category.")
    slot_id: Id | None = Field(None, description="booking: a slot with a free place.")
    room_id: Id | None = Field(None, description="booking: a venue's room (with "
                               "starts_at, ends_at).")


# --- out ---------------------------------------------------------------------------------

class NeedOut(Schema):
    id: int
    text: str
    kind: str
    urgency: str
    urgency_suggested: str
    source: str
    state: str
    version: int
    area_id: int
    area_name: str
    name: str = Field(description="The resident's name, masked for anyone but staff "
                      "serving the place; empty for a place's need.")
    provider_id: int | None
    outcome: str
    created_at: datetime

    @staticmethod
    def resolve_area_name(obj: Need) -> str:
        return obj.area.name

    @staticmethod
    def resolve_name(obj: Need, context) -> str:
        if obj.resident is None:
            return ""
        if permissions.serves(context["request"].user, obj.area):
            return obj.resident.name
        return mask_name(obj.resident.name)


class NeedDetailOut(NeedOut):
    case_id: int | None
    task_id: int | None
    topic_id: int | None
    booking_id: int | None
    classified_at: datetime | None
    handed_at: datetime | None
    ended_at: datetime | None
    actions: list[str] = Field(description="The moves the caller may take now.")

    @staticmethod
    def resolve_actions(obj: Need, context) -> list[str]:
        return NEEDS.actions_for(context["request"].user, obj)


class SuggestionOut(Schema):
    provider_id: int
    provider_name: str
    score: float
    reasons: list[str]
    rating: float | None
    ratings: int
    delivered: int
    failed: int
