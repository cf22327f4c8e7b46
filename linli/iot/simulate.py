"""`linli iot simulate`: realistic traffic for the devices in the database, published to
the broker as the devices would publish it (docs/iot.md, "The simulator").

Scenarios: `mixed` (heartbeats, telemetry with plausible values per kind, now and then an
alarm or a help press), `tilt` (one manhole cover tilts until an alarm, repeats, then
reports itself open), `help` (one help press), `offline` (one device stops its heartbeat
and drops its connection without a DISCONNECT, so the broker publishes its last will),
`storm` (every selected device raises its alarm within --seconds). A one-shot alarm:
--device IDENTIFIER --alarm TYPE. Every message carries `sent`, the publisher's clock,
from which the alarm's publish-to-case time is measured.
"""

import itertools
import json
import math
import random
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.utils import timezone

from linli.iot import rules
from linli.iot.messages import topic_name
from linli.iot.models import Device, Kind, Source
from linli.iot.mqtt import Broker, client_make, connect_properties

SCENARIOS = ("mixed", "tilt", "help", "offline", "storm")
SUMMARY_SECONDS = 5.0


class Unreachable(Exception):
    pass


@dataclass
class SimDevice:
    identifier: str
    kind: str
    community_code: str
    name: str = ""
    battery: float = 100.0

    def topic(self, channel: str) -> str:
        return topic_name(self.community_code, self.kind, self.identifier, channel)


def devices_load(*, community: str | None = None, identifier: str | None = None,
                 kind: str | None = None, rng: random.Random | None = None) -> list[SimDevice]:
    """The devices to simulate (never retired ones), with a plausible battery each."""
    rng = rng or random.Random()
    rows = Device.objects.filter(retired_at__isnull=True).select_related("community")
    if community:
        rows = rows.filter(community__code=community)
    if identifier:
        rows = rows.filter(identifier=identifier)
    if kind:
        rows = rows.filter(kind=kind)
    devices = []
    for row in rows.order_by("identifier"):
        # Most batteries are fine; about one in twenty is running down.
        start = row.battery if row.battery is not None else (
            rng.uniform(15, 30) if rng.random() < 0.05 else rng.uniform(55, 100))
        devices.append(SimDevice(row.identifier, row.kind, row.community.code, row.name,
                                 float(start)))
    return devices


# --- what a device of each kind says ----------------------------------------------------

def _hour_curve(hour: float, low: float, high: float) -> float:
    """low at 4 a.m., high in the afternoon: the shape of a city day."""
    return low + (high - low) * (1 - math.cos((hour - 4) / 24 * 2 * math.pi)) / 2


def readings(kind: str, rng: random.Random, hour: float) -> dict[str, float]:
    """Plausible telemetry readings of a device of `kind` at the local `hour`."""
    if kind == Kind.MANHOLE:
        return {"tilt_deg": round(abs(rng.gauss(0.8, 0.6)), 1),
                "water_level_cm": round(max(0, rng.gauss(35, 10)), 1)}
    if kind == Kind.GAS:
        return {"lel_pct": round(max(0.0, rng.gauss(1.5, 1.0)), 1)}
    if kind == Kind.ENVIRONMENT:
        return {"noise_db": round(rng.gauss(_hour_curve(hour, 40, 60), 4), 1),
                "pm25": round(max(3.0, rng.gauss(35, 15)), 1),
                "temp_c": round(rng.gauss(_hour_curve(hour, 14, 24), 1.5), 1),
                "humidity_pct": round(min(100, max(20, rng.gauss(65, 10))), 1)}
    if kind == Kind.DOOR:
        # Access events since the last message: busy mornings and evenings, quiet nights.
        busy = 6 if 7 <= hour < 9 or 17 <= hour < 20 else 2 if 6 <= hour < 23 else 0.2
        return {"opens": _poisson(rng, busy)}
    if kind == Kind.SMOKE:
        return {"obscuration_pct": round(max(0.0, rng.gauss(0.05, 0.03)), 2),
                "temp_c": round(rng.gauss(_hour_curve(hour, 18, 26), 1), 1)}
    if kind == Kind.WATER_LEAK:
        return {"moisture_pct": round(max(0.0, rng.gauss(8, 3)), 1)}
    if kind == Kind.LIFT:
        busy = 12 if 7 <= hour < 9 or 17 <= hour < 20 else 4 if 6 <= hour < 23 else 0.5
        return {"runs": _poisson(rng, busy), "load_kg": round(max(0, rng.gauss(150, 90)))}
    return {}  # a help button only says it is alive


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def alarm_types(kind: str) -> list[str]:
    """The alarm types a device of `kind` raises itself (alarm rules of source alarm)."""
    return [rule.alarm_type for rule in rules.active_rules()
            if rule.kind == kind and rule.source == Source.ALARM]


def breaching(kind: str) -> tuple[dict[str, float], int] | None:
    """A reading past the kind's first threshold rule, and how many in a row it takes."""
    for rule in rules.reading_rules(kind):
        if rule.kind != kind or rule.threshold is None:
            continue
        step = 1 if rule.operator in ("gt", "ge") else -1
        value = float(rule.threshold) + step * max(1.0, abs(float(rule.threshold)) * 0.25)
        return {rule.metric: round(value, 1)}, max(1, rule.debounce_count)
    return None


# --- where the messages go --------------------------------------------------------------

class Publisher(Protocol):
    def publish(self, topic: str, body: dict[str, Any]) -> None: ...


class BrokerPublisher:
    """One connection for all the simulated devices' traffic, QoS 1."""

    def __init__(self, broker: Broker, client_id: str = "") -> None:
        self.broker = broker
        self.client = client_make(broker, client_id or f"linli-simulator-{uuid.uuid4().hex[:8]}")
        self.client.max_inflight_messages_set(200)
        _connect(self.client, broker)
        self._pending: list[Any] = []

    def publish(self, topic: str, body: dict[str, Any]) -> None:
        self._pending.append(self.client.publish(topic, json.dumps(body, ensure_ascii=False),
                                                 qos=1))
        if len(self._pending) > 1000:
            self._pending = [info for info in self._pending if not info.is_published()]

    def close(self, timeout: float = 30) -> int:
        """Wait for the broker to acknowledge what was sent; returns how many it did not."""
        deadline = time.monotonic() + timeout
        for info in self._pending:
            left = deadline - time.monotonic()
            if left > 0 and not info.is_published():
                try:
                    info.wait_for_publish(left)
                except RuntimeError:  # the connection is gone
                    break
        missing = sum(not info.is_published() for info in self._pending)
        self.client.disconnect()
        self.client.loop_stop()
        return missing


def _connect(client, broker: Broker, **kwargs) -> None:
    try:
        client.connect(broker.host, broker.port, 30, **kwargs)
    except OSError as exc:
        raise Unreachable(f"cannot reach the MQTT broker at {broker}: {exc}") from None
    client.loop_start()


class DeviceConnection:
    """A device's own connection with a last will, as a real device keeps one: the broker
    publishes the will when the connection ends without a DISCONNECT."""

    def __init__(self, broker: Broker, device: SimDevice) -> None:
        self.device = device
        self.will = {"id": f"will-{uuid.uuid4().hex[:12]}",
                     "ts": timezone.localtime().isoformat(timespec="seconds"),
                     "online": False}
        # Its own client id: never taking over another simulation's connection.
        self.client = client_make(broker, f"sim-{device.identifier}-{uuid.uuid4().hex[:6]}")
        self.client.will_set(device.topic("heartbeat"), json.dumps(self.will), qos=1)
        _connect(self.client, broker, clean_start=True, properties=connect_properties())

    def publish(self, topic: str, body: dict[str, Any]) -> None:
        self.client.publish(topic, json.dumps(body), qos=1).wait_for_publish(10)

    def drop(self) -> None:
        """Stop without a word: the network thread ends, the socket closes."""
        self.client.loop_stop()
        sock = self.client.socket()
        if isinstance(sock, socket.socket):
            sock.close()


# --- the simulator ----------------------------------------------------------------------

class Simulator:
    def __init__(self, publisher: Publisher, out: Callable[[str], None], *,
                 rng: random.Random | None = None, sleep: Callable[[float], None] = time.sleep,
                 verbose: bool = False) -> None:
        self.publisher, self.out, self.sleep, self.verbose = publisher, out, sleep, verbose
        self.rng = rng or random.Random()
        self.counts: Counter[str] = Counter()
        self._sequence = 0

    def body(self, device: SimDevice, **fields: Any) -> dict[str, Any]:
        self._sequence += 1
        now = timezone.localtime()
        # Cheap sensors send Unix seconds, the others ISO 8601 with the offset.
        ts: Any = (int(now.timestamp()) if device.kind in (Kind.DOOR, Kind.ENVIRONMENT)
                   else now.isoformat(timespec="milliseconds"))
        body = {"id": f"{uuid.uuid4().hex[:12]}-{self._sequence}", "ts": ts,
                "sent": round(time.time(), 3), **fields}
        body.setdefault("battery", round(device.battery))
        return body

    def send(self, device: SimDevice, channel: str, *, show: bool | None = None,
             publisher: Publisher | None = None, **fields: Any) -> dict[str, Any]:
        body = self.body(device, **fields)
        (publisher or self.publisher).publish(device.topic(channel), body)
        label = channel if channel != "alarm" else f"alarm:{fields.get('type')}"
        self.counts[label if "clear" not in fields else f"clear:{fields.get('type')}"] += 1
        if show if show is not None else (self.verbose or channel == "alarm"):
            self.out(f"{_clock()} {device.topic(channel)} {json.dumps(body, ensure_ascii=False)}")
        return body

    # --- everyday traffic ---------------------------------------------------------------

    def mixed(self, devices: list[SimDevice], seconds: float, rate: float) -> None:
        """Heartbeats and telemetry at `rate` messages a second, now and then an alarm (and
        its clearing a little later) or a help press; until `seconds` (0: until stopped)."""
        pending_clears: list[tuple[float, SimDevice, str]] = []
        started = time.monotonic()
        summary_at = started + SUMMARY_SECONDS
        for index in itertools.count():
            now = time.monotonic()
            if seconds and now - started >= seconds:
                break
            for clear in [clear for clear in pending_clears if clear[0] <= now]:
                pending_clears.remove(clear)
                self.send(clear[1], "alarm", type=clear[2], clear=True, show=True)
            device = self.rng.choice(devices)
            alarm = self._maybe_alarm(device)
            if alarm is not None:
                self.send(device, "alarm", type=alarm)
                if device.kind != Kind.HELP_BUTTON:  # a person answers a help press
                    pending_clears.append((now + self.rng.uniform(20, 90), device, alarm))
            elif device.kind == Kind.HELP_BUTTON or self.rng.random() < 0.35:
                self.send(device, "heartbeat")
            else:
                self.send(device, "telemetry", values=readings(
                    device.kind, self.rng, _local_hour()))
            device.battery = max(1.0, device.battery - self.rng.uniform(0, 0.02))
            if now >= summary_at:
                self.out(self.summary())
                summary_at = now + SUMMARY_SECONDS
            self.sleep(max(0.0, started + (index + 1) / rate - time.monotonic()))

    def _maybe_alarm(self, device: SimDevice) -> str | None:
        chance = 0.003 if device.kind == Kind.HELP_BUTTON else 0.002
        types = alarm_types(device.kind)
        if not types or self.rng.random() >= chance:
            return None
        return self.rng.choice(types)

    # --- scenarios ----------------------------------------------------------------------

    def tilt(self, device: SimDevice, pause: float = 2.0) -> None:
        """A cover tilts further and further: readings past the threshold raise the tilt
        alarm (debounced), one more repeats it, then the cover reports itself open: that
        alarm joins the tilt alarm's case."""
        self.out(f"{device.identifier}: a cover starts to tilt (the rule: tilt_deg ≥ 15 "
                 "twice in a row)")
        for tilt in (1.2, 4.6, 9.8, 16.4, 19.7, 23.1):
            self.send(device, "telemetry", values={"tilt_deg": tilt}, show=True)
            self.sleep(pause)
        self.out(f"{device.identifier}: the cover is off")
        self.send(device, "alarm", type="open", value=23.1)

    def help(self, device: SimDevice) -> None:
        self.out(f"{device.identifier}: the resident presses the help button")
        self.send(device, "alarm", type="help")

    def offline(self, device: SimDevice, connection: DeviceConnection,
                beats: int = 2, pause: float = 1.0) -> None:
        self.out(f"{device.identifier}: connects with its last will "
                 f"{json.dumps(connection.will)} on {device.topic('heartbeat')}")
        for _ in range(beats):
            self.send(device, "heartbeat", publisher=connection, show=True)
            self.sleep(pause)
        connection.drop()
        self.out(f"{device.identifier}: stops its heartbeat and drops the connection "
                 "without a DISCONNECT: the broker publishes the will, Linli marks it offline")

    def storm(self, devices: list[SimDevice], seconds: float, rate: float) -> None:
        """Every device raises its alarm (or the readings its rule needs) within
        `seconds`, at most `rate` messages a second."""
        plan: list[tuple[SimDevice, dict[str, Any]]] = []
        for device in devices:
            types = alarm_types(device.kind)
            if types:
                plan.append((device, {"channel": "alarm", "type": types[0]}))
                continue
            breach = breaching(device.kind)
            if breach is not None:
                values, count = breach
                plan += [(device, {"channel": "telemetry", "values": values})] * count
        self.rng.shuffle(plan)
        pace = max(len(plan) / max(seconds, 0.001), 1.0)
        pace = min(pace, rate) if rate else pace
        started = time.monotonic()
        for index, (device, fields) in enumerate(plan):
            fields = dict(fields)
            self.send(device, fields.pop("channel"), show=self.verbose, **fields)
            self.sleep(max(0.0, started + (index + 1) / pace - time.monotonic()))

    def one_shot(self, device: SimDevice, alarm_type: str, clear: bool = False) -> None:
        fields: dict[str, Any] = {"type": alarm_type, **({"clear": True} if clear else {})}
        self.send(device, "alarm", show=True, **fields)

    def summary(self) -> str:
        parts = ", ".join(f"{count} {name}" for name, count in sorted(self.counts.items()))
        return f"{_clock()} sent {sum(self.counts.values())} messages: {parts or 'none'}"


def _local_hour(now: datetime | None = None) -> float:
    local = timezone.localtime(now)
    return local.hour + local.minute / 60


def _clock() -> str:
    return timezone.localtime().strftime("%H:%M:%S")
