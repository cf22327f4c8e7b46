"""Shapes of the orders API (docs/openapi.json). Parsing and presentation only: every rule
about what is allowed lives in services, selectors and permissions. The target's contact
person never leaves here: an order names its responsible party only."""

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.inspections import selectors
from linli.inspections.models import Order, OrderPhoto
from linli.inspections.workflow import ORDERS

# --- in ----------------------------------------------------------------------------------


class OrderActionIn(Schema):
    note: str = Field("", max_length=2000, description="reject and escalate: the reason "
                      "(required); otherwise optional.")
    expected_version: Int32 | None = Field(None, description="The order version the "
                                           "client read; a newer order answers 409 `stale`.")
    lat: Decimal | None = Field(None, ge=-90, le=90, description="sign_off: the phone's "
                                "position, when it gives one; more than 50 m from the target "
                                "is refused (`too_far`).")
    lng: Decimal | None = Field(None, ge=-180, le=180)
    due_on: date | None = Field(None, description="reject: a new deadline (18:00 that day), "
                                "in the future.")
    competent_unit_id: Id | None = Field(None, description="escalate: a unit serving the "
                                         "target's place, told of the escalation.")


class OrderCaseIn(Schema):
    category_id: Id = Field(description="An active leaf category of cases.")
    note: str = Field("", max_length=2000)


# --- out ---------------------------------------------------------------------------------

class OrderUserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class OrderTargetRef(Schema):
    id: int
    name: str
    kind: str
    address: str


class OrderOut(Schema):
    id: int
    number: str
    target: OrderTargetRef
    campaign_id: int
    inspection_id: int
    community_id: int
    grid_id: int | None
    topic: str
    severity: str
    state: str
    version: int
    hazard: str
    requirement: str
    responsible_party: str
    issued_at: datetime
    due_at: datetime
    rectified_at: datetime | None
    closed_at: datetime | None
    case_id: int | None
    light: str | None = Field(description="green, yellow from 80 % of the time, red past "
                              "the deadline; null when no deadline runs.")

    @staticmethod
    def resolve_light(obj: Order) -> str | None:
        return selectors.order_light(obj, timezone.now())


class OrderPhotoOut(Schema):
    id: int
    phase: str = Field(description="finding, before, after or recheck.")
    url: str
    thumbnail_url: str
    created_at: datetime

    @staticmethod
    def resolve_url(obj: OrderPhoto) -> str:
        return reverse("inspections:photo", args=[obj.pk])

    @staticmethod
    def resolve_thumbnail_url(obj: OrderPhoto) -> str:
        return reverse("inspections:photo_thumb", args=[obj.pk])


class OrderEventOut(Schema):
    id: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: OrderUserRef | None
    note: str
    data: dict


class OrderDetailOut(OrderOut):
    plan_measures: str
    plan_responsibility: str
    plan_funds: str
    plan_contingency: str
    responsible_user_id: int | None
    competent_unit_id: int | None
    issued_by: OrderUserRef
    rectified_by: OrderUserRef | None
    rectification_note: str
    escalated_at: datetime | None
    rechecked_by: OrderUserRef | None
    recheck_distance_m: int | None
    photos: list[OrderPhotoOut]
    events: list[OrderEventOut]
    allowed_actions: list[str] = Field(
        description="Moves the caller may take now, for POST "
                    "/api/inspections/orders/{order_id}/actions/{action}; `rectify` with "
                    "photos goes to /rectification, `raise_case` to /case.")

    @staticmethod
    def resolve_photos(obj: Order) -> list:
        return list(obj.photos.all())

    @staticmethod
    def resolve_events(obj: Order) -> list:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_allowed_actions(obj: Order, context) -> list[str]:
        return ORDERS.actions_for(context["request"].user, obj)
