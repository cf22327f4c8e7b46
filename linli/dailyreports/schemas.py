"""Shapes of the daily reports API. Parsing and presentation only: what is allowed lives in
services, selectors and permissions."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.dailyreports.models import MAX_NOTES

KINDS = Literal["problem", "conflict", "visit", "nothing"]


class DailyTodayIn(Schema):
    grid_id: Id
    patrol_done: bool
    route_notes: str = Field("", max_length=MAX_NOTES)


class DailyReportIn(DailyTodayIn):
    day: date = Field(description="Only today: a past day is locked, a future day refused.")


class DailyPartyIn(Schema):
    """A registry resident (`resident_id`) or an outsider by name (and contact)."""

    role: Literal["applicant", "respondent", "other"] = "applicant"
    resident_id: Id | None = None
    name: str = Field("", max_length=64)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=18)


class DailyProblemIn(Schema):
    category: str = Field(max_length=16, description="A leaf category code.")
    area_id: Id
    description: str = Field(max_length=2000)
    address: str = Field("", max_length=200)


class DailyConflictIn(Schema):
    kind: str = Field(max_length=12, description="neighbour, property, family, marriage, "
                                                 "debt, labour or other")
    area_id: Id
    summary: str = Field(max_length=2000)
    people_involved: Int32 = 2
    parties: list[DailyPartyIn] = Field(max_length=20)
    violence_threat: bool = False
    petition_risk: bool = False
    address: str = Field("", max_length=200)


class DailyVisitIn(Schema):
    """A visit to a resident of the worker's care plans, or `visit_id`: a visit the worker
    recorded that day already."""

    resident_id: Id | None = None
    kind: Literal["", "home", "phone"] = ""
    findings: str = Field("", max_length=2000)
    follow_up_needed: bool = False
    visit_id: Id | None = None


class DailyItemIn(Schema):
    kind: KINDS
    day: date | None = Field(None, description="Today when left out.")
    grid_id: Id | None = Field(None, description="The grid of the day's report when it is "
                                                 "made by this item; else the worker's "
                                                 "only grid.")
    note: str = Field("", max_length=200)
    problem: DailyProblemIn | None = None
    conflict: DailyConflictIn | None = None
    visit: DailyVisitIn | None = None


class DailyItemOut(Schema):
    id: int
    report_id: int
    kind: str
    note: str
    case_id: int | None
    dispute_id: int | None
    visit_id: int | None
    created_at: datetime


class DailyReportRowOut(Schema):
    id: int
    day: date
    community_id: int
    grid_id: int
    grid_name: str
    worker_id: int
    worker: str
    patrol_done: bool
    updated_at: datetime

    @staticmethod
    def resolve_grid_name(obj) -> str:
        return obj.grid.name

    @staticmethod
    def resolve_worker(obj) -> str:
        return obj.worker.display_name or obj.worker.username


class DailyReportOut(DailyReportRowOut):
    route_notes: str
    created_at: datetime
    items: list[DailyItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class DailyWorkerDayOut(Schema):
    worker_id: int
    worker: str
    report_id: int | None


class DailyGridDayOut(Schema):
    grid_id: int
    grid_name: str
    reported: int
    workers: list[DailyWorkerDayOut]


class DailyOverviewOut(Schema):
    community_id: int
    day: date
    grids: list[DailyGridDayOut]


class DailyMonthRateOut(Schema):
    worker_id: int
    worker: str
    grid_id: int
    grid_name: str
    reported: int
    working: int
    rate: Decimal | None = Field(description="Per cent, one decimal.")


class DailyMonthOut(Schema):
    community_id: int
    first: date
    last: date
    rows: list[DailyMonthRateOut]
