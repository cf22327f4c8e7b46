"""The devices API's bodies and answers.

A help button's resident leaves only masked (`张*兰`); the device's secret leaves once, in
the answer of POST /devices/{id}/secret, and never its hash. Text limits repeat the
columns' so a client learns them from the document; the services check them again.
"""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id
from linli.core.crypto import mask_name
from linli.iot.models import Device, Kind
from linli.iot.selectors_devices import status_label

KINDS = ", ".join(Kind.values)


class DeviceIn(Schema):
    identifier: str = Field(max_length=64, description="1 to 64 letters, digits or _ . -: "
                            "the fourth level of the device's topics and its MQTT username. "
                            "Unique; fixed once registered.")
    kind: str = Field(description=f"One of: {KINDS}.")
    name: str = Field(max_length=100)
    area_id: Id = Field(description="Where the device is: a community or an area under it; "
                        "a help button: the resident's dwelling.")
    address: str = Field("", max_length=200)
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)
    owner_unit_id: Id | None = Field(None, description="The handling unit whose cases its "
                                     "alarms open; active.")
    resident_id: Id | None = Field(None, description="A help button's registry resident, "
                                   "living in the dwelling `area_id`.")
    heartbeat_seconds: int = Field(300, ge=30, le=86_400, description="Offline when not "
                                   "heard from for this long.")


class DevicePatch(Schema):
    """Only the fields sent change. The identifier is fixed."""

    kind: str | None = Field(None, description=f"One of: {KINDS}.")
    name: str | None = Field(None, max_length=100)
    area_id: Id | None = None
    address: str | None = Field(None, max_length=200)
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)
    owner_unit_id: Id | None = Field(None, description="null: no owner unit.")
    resident_id: Id | None = Field(None, description="A help button's resident; null: none.")
    heartbeat_seconds: int | None = Field(None, ge=30, le=86_400)


class DeviceRetireIn(Schema):
    reason: str = Field("", max_length=200, description="Why it is retired (2 to 200 "
                        "characters), recorded in the audit log.")


class DeviceOut(Schema):
    id: int
    identifier: str
    kind: str
    kind_label: str
    name: str
    community_id: int
    community_code: str
    area_id: int
    area_name: str
    address: str
    lat: Decimal | None
    lng: Decimal | None
    owner_unit_id: int | None
    owner_unit_name: str
    resident_name: str = Field(description="A help button's resident, masked; else empty.")
    has_care_plan: bool
    status: str = Field(description="active, offline, low_battery or retired.")
    status_label: str
    heartbeat_seconds: int
    last_seen_at: datetime | None
    offline_since: datetime | None
    battery: int | None
    retired_at: datetime | None
    messages_count: int
    rejected_count: int
    has_secret: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Device) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_community_code(obj: Device) -> str:
        return obj.community.code

    @staticmethod
    def resolve_area_name(obj: Device) -> str:
        return obj.area.name

    @staticmethod
    def resolve_owner_unit_name(obj: Device) -> str:
        return obj.owner_unit.name if obj.owner_unit is not None else ""

    @staticmethod
    def resolve_resident_name(obj: Device) -> str:
        return mask_name(obj.resident.name) if obj.resident is not None else ""

    @staticmethod
    def resolve_has_care_plan(obj: Device) -> bool:
        return obj.care_plan_id is not None

    @staticmethod
    def resolve_status_label(obj: Device) -> str:
        return status_label(obj.status)

    @staticmethod
    def resolve_has_secret(obj: Device) -> bool:
        return bool(obj.secret_hash)


class DeviceReadingStats(Schema):
    count: int
    min: float
    max: float
    mean: float | None


class DeviceHourOut(Schema):
    hour: datetime
    messages: int
    stats: dict[str, DeviceReadingStats]


class DeviceRefusalOut(Schema):
    at: datetime
    reason: str
    reason_label: str
    topic: str
    detail: str


class DeviceRefusalsOut(Schema):
    total: int = Field(description="Every refusal counted on the device.")
    by_reason: dict[str, int] = Field(description="The refusals still kept, by reason.")
    recent: list[DeviceRefusalOut] = Field(description="The last 20.")


class DeviceDetailOut(DeviceOut):
    warnings: list[str] = Field(description="What is allowed but needs a look (an owner "
                                "unit that does not serve the place ...).")
    latest: dict[str, float] = Field(description="Each reading's latest value.")
    hours: list[DeviceHourOut] = Field(description="Hourly rollups of the last 48 hours.")
    refusals: DeviceRefusalsOut


class DeviceSecretOut(Schema):
    """The new secret, this once: it is kept only as a hash."""

    username: str
    secret: str
    topic_prefix: str


class DeviceImportWarning(Schema):
    row: int
    column: str
    message: str


class DeviceImportOut(Schema):
    filename: str
    rows: int
    created: int = Field(description="Devices registered (or, with check_only, that would "
                         "be).")
    check_only: bool
    warnings: list[DeviceImportWarning]
