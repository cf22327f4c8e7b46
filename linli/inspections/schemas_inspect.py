"""Shapes of the on-site inspection API (docs/openapi.json). Parsing and presentation only:
the rules live in services/inspect.py. The owner's acknowledgement leaves only masked
(`王*国`). Text limits repeat the service's so a client learns them from the document."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id
from linli.inspections.models import MAX_NOTE, Answer, Inspection, Order
from linli.inspections.services.inspect import MAX_NAME, MAX_PLAN

# --- in ----------------------------------------------------------------------------------


class AnswerIn(Schema):
    item_id: Id = Field(description="A check item of the campaign (`CampaignItem`).")
    result: str = Field(max_length=4, description="pass, fail or na (not applicable).")
    note: str = Field("", max_length=MAX_NOTE, description="What was found. Required for a "
                      "failed item: photos are not taken by this endpoint.")
    deadline: date | None = Field(None, description="A failed item's deadline, after today; "
                                  "else by severity on the working calendar.")
    measures: str = Field("", max_length=MAX_PLAN, description="A failed major item: the "
                          "measures (the five fixes; the deadline is the time limit).")
    responsibility: str = Field("", max_length=MAX_PLAN,
                                description="A failed major item: who is responsible.")
    funds: str = Field("", max_length=MAX_PLAN, description="A failed major item: the funds.")
    contingency: str = Field("", max_length=MAX_PLAN,
                             description="A failed major item: the contingency plan.")


class InspectionIn(Schema):
    answers: list[AnswerIn] = Field(description="Every item of the campaign, once.")
    acknowledged_name: str = Field("", max_length=MAX_NAME, description="The owner's or "
                                   "operator's name, typed by them; required when an item "
                                   "failed. Stored encrypted, shown masked.")
    responsible_party: str = Field("", max_length=100, description="Who rectifies; empty: "
                                   "the target's operator.")
    note: str = Field("", max_length=1000)
    lat: Decimal | None = Field(None, ge=-90, le=90, description="The phone's position.")
    lng: Decimal | None = Field(None, ge=-180, le=180)


# --- out ---------------------------------------------------------------------------------

class OrderRef(Schema):
    id: int
    number: str
    state: str
    severity: str
    due_at: datetime


class AnswerOut(Schema):
    item_id: int
    position: int
    text: str
    severity: str
    result: str
    note: str
    order: OrderRef | None = Field(None, description="The rectification order a failed item "
                                   "became.")

    @staticmethod
    def resolve_position(obj: Answer) -> int:
        return obj.item.position

    @staticmethod
    def resolve_text(obj: Answer) -> str:
        return obj.item.text

    @staticmethod
    def resolve_severity(obj: Answer) -> str:
        return obj.item.severity

    @staticmethod
    def resolve_order(obj: Answer) -> Order | None:
        return getattr(obj, "order", None)


class InspectionOut(Schema):
    id: int
    campaign_id: int
    target_id: int
    target_name: str
    grid_id: int | None
    inspector_id: int
    inspected_at: datetime
    failed_count: int
    acknowledged_name: str = Field(description="Masked, e.g. 王*国; empty if none.")

    @staticmethod
    def resolve_target_name(obj: Inspection) -> str:
        return obj.target.name

    @staticmethod
    def resolve_acknowledged_name(obj: Inspection) -> str:
        return obj.acknowledged_name.masked if obj.acknowledged_name else ""


class InspectionDetailOut(InspectionOut):
    note: str
    lat: Decimal | None
    lng: Decimal | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Inspection) -> list[Answer]:
        return list(obj.answers.select_related("item", "order"))
