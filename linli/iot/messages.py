"""What a device may send, checked before anything is looked up or written (docs/iot.md).

Topic: `linli/<community code>/<kind>/<device identifier>/<telemetry|alarm|heartbeat>`,
where `linli` is LINLI_MQTT_PREFIX (one or more levels; tests use their own).
Payload: a JSON object of at most LINLI_IOT_MAX_MESSAGE_BYTES with a message id (`id`) and
the device's time (`ts`, ISO 8601 with an offset, or Unix seconds). A message that breaks a
rule is refused with a `Refused(reason, detail)`; the caller logs it (services.ingest).
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from linli.iot.models import Kind, Reason

PREFIX = "linli"  # the default of LINLI_MQTT_PREFIX; the one in use is prefix()
CHANNELS = ("telemetry", "alarm", "heartbeat")
_SEGMENT = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_READINGS = 32


class Refused(Exception):
    def __init__(self, reason: str, detail: str = "", topic: "Topic | None" = None):
        super().__init__(detail or reason)
        self.reason, self.detail, self.topic = reason, detail[:200], topic


@dataclass(frozen=True)
class Topic:
    community_code: str
    kind: str
    identifier: str
    channel: str


@dataclass(frozen=True)
class Message:
    topic: Topic
    message_id: str
    device_at: datetime
    body: dict[str, Any] = field(compare=False)
    # The readings of a telemetry message (name → number), the battery of any message.
    values: dict[str, Decimal] = field(default_factory=dict, compare=False)

    @property
    def published_at(self) -> datetime | None:
        """The publisher's own clock, when it sends one (`sent`): the simulator and the
        benchmark measure publish-to-case with it."""
        return _time(self.body.get("sent"))


def prefix() -> str:
    return settings.MQTT_PREFIX.strip("/")


def subscription() -> str:
    """The topic filter for every community, kind, device and channel."""
    return f"{prefix()}/+/+/+/+"


def topic_name(community_code: str, kind: str, identifier: str, channel: str) -> str:
    return f"{prefix()}/{community_code}/{kind}/{identifier}/{channel}"


def topic_parse(topic: str) -> Topic:
    head = prefix() + "/"
    parts = topic[len(head):].split("/") if topic.startswith(head) else []
    if (len(parts) != 4 or parts[3] not in CHANNELS
            or not all(_SEGMENT.match(p) for p in parts[:3])):
        raise Refused(Reason.BAD_TOPIC, topic[:200])
    if parts[1] not in Kind.values:
        raise Refused(Reason.BAD_TOPIC, f"unknown kind {parts[1][:40]}")
    return Topic(*parts)


def _time(value: Any) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value  # milliseconds too
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            moment = parse_datetime(value)
        except ValueError:
            return None
        if moment is not None and moment.tzinfo is not None:
            return moment
    return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < 10**9 else None


def _readings(body: dict, topic: Topic) -> dict[str, Decimal]:
    raw = body.get("values", {}) if topic.channel == "telemetry" else {}
    if not isinstance(raw, dict) or len(raw) > MAX_READINGS:
        raise Refused(Reason.MALFORMED, "values must be an object of at most "
                      f"{MAX_READINGS} readings", topic)
    values = {}
    for name, value in raw.items():
        number = _number(value)
        if not _SEGMENT.match(str(name)) or number is None:
            raise Refused(Reason.MALFORMED, f"reading {str(name)[:40]} is not a number",
                          topic)
        values[name] = number
    if "battery" in body:
        battery = _number(body["battery"])
        if battery is None or not 0 <= battery <= 100:
            raise Refused(Reason.MALFORMED, "battery must be a number from 0 to 100", topic)
        values["battery"] = battery
    return values


def message_parse(topic_name: str, payload: bytes, received_at: datetime) -> Message:
    """The checked message; refused (with the reason) when anything is wrong with it."""
    topic = topic_parse(topic_name)
    if len(payload) > settings.IOT_MAX_MESSAGE_BYTES:
        raise Refused(Reason.TOO_LARGE, f"{len(payload)} bytes", topic)
    try:
        body = json.loads(payload)
    except (UnicodeDecodeError, ValueError):
        raise Refused(Reason.MALFORMED, "not JSON", topic) from None
    if not isinstance(body, dict):
        raise Refused(Reason.MALFORMED, "not a JSON object", topic)
    message_id = body.get("id")
    if not isinstance(message_id, str) or not _SEGMENT.match(message_id):
        raise Refused(Reason.MISSING, "id: 1-64 letters, digits or _.:-", topic)
    device_at = _time(body.get("ts"))
    if device_at is None:
        raise Refused(Reason.MISSING, "ts: ISO 8601 with an offset, or Unix seconds", topic)
    if device_at > received_at + timedelta(seconds=settings.IOT_MAX_CLOCK_AHEAD_SECONDS):
        raise Refused(Reason.FUTURE, device_at.isoformat(), topic)
    # A last will was written when the device connected: its time may be old.
    will = topic.channel == "heartbeat" and body.get("online") is False
    if not will and device_at < received_at - timedelta(hours=settings.IOT_MAX_AGE_HOURS):
        raise Refused(Reason.STALE, device_at.isoformat(), topic)
    if topic.channel == "alarm" and not (isinstance(body.get("type"), str)
                                         and _SEGMENT.match(body["type"])):
        raise Refused(Reason.MISSING, "type: the alarm type", topic)
    return Message(topic, message_id, device_at, body, _readings(body, topic))
