"""The demo's devices: 200 of every kind across both demo communities, and a little history.

- The shipped alarm rules (`shipped.ship_defaults`).
- In every estate: two manhole covers, a water leak sensor in the pump room and a noise and
  air sensor; in every building a smoke detector, a gas detector and a lift monitor; at
  every entrance a door access device; on the grids' roads more covers and sensors; a help
  button in the home of every demo resident with a care plan. Names as a community writes
  them (花楼小区1栋烟感), positions near their areas, the property companies, the street's
  repair team, the gas company and the city management squad as owner units, and each
  community's service centre (a new unit, 花楼社区党群服务中心) for the help buttons.
- History through the ingest service (`message_handle`, with the payloads a device sends):
  a tilted cover with an open case and an attached second alarm, a cleared smoke alarm, an
  acknowledged help press, a lift offline (its last will), two devices with a low battery,
  readings over the last 24 hours for some sensors, a week of door counts, and one welfare
  watch with the resident's consent.

Devices never heard from have no offline timer: `linli iot simulate` starts it with their
first heartbeat. Loading notifies nobody (the history is not news). Bulk rows where the
services would only repeat themselves (readings, door counts); one seeded generator, so the
same devices appear every time.
"""

import itertools
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from linli.accounts.models import User
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.iot import rules
from linli.iot.models import (
    AccessCount,
    Alarm,
    AlarmRule,
    Device,
    Kind,
    Telemetry,
    TelemetryHour,
)
from linli.iot.services import access
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.shipped import ship_defaults
from linli.iot.workflow import ALARMS
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area, AreaKind, Unit, UnitKind
from linli.people.models import CarePlan, Resident

SEED = 2026
TOTAL = 200
PREFIX = ["HL", "ST"]  # 花楼, 水塔: the communities' part of an identifier
ROADS = [["花楼街", "前进四路", "民族路"], ["中山大道", "大兴路", "水塔街"]]
CENTRES = [("花楼社区党群服务中心", "027-82800011"), ("水塔社区党群服务中心", "027-82800012")]
# How long a device may stay silent: NB-IoT covers and smoke detectors report daily,
# mains-powered monitors every few minutes.
HEARTBEAT: dict[str, int] = {
    Kind.MANHOLE: 86400, Kind.SMOKE: 86400, Kind.WATER_LEAK: 43200, Kind.HELP_BUTTON: 3600,
    Kind.GAS: 300, Kind.LIFT: 120, Kind.DOOR: 300, Kind.ENVIRONMENT: 600}
ON_BATTERY = {Kind.MANHOLE, Kind.SMOKE, Kind.WATER_LEAK, Kind.HELP_BUTTON}
CODE: dict[str, str] = {
    Kind.MANHOLE: "MH", Kind.SMOKE: "SMK", Kind.GAS: "GAS", Kind.WATER_LEAK: "WL",
    Kind.LIFT: "LFT", Kind.DOOR: "DR", Kind.HELP_BUTTON: "HB", Kind.ENVIRONMENT: "ENV"}
# Door openings per hour of the day, a working community's rhythm (before noise).
RHYTHM = [1, 0, 0, 0, 1, 3, 9, 16, 12, 6, 5, 6, 8, 6, 5, 6, 9, 15, 14, 10, 7, 5, 3, 2]


@dataclass
class Demo:
    tree: DemoTree
    now: datetime
    rng: random.Random
    units: dict[str, Unit]
    devices: list[Device] = field(default_factory=list)
    numbers: dict[tuple[int, str], itertools.count] = field(default_factory=dict)
    messages: itertools.count = field(default_factory=lambda: itertools.count(1))

    def identifier(self, community: int, kind: str) -> str:
        n = next(self.numbers.setdefault((community, kind), itertools.count(1)))
        return f"{PREFIX[community]}-{CODE[kind]}-{n:03d}"


# --- the registry ----------------------------------------------------------------------------

def _near(demo: Demo, area: Area, metres: float = 15) -> tuple[Decimal | None, Decimal | None]:
    if area.lat is None or area.lng is None:
        return None, None
    spread = metres / 111_000
    return (Decimal(f"{float(area.lat) + demo.rng.uniform(-spread, spread):.6f}"),
            Decimal(f"{float(area.lng) + demo.rng.uniform(-spread, spread):.6f}"))


def _add(demo: Demo, community: int, kind: str, name: str, area: Area, located: Area,
         unit: Unit, address: str = "", **extra) -> Device:
    lat, lng = _near(demo, located)
    device = Device(
        identifier=demo.identifier(community, kind), kind=kind, name=name[:100],
        community=demo.tree.communities[community], area=area, area_path=area.path,
        address=address[:200], lat=lat, lng=lng, owner_unit=unit,
        heartbeat_seconds=HEARTBEAT[kind],
        battery=demo.rng.randint(55, 100) if kind in ON_BATTERY else None, **extra)
    demo.devices.append(device)
    return device


def _children(areas: list[Area], parent: Area, kind: str) -> list[Area]:
    return [a for a in areas if a.parent_id == parent.pk and a.kind == kind]


def _estate_devices(demo: Demo, c: int, estate: Area, areas: list[Area]) -> None:
    own = demo.units[f"property_{'ab'[c]}"]
    name = estate.name
    for n in (1, 2):
        _add(demo, c, Kind.MANHOLE, f"{name}{n}号井盖", estate, estate, own, f"{name}内道路")
    _add(demo, c, Kind.WATER_LEAK, f"{name}水泵房漏水传感器", estate, estate, own,
         f"{name}水泵房")
    _add(demo, c, Kind.ENVIRONMENT, f"{name}噪声与空气监测", estate, estate, own,
         f"{name}中心花园")
    for building in _children(areas, estate, AreaKind.BUILDING):
        where = f"{name}{building.name}"
        _add(demo, c, Kind.SMOKE, f"{where}烟感", building, building, own, f"{where}楼道")
        _add(demo, c, Kind.GAS, f"{where}燃气探测器", building, building, demo.units["gas"],
             f"{where}燃气表间")
        _add(demo, c, Kind.LIFT, f"{where}电梯", building, building, own, f"{where}电梯井")
        for entrance in _children(areas, building, AreaKind.ENTRANCE):
            _add(demo, c, Kind.DOOR, f"{where}{entrance.name}门禁", entrance, building, own,
                 f"{where}{entrance.name}单元门")


def _road_devices(demo: Demo, c: int, grid: Area, road: str, sensors: int) -> None:
    address = f"江汉区{road}"
    _add(demo, c, Kind.MANHOLE, f"{road}1号井盖", grid, grid, demo.units["repair"], address)
    for n in range(1, sensors + 1):
        _add(demo, c, Kind.ENVIRONMENT, f"{road}噪声监测{n}号", grid, grid,
             demo.units["urban"], address)


def _help_buttons(demo: Demo, areas: dict[int, Area], centres: list[Unit]) -> None:
    plans = (CarePlan.objects.filter(area_path__startswith=demo.tree.street.path,
                                     resident__moved_out__isnull=True,
                                     resident__anonymised_at__isnull=True)
             .select_related("resident__household").order_by("area_path", "pk"))
    for plan in plans:
        dwelling = areas[plan.resident.household.dwelling_id]
        c = 0 if dwelling.path.startswith(demo.tree.communities[0].path) else 1
        above = [areas[i] for i in dwelling.ancestor_ids if i in areas]
        label = " ".join(a.name for a in above if a.kind in (
            AreaKind.ESTATE, AreaKind.BUILDING, AreaKind.ENTRANCE, AreaKind.DWELLING))
        building = next(a for a in above if a.kind == AreaKind.BUILDING)
        _add(demo, c, Kind.HELP_BUTTON, f"{label.replace(' ', '')}一键呼叫", dwelling,
             building, centres[c], label, resident_id=plan.resident_id, care_plan=plan)


def _centres(demo: Demo) -> list[Unit]:
    made = []
    for community, (name, phone) in zip(demo.tree.communities, CENTRES, strict=True):
        unit = Unit.objects.create(name=name, kind=UnitKind.COMMUNITY_TEAM, phone=phone,
                                   supervisor_area=demo.tree.street)
        unit.service_areas.set([community])
        made.append(unit)
    return made


def demo_registry(demo: Demo) -> list[Device]:
    areas = list(Area.objects.filter(path__startswith=demo.tree.street.path).order_by("path"))
    by_id = {a.pk: a for a in areas}
    centres = _centres(demo)
    _help_buttons(demo, by_id, centres)
    for c, community in enumerate(demo.tree.communities):
        for estate in [a for a in areas if a.kind == AreaKind.ESTATE
                       and a.path.startswith(community.path)]:
            _estate_devices(demo, c, estate, areas)
    # The roads take what is left of the 200: a cover and a few noise sensors each.
    grids = [(c, g) for c, community in enumerate(demo.tree.communities)
             for g in demo.tree.grids if g.path.startswith(community.path)]
    left = TOTAL - len(demo.devices) - len(grids)
    for i, (c, grid) in enumerate(grids):
        road = ROADS[c][i % 3]
        _road_devices(demo, c, grid, road, left // len(grids) + (i < left % len(grids)))
    return Device.objects.bulk_create(demo.devices)


# --- history ---------------------------------------------------------------------------------

def _send(demo: Demo, device: Device, channel: str, at: datetime, **body) -> str:
    topic = (f"linli/{device.community.code}/{device.kind}/{device.identifier}/{channel}")
    payload = json.dumps({"id": f"demo-{next(demo.messages)}", "ts": at.isoformat(),
                          **body}).encode()
    outcome = message_handle(topic, payload, at)
    assert outcome == HANDLED, (topic, outcome)
    return outcome


def _find(demo: Demo, name: str) -> Device:
    return next(d for d in demo.devices if d.name == name)


def _acknowledge(alarm: Alarm, username: str, at: datetime) -> None:
    # The service's move (services.alarms.alarm_transition) at the history's own time.
    ALARMS.transition(actor=User.objects.get(username=username), obj=alarm,
                      action="acknowledge", now=at)


def _tilted_cover(demo: Demo) -> None:
    """Tilted twice (the rule wants two readings in a row), a case for the property
    company; the cover then reports itself open, which joins that case."""
    cover = _find(demo, "花楼小区1号井盖")
    start = demo.now - timedelta(minutes=50)
    _send(demo, cover, "telemetry", start, values={"tilt_deg": 18.5}, battery=86)
    _send(demo, cover, "telemetry", start + timedelta(seconds=30),
          values={"tilt_deg": 22.0}, battery=86)
    _send(demo, cover, "alarm", start + timedelta(minutes=8), type="open",
          note="cover lifted")
    for alarm in Alarm.objects.filter(device=cover).order_by("pk"):
        _acknowledge(alarm, "property", start + timedelta(minutes=12))


def _cleared_smoke(demo: Demo) -> None:
    smoke = _find(demo, "水塔小区2栋烟感")
    start = demo.now - timedelta(hours=3)
    _send(demo, smoke, "alarm", start, type="smoke", value=0.21, battery=77)
    _send(demo, smoke, "alarm", start + timedelta(minutes=6), type="smoke", clear=True)


def _help_press(demo: Demo) -> None:
    """张秀兰 (the demo `resident`, living alone) pressed her button; her grid worker
    acknowledged it four minutes later."""
    resident = Resident.objects.get(user__username="resident")
    button = next(d for d in demo.devices if d.resident_id == resident.pk)
    pressed = demo.now - timedelta(minutes=90)
    _send(demo, button, "alarm", pressed, type="help", battery=93)
    _acknowledge(Alarm.objects.get(device=button), "grid", pressed + timedelta(minutes=4))


def _health(demo: Demo) -> None:
    lift = _find(demo, "水塔小区1栋电梯")
    _send(demo, lift, "heartbeat", demo.now - timedelta(hours=2))
    _send(demo, lift, "heartbeat", demo.now - timedelta(minutes=20), online=False)
    for name, battery in (("花楼小区2栋烟感", 12), ("水塔小区水泵房漏水传感器", 15)):
        _send(demo, _find(demo, name), "heartbeat", demo.now - timedelta(hours=5),
              battery=battery)


def _series(demo: Demo, device: Device, reading) -> None:
    """Readings every half hour over the last 24 hours, written in bulk with their hourly
    rollup; the last one through the ingest, so the device was heard from."""
    times = [demo.now - timedelta(minutes=30 * i) for i in range(48, 0, -1)]
    rows = [Telemetry(device=device, at=at, received_at=at, values=reading(at))
            for at in times]
    Telemetry.objects.bulk_create(rows)
    hours: dict[datetime, TelemetryHour] = {}
    for row in rows:
        hour = timezone.localtime(row.at).replace(minute=0, second=0, microsecond=0)
        rollup = hours.setdefault(hour, TelemetryHour(device=device, hour=hour, stats={}))
        rollup.messages += 1
        for name, value in row.values.items():
            count, low, high, total = rollup.stats.get(name, [0, value, value, 0.0])
            rollup.stats[name] = [count + 1, min(low, value), max(high, value), total + value]
    TelemetryHour.objects.bulk_create(hours.values())
    Device.objects.filter(pk=device.pk).update(messages_count=F("messages_count") + len(rows))
    _send(demo, device, "telemetry", demo.now - timedelta(minutes=5), values=reading(demo.now))


def _readings(demo: Demo) -> None:
    rng = demo.rng

    def environment(at: datetime) -> dict:
        hour = timezone.localtime(at).hour
        busy = 8 <= hour <= 21
        return {"noise_db": round(rng.uniform(50, 64) if busy else rng.uniform(36, 46), 1),
                "pm25": round(rng.uniform(18, 75), 1),
                "temp_c": round(12 + 8 * (1 - abs(hour - 14) / 14) + rng.uniform(-1, 1), 1)}

    def gas(_at: datetime) -> dict:
        return {"lel_pct": round(rng.uniform(0, 3), 2)}

    for name in ("花楼小区噪声与空气监测", "统一街小区噪声与空气监测", "水塔小区噪声与空气监测",
                 "花楼街噪声监测1号"):
        _series(demo, _find(demo, name), environment)
    for name in ("花楼小区1栋燃气探测器", "水塔小区1栋燃气探测器"):
        _series(demo, _find(demo, name), gas)


def _door_counts(demo: Demo) -> None:
    """A week of openings for every door, by the hour; nothing but counts."""
    this_hour = timezone.localtime(demo.now).replace(minute=0, second=0, microsecond=0)
    rows = []
    for device in (d for d in demo.devices if d.kind == Kind.DOOR):
        size = demo.rng.uniform(0.6, 1.4)  # a busier or quieter entrance
        for back in range(1, 7 * 24):
            hour = this_hour - timedelta(hours=back)
            count = max(0, round(RHYTHM[hour.hour] * size + demo.rng.gauss(0, 1)))
            if count:
                rows.append(AccessCount(device=device, hour=hour, count=count))
    AccessCount.objects.bulk_create(rows, batch_size=2000)


def _welfare_watch(demo: Demo) -> None:
    """张秀兰 agreed in writing that her entrance's door may watch over her."""
    resident = Resident.objects.select_related("household__dwelling").get(
        user__username="resident")
    entrance_id = resident.household.dwelling.parent_id
    door = next(d for d in demo.devices if d.kind == Kind.DOOR and d.area_id == entrance_id)
    consented = demo.now - timedelta(days=12)
    access.watch_create(actor=User.objects.get(username="dispatcher"), resident=resident,
                        device=door, quiet_hours=24, now=consented,
                        consent_reference=f"书面同意 {timezone.localtime(consented):%Y-%m-%d}")
    _send(demo, door, "telemetry", demo.now - timedelta(hours=2), values={"opens": 2})


def demo_history(demo: Demo) -> None:
    _door_counts(demo)
    _welfare_watch(demo)
    _readings(demo)
    _tilted_cover(demo)
    _cleared_smoke(demo)
    _help_press(demo)
    _health(demo)


def demo_iot(tree: DemoTree, *, now: datetime | None = None) -> list[Device]:
    ship_defaults(AlarmRule)
    rules.forget()  # the rules as shipped now, not as cached before
    units = dict(tree.units)
    demo = Demo(tree=tree, now=now or timezone.now(), rng=random.Random(SEED), units=units)
    with tasks_muted():  # the history is not news: nobody is notified of it
        demo.devices = demo_registry(demo)
        demo_history(demo)
    return demo.devices


def demo_step_iot(demo: DemoContext) -> None:
    demo_iot(demo.tree)


def demo_present() -> bool:
    return Device.objects.exists()


# After the registers (people, 70) whose care plans get help buttons, and the cases (40)
# the alarms join.
DEMO_STEPS = [(72, demo_step_iot)]
