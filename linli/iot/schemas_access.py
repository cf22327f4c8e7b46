"""The access API's bodies and answers: door counts (numbers only) and welfare watches (the
resident masked: 张*兰, and the dwelling's short name)."""

from datetime import date, datetime

from ninja import Field, Schema

from linli.core.bounds import Id, Int16
from linli.iot import selectors_access as selectors
from linli.iot.models import WelfareWatch


class HourCount(Schema):
    hour: datetime = Field(description="The hour's start, local time.")
    count: int


class DayCount(Schema):
    day: date
    count: int


class DoorCountsOut(Schema):
    """Openings of one door: the last 24 hours by hour (the current hour last) and the last
    7 days by day (today last). Counts only: nothing personal is stored."""

    device_id: int
    name: str
    identifier: str
    hours: list[HourCount]
    days: list[DayCount]


class WatchIn(Schema):
    resident_id: Id = Field(description="A resident with a care plan.")
    device_id: Id = Field(description="A door access device at the resident's dwelling, "
                          "entrance or building.")
    quiet_hours: Int16 = Field(24, description="Hours without an opening before the grid "
                               "worker is asked to check: 1 to 168.")
    consent_reference: str = Field(max_length=200, description="How and when the resident "
                                   "consented, e.g. 书面同意 2026-12-01. Required.")


class WithdrawIn(Schema):
    reason: str = Field(max_length=200, description="Why the watch stops, e.g. the "
                        "resident withdrew their consent. Required.")


class WatchOut(Schema):
    id: int
    resident_id: int
    resident_name: str = Field(description="Masked, e.g. 张*兰.")
    place: str = Field(description="The resident's dwelling, e.g. 花楼小区 1栋 1单元 101.")
    device_id: int
    door: str
    quiet_hours: int
    consent_reference: str
    consent_by: str
    consent_at: datetime
    withdrawn_at: datetime | None
    last_activity_at: datetime | None = Field(description="The door's last opening seen "
                                              "since the watch began.")
    due_at: datetime | None = Field(description="When the quiet becomes a concern; none "
                                    "once withdrawn.")
    check_raised: bool = Field(description="A welfare check was raised for this quiet "
                               "spell.")

    @staticmethod
    def resolve_resident_name(obj: WelfareWatch) -> str:
        return selectors.masked_name(obj)

    @staticmethod
    def resolve_place(obj: WelfareWatch) -> str:
        return selectors.place_of(obj)

    @staticmethod
    def resolve_door(obj: WelfareWatch) -> str:
        return obj.device.name

    @staticmethod
    def resolve_consent_by(obj: WelfareWatch) -> str:
        return str(obj.consent_by)

    @staticmethod
    def resolve_check_raised(obj: WelfareWatch) -> bool:
        return obj.due_at is not None and obj.checked_for == obj.due_at
