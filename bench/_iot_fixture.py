"""Run inside the benchmark's Django environment (DATABASE_URL etc. set by the caller): a
district of the benchmark's own with `--devices` devices, and the plan of what they publish
(written to `--out` as JSON: each message's topic, body and moment as a share of the storm).
"""

import argparse
import json
import os
import random
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django

django.setup()

from linli.cases.categories import categories_load  # noqa: E402
from linli.iot.models import AlarmRule, Device  # noqa: E402
from linli.iot.shipped import ship_defaults  # noqa: E402
from linli.orgs.models import Unit, UnitKind  # noqa: E402
from linli.orgs.services import area_insert  # noqa: E402

# kind, the alarm it raises, its normal readings
KINDS = [
    ("manhole", "open", lambda r: {"tilt_deg": round(r.uniform(0, 3), 1)}),
    ("smoke", "smoke", lambda r: {"temp_c": round(r.uniform(15, 28), 1)}),
    ("gas", "gas_leak", lambda r: {"lel_pct": round(r.uniform(0, 4), 1)}),
    ("water_leak", "leak", lambda r: {"humidity": round(r.uniform(30, 70))}),
    ("lift", "fault", lambda r: {"trips": r.randint(0, 40)}),
    ("door", "fault", lambda r: {"opens": r.randint(0, 12)}),
]


def district(grids: int, estates_per_grid: int):
    d = area_insert(kind="district", name="基准区", parent=None, code="990000")
    street = area_insert(kind="street", name="基准街道", parent=d, code="990000001")
    communities, estates = [], []
    for c in range(2):
        community = area_insert(kind="community", name=f"基准社区{c + 1}", parent=street,
                                code=f"99000000100{c + 1}", lat=Decimal("30.58"),
                                lng=Decimal("114.28"))
        communities.append(community)
        for g in range(grids):
            grid = area_insert(kind="grid", name=f"第{g + 1}网格", parent=community,
                               code=f"{community.code}{g + 1:03d}")
            for e in range(estates_per_grid):
                estates.append((community, area_insert(kind="estate",
                                                       name=f"{g + 1}-{e + 1}小区",
                                                       parent=grid)))
    unit = Unit.objects.create(name="基准物业", kind=UnitKind.PROPERTY)
    unit.service_areas.set(communities)
    return estates, unit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int)
    parser.add_argument("--telemetry", type=int)
    parser.add_argument("--repeat-share", type=float)
    parser.add_argument("--duplicate-share", type=float)
    parser.add_argument("--prefix")
    parser.add_argument("--out")
    args = parser.parse_args()
    rnd = random.Random(7)
    categories_load()
    ship_defaults(AlarmRule)
    estates, unit = district(grids=10, estates_per_grid=5)
    devices = []
    for i in range(args.devices):
        community, estate = estates[i % len(estates)]
        kind = KINDS[i % len(KINDS)][0]
        devices.append(Device(identifier=f"B{i:05d}", kind=kind, name=f"{estate.name}设备{i}",
                              community=community, area=estate, area_path=estate.path,
                              owner_unit=unit, heartbeat_seconds=3600))
    Device.objects.bulk_create(devices, batch_size=1000)
    by_kind = {kind: (alarm, normal) for kind, alarm, normal in KINDS}
    messages, alarm_ids = [], []

    def add(device: Device, channel: str, at: float, body: dict) -> None:
        topic = f"{args.prefix}/{device.community.code}/{device.kind}/{device.identifier}/{channel}"
        messages.append({"topic": topic, "at": min(at, 1.0), "body": body})

    for device in devices:
        alarm_type, _normal = by_kind[device.kind]
        first = rnd.uniform(0, 0.8)
        alarm_ids.append(f"a-{device.identifier}-1")
        add(device, "alarm", first, {"id": alarm_ids[-1], "type": alarm_type})
        if rnd.random() < args.duplicate_share:  # the same message again: a redelivery
            add(device, "alarm", first + 0.05, {"id": alarm_ids[-1], "type": alarm_type})
        if rnd.random() < args.repeat_share:  # the device alarms again: it must attach
            alarm_ids.append(f"a-{device.identifier}-2")
            add(device, "alarm", first + rnd.uniform(0.05, 0.2),
                {"id": alarm_ids[-1], "type": alarm_type})
    for n in range(args.telemetry):
        device = devices[rnd.randrange(len(devices))]
        values = {**by_kind[device.kind][1](rnd), "battery": rnd.randint(60, 100)}
        add(device, "telemetry", rnd.uniform(0, 1), {"id": f"t-{n}", "values": values})
    messages.sort(key=lambda m: m["at"])
    with open(args.out, "w") as handle:
        json.dump({"messages": messages, "alarm_ids": alarm_ids}, handle)


if __name__ == "__main__":
    main()
