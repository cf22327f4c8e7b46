"""Shapes of the campaigns API (docs/openapi.json): campaigns, their targets, recurring
schedules and the checklists. Parsing and presentation only: the rules live in
services.campaigns. Text limits repeat the columns' so a client learns them here."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Schema

from linli.core.bounds import Id, Int16
from linli.inspections.models import Campaign, Schedule
from linli.inspections.selectors_campaigns import campaign_phase, campaign_progress

KINDS = ("Kinds of target: shop, restaurant, workshop, estate, building, lift, public, "
         "other. Left out: the checklist's own kinds; empty: every kind.")


class CampaignAreaRef(Schema):
    id: int
    name: str
    kind: str


class CheckItemOut(Schema):
    id: int
    position: int
    text: str
    severity: str = Field(description="minor, general or major.")
    requirement: str


class TemplateOut(Schema):
    id: int
    name: str
    topic: str
    target_kinds: list[str]
    items: list[CheckItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return [item for item in obj.items.all() if item.is_active]


class CampaignIn(Schema):
    name: str = Field(max_length=100)
    template_id: Id = Field(description="An active checklist (GET /templates).")
    area_ids: list[Id] = Field(description="Communities or grids (or places inside them) "
                               "where the caller is a dispatcher or leader; at most 50, "
                               "none inside another.")
    starts_on: date
    ends_on: date = Field(description="Not before starts_on nor today; a year at most.")
    target_kinds: list[str] | None = Field(None, description=KINDS)


class CampaignPatch(Schema):
    name: str | None = Field(None, max_length=100)
    ends_on: date | None = Field(None, description="Later, or earlier but not before today.")


class ProgressOut(Schema):
    targets: int = Field(description="The campaign's targets in the caller's areas.")
    inspected: int
    remaining: int
    hazards: int = Field(description="Rectification orders in the caller's areas.")
    open_orders: int = Field(description="Orders not signed off yet.")


class CampaignOut(Schema):
    id: int
    name: str
    topic: str
    template_id: int
    template_name: str
    area: CampaignAreaRef = Field(description="The area holding all the campaign's areas.")
    areas: list[CampaignAreaRef]
    target_kinds: list[str]
    starts_on: date
    ends_on: date
    phase: str = Field(description="upcoming, running or ended (today).")
    schedule_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_template_name(obj: Campaign) -> str:
        return obj.template.name

    @staticmethod
    def resolve_areas(obj: Campaign) -> list:
        return list(obj.areas.order_by("path"))

    @staticmethod
    def resolve_phase(obj: Campaign) -> str:
        return campaign_phase(obj, timezone.localdate())


class CampaignDetailOut(CampaignOut):
    items: list[CheckItemOut] = Field(description="The checklist as the campaign asks it.")
    progress: ProgressOut

    @staticmethod
    def resolve_items(obj: Campaign) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_progress(obj: Campaign, context) -> dict:
        p = campaign_progress(context["request"].user, obj)
        return {"targets": p.targets, "inspected": p.inspected, "remaining": p.remaining,
                "hazards": p.hazards, "open_orders": p.open_orders}


class CampaignTargetOut(Schema):
    target_id: int
    name: str
    kind: str
    address: str
    area_id: int
    grid_id: int | None
    grid_name: str
    inspected: bool
    inspection_id: int | None


class ScheduleIn(Schema):
    name: str = Field(max_length=100, description="Each campaign is named this and its "
                      "month.")
    template_id: Id
    area_ids: list[Id]
    ordinal: Int16 = Field(1, description="1 to 4: the first to fourth such weekday of the "
                           "month; 5: the last.")
    weekday: Int16 = Field(0, description="0 Monday … 6 Sunday.")
    every_months: Int16 = Field(1, description="1 to 12.")
    duration_days: Int16 = Field(7, description="Each campaign's length, 1 to 90 days.")
    target_kinds: list[str] | None = Field(None, description=KINDS)


class SchedulePatch(Schema):
    name: str | None = Field(None, max_length=100)
    is_active: bool | None = Field(None, description="false pauses it; true resumes it "
                                   "from today.")
    ordinal: Int16 | None = None
    weekday: Int16 | None = None
    every_months: Int16 | None = None
    duration_days: Int16 | None = None


class ScheduleOut(Schema):
    id: int
    name: str
    template_id: int
    template_name: str
    area: CampaignAreaRef
    areas: list[CampaignAreaRef]
    target_kinds: list[str]
    ordinal: int
    weekday: int
    every_months: int
    duration_days: int
    next_on: date = Field(description="The day of its next campaign.")
    is_active: bool

    @staticmethod
    def resolve_template_name(obj: Schedule) -> str:
        return obj.template.name

    @staticmethod
    def resolve_areas(obj: Schedule) -> list:
        return list(obj.areas.order_by("path"))
