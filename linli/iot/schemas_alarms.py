"""Shapes of the alarms API (docs/openapi.json). Parsing and presentation only: who may do
what lives in permissions.py and the workflow (workflow.ALARMS). A help press names its
resident masked, never in clear."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from linli.core.bounds import Int32
from linli.iot import selectors_alarms as selectors
from linli.iot.models import Alarm
from linli.iot.workflow import ALARMS

# --- in ----------------------------------------------------------------------------------


class AlarmActIn(Schema):
    action: Literal["acknowledge", "clear"] = Field(
        description="acknowledge (active → acknowledged: someone is dealing with it), or "
                    "clear (active or acknowledged → cleared, by hand: say why in `note`).")
    note: str = Field("", max_length=2000, description="clear: what was found and done "
                      "(required); acknowledge: optional.")
    expected_version: Int32 | None = Field(
        None, description="The alarm version the client read; a newer alarm answers 409 "
                          "`stale` (someone else acted first).")


# --- out ---------------------------------------------------------------------------------

class AlarmUserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class AlarmDeviceRef(Schema):
    id: int
    identifier: str
    name: str
    kind: str
    area_id: int
    address: str
    owner_unit_id: int | None


class AlarmOut(Schema):
    id: int
    device: AlarmDeviceRef
    alarm_type: str
    name: str = Field(description="The rule's name (井盖倾斜位移, 一键呼叫 ...).")
    community_id: int
    state: str = Field(description="active, acknowledged or cleared.")
    version: int
    is_emergency: bool = Field(description="A help-button press: listed first while open.")
    value: Decimal | None = Field(description="The reading or the value the alarm came with.")
    place: str = Field(description="The device's address, else its place's name.")
    opened_at: datetime
    last_at: datetime = Field(description="The latest message of this alarm (a repeat).")
    repeats: int
    acknowledged_at: datetime | None
    cleared_at: datetime | None
    respond_due_at: datetime | None = Field(
        description="Acknowledge by (the rule's minutes after it was raised); null when the "
                    "rule sets none.")
    light: Literal["green", "yellow", "red"] | None = Field(
        description="The acknowledge clock: green, yellow past 80 %, red overdue; null once "
                    "acknowledged or cleared, or when no clock runs.")
    case_id: int | None = Field(description="The case the alarm opened or joined.")
    attached: bool = Field(description="True: it joined the case of another of the "
                           "device's alarms.")

    @staticmethod
    def resolve_name(obj: Alarm) -> str:
        return obj.rule.name_zh

    @staticmethod
    def resolve_place(obj: Alarm) -> str:
        return obj.device.address or obj.device.area.name

    @staticmethod
    def resolve_light(obj: Alarm) -> str | None:
        return selectors.light(obj)


class AlarmEventOut(Schema):
    id: int
    at: datetime
    action: str = Field(description="raise, repeat, case, acknowledge, clear, recover "
                        "(cleared by the device) or overdue.")
    from_state: str
    to_state: str
    actor: AlarmUserRef | None = Field(description="null: the device or the system.")
    note: str
    data: dict


class AlarmHelpOut(Schema):
    who: str = Field(description="The resident, masked (王*国).")
    place: str = Field(description="Where to go.")
    text: str = Field(description="What the case tells the grid worker.")


class AlarmDetailOut(AlarmOut):
    rule_id: int
    detail: dict = Field(description="What the device's message said (note, code).")
    device_at: datetime | None
    help: AlarmHelpOut | None = Field(description="A help press: who and where; else null.")
    events: list[AlarmEventOut] = Field(description="The timeline, oldest first.")
    allowed_actions: list[str] = Field(
        description="Moves the caller may take now (the buttons to show), for "
                    "POST /api/iot/alarms/{alarm_id}/act.")

    @staticmethod
    def resolve_help(obj: Alarm):
        return selectors.help_details(obj)

    @staticmethod
    def resolve_events(obj: Alarm) -> list:
        return list(selectors.event_list(alarm=obj))

    @staticmethod
    def resolve_allowed_actions(obj: Alarm, context) -> list[str]:
        return ALARMS.actions_for(context["request"].user, obj)
