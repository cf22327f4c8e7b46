"""Devices for tests, and the messages they send (as the simulator sends them)."""

import itertools
import json
from datetime import datetime

from django.utils import timezone

from linli.cases.categories import categories_load
from linli.iot import rules
from linli.iot.models import AlarmRule, Device, Kind
from linli.iot.shipped import ship_defaults

_ids = itertools.count(1)


def ready() -> None:
    """Categories and the shipped rules (a transactional test empties them)."""
    categories_load()
    ship_defaults(AlarmRule)
    rules.forget()


def make_device(area, *, kind: str = Kind.MANHOLE, identifier: str = "", unit=None,
                **extra) -> Device:
    community = area.ancestor_of_kind("community")
    return Device.objects.create(
        identifier=identifier or f"dev-{next(_ids)}", kind=kind, name=extra.pop("name", "测试设备"),
        community=community, area=area, area_path=area.path, owner_unit=unit, **extra)


def topic(device: Device, channel: str) -> str:
    return f"linli/{device.community.code}/{device.kind}/{device.identifier}/{channel}"


def payload(message_id: str | None = None, at: datetime | None = None, **body) -> bytes:
    return json.dumps({"id": message_id or f"m{next(_ids)}",
                       "ts": (at or timezone.now()).isoformat(), **body}).encode()
