"""The subscriber's batching and acknowledgements, the broker address, the simulator's
traffic and `linli run`'s IoT start, without a broker (test_broker.py has the broker)."""

import base64
import json
import queue
import random
import time
from datetime import UTC, datetime
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from linli import cli
from linli.cases.models import Case
from linli.iot import mqtt, simulate
from linli.iot.messages import message_parse, topic_name, topic_parse
from linli.iot.models import Alarm, AlarmState, Device, Kind, Reason, Rejection, Telemetry
from linli.iot.mqtt import Broker, Received, Subscriber, broker_parse, gather, task_rows
from linli.iot.services.ingest import message_handle
from linli.iot.simulate import SimDevice, Simulator
from linli.iot.tasks import handle_messages
from linli.iot.tests.factories import make_device, ready

# --- helpers ------------------------------------------------------------------------------


class FakeClient:
    """Stands in for paho's client: records the PUBACKs."""

    def __init__(self) -> None:
        self.acks: list[tuple[int, int]] = []

    def ack(self, mid: int, qos: int) -> None:
        self.acks.append((mid, qos))

    def subscribe(self, topic: str, qos: int) -> None:
        self.subscribed = (topic, qos)


def fake_message(topic: str, payload: bytes, mid: int, qos: int = 1):
    return SimpleNamespace(topic=topic, payload=payload, mid=mid, qos=qos)


def subscriber(in_process: bool) -> Subscriber:
    """A subscriber that never connects: messages go in through its paho callback."""
    sub = Subscriber("mqtt://127.0.0.1:1", client_id="test", in_process=in_process)
    sub._client = FakeClient()  # type: ignore[assignment]
    sub._connection = 1
    sub._stopping.wait = lambda timeout=None: False  # type: ignore[method-assign]
    return sub


def deliver(sub: Subscriber, *messages) -> list[Received]:
    for message in messages:
        sub._on_message(None, None, message)
    batch = gather(sub._inbox, wait=0.01)
    sub.flush(batch)
    return batch


def received(mid: int, arrived: float | None = None) -> Received:
    return Received("t", b"{}", timezone.now(), mid, 1, 1,
                    time.monotonic() if arrived is None else arrived)


class Recording:
    """A publisher handing each message straight to the ingestion, as the broker and the
    subscriber would."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.results: list[str] = []

    def publish(self, topic: str, body: dict[str, Any]) -> None:
        self.sent.append((topic, body))
        self.results.append(message_handle(topic, json.dumps(body).encode()))


@pytest.fixture
def iot(world):
    ready()
    world.cover = make_device(world.estate_a, kind=Kind.MANHOLE, identifier="MH-1",
                              unit=world.unit_a)
    return world


def sim_device(device: Device) -> SimDevice:
    return SimDevice(device.identifier, device.kind, device.community.code, battery=80)


# --- the broker's address -------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("mqtt://127.0.0.1:1883", Broker("127.0.0.1", 1883)),
    ("mqtt://broker.example", Broker("broker.example", 1883)),
    ("mqtts://linli:p%40ss@emqx.city.gov.cn", Broker("emqx.city.gov.cn", 8883, "linli",
                                                     "p@ss", True)),
    ("off", None), ("OFF", None), ("", None),
])
def test_the_broker_url(url, expected):
    assert broker_parse(url) == expected


@pytest.mark.parametrize("url", ["http://host:1883", "mqtt://", "127.0.0.1:1883",
                                 "mqtt://user:secret@host:port"])
def test_a_bad_broker_url_is_refused_without_its_password(url):
    with pytest.raises(ValueError, match="LINLI_MQTT_URL") as error:
        broker_parse(url)
    assert "secret" not in str(error.value)


def test_the_address_shown_hides_the_password():
    broker = broker_parse("mqtt://linli:secret@host:1883")
    assert str(broker) == "mqtt://linli@host:1883"


# --- topics under a prefix of our own ---------------------------------------------------------

def test_the_topic_prefix_is_a_setting(settings):
    settings.MQTT_PREFIX = "city/linli"
    name = topic_name("420103001001", "manhole", "MH-1", "alarm")
    assert name == "city/linli/420103001001/manhole/MH-1/alarm"
    assert topic_parse(name).identifier == "MH-1"
    from linli.iot.messages import Refused

    with pytest.raises(Refused):
        topic_parse("linli/420103001001/manhole/MH-1/alarm")


# --- batches ----------------------------------------------------------------------------

def test_a_batch_closes_at_its_size_in_the_order_of_arrival():
    inbox: queue.SimpleQueue[Received] = queue.SimpleQueue()
    for mid in range(1, 451):
        inbox.put(received(mid))
    sizes, mids = [], []
    while batch := gather(inbox, wait=0.01):
        sizes.append(len(batch))
        mids += [item.mid for item in batch]
    assert sizes == [200, 200, 50]
    assert mids == list(range(1, 451))


def test_a_batch_closes_50_ms_after_its_first_message():
    inbox: queue.SimpleQueue[Received] = queue.SimpleQueue()
    inbox.put(received(1))
    started = time.monotonic()
    assert [item.mid for item in gather(inbox)] == [1]
    assert 0.04 <= time.monotonic() - started < 2
    assert gather(inbox, wait=0.01) == []


def test_a_backlog_goes_at_once():
    inbox: queue.SimpleQueue[Received] = queue.SimpleQueue()
    for mid in range(3):
        inbox.put(received(mid, arrived=time.monotonic() - 10))
    started = time.monotonic()
    assert len(gather(inbox, seconds=5)) == 3  # their 5 s ran out long ago
    assert time.monotonic() - started < 1


def test_the_task_rows_carry_topic_payload_and_time():
    item = Received("linli/x", b"\x00{}", datetime(2026, 1, 2, tzinfo=UTC), 7, 1, 1,
                    0.0)
    [[topic, payload, at]] = task_rows([item])
    assert topic == "linli/x" and base64.b64decode(payload) == b"\x00{}"
    assert at == "2026-01-02T00:00:00+00:00"


# --- acknowledged only once safely queued or handled -----------------------------------------

def test_with_a_broker_a_batch_is_queued_then_acknowledged_in_order(monkeypatch):
    calls: list[tuple[list, int]] = []

    def publish(rows, priority):
        calls.append((rows, priority))
        if len(calls) == 1:
            raise ConnectionError("the queue is down")

    monkeypatch.setattr(mqtt, "_publish", publish)
    sub = subscriber(in_process=False)
    deliver(sub, *(fake_message(f"linli/a/manhole/D{i}/heartbeat", b"{}", i)
                   for i in (5, 3, 9)))
    assert len(calls) == 2  # refused once, then queued
    assert len(calls[1][0]) == 3 and calls[1][1] == mqtt.URGENT
    assert sub._client.acks == [(5, 1), (3, 1), (9, 1)]  # type: ignore[union-attr]
    assert sub.counts["queued"] == 3


def test_telemetry_is_queued_behind_alarms(monkeypatch):
    calls: list[tuple[list, int]] = []
    monkeypatch.setattr(mqtt, "_publish", lambda rows, priority: calls.append((rows, priority)))
    sub = subscriber(in_process=False)
    deliver(sub, fake_message("linli/a/manhole/D/telemetry", b"{}", 1),
            fake_message("linli/a/manhole/D/alarm", b"{}", 2),
            fake_message("linli/a/manhole/E/telemetry", b"{}", 3))
    assert [(len(rows), priority) for rows, priority in calls] == [
        (1, mqtt.URGENT), (2, mqtt.ROUTINE)]
    assert calls[0][0][0][0] == "linli/a/manhole/D/alarm"
    assert sorted(sub._client.acks) == [(1, 1), (2, 1), (3, 1)]  # type: ignore[union-attr]


def test_nothing_is_acknowledged_when_stopping_before_the_queue_took_it(monkeypatch):
    def publish(rows, priority):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(mqtt, "_publish", publish)
    sub = subscriber(in_process=False)
    sub._stopping.wait = lambda timeout=None: True  # type: ignore[method-assign]
    deliver(sub, fake_message("linli/a/manhole/D/heartbeat", b"{}", 1))
    assert sub._client.acks == []  # type: ignore[union-attr]


def test_in_process_a_busy_database_is_waited_for_and_a_bug_given_up(monkeypatch, db):
    seen: list[str] = []

    def handle(topic, payload, received_at):
        seen.append(topic)
        if topic == "busy" and seen.count("busy") == 1:
            raise OperationalError("database is locked")
        if topic == "bug":
            raise ValueError("a bug")
        return "handled"

    monkeypatch.setattr(mqtt, "message_handle", handle)
    sub = subscriber(in_process=True)
    deliver(sub, fake_message("busy", b"{}", 1), fake_message("bug", b"{}", 2),
            fake_message("fine", b"{}", 3))
    assert seen == ["busy", "busy", "bug", "bug", "bug", "fine"]
    assert sub._client.acks == [(1, 1), (2, 1), (3, 1)]  # type: ignore[union-attr]
    assert sub.counts["handled"] == 2 and sub.counts["failed"] == 1


def test_in_process_what_was_not_handled_when_stopping_stays_unacknowledged(monkeypatch, db):
    def handle(topic, payload, received_at):
        if topic == "down":
            raise OperationalError("server closed the connection")
        return "handled"

    monkeypatch.setattr(mqtt, "message_handle", handle)
    sub = subscriber(in_process=True)
    sub._stopping.wait = lambda timeout=None: True  # type: ignore[method-assign]
    deliver(sub, fake_message("up", b"{}", 1), fake_message("down", b"{}", 2),
            fake_message("up", b"{}", 3))
    assert sub._client.acks == [(1, 1)]  # type: ignore[union-attr]


def test_messages_of_an_earlier_connection_and_qos_0_are_not_acknowledged(monkeypatch, db):
    monkeypatch.setattr(mqtt, "message_handle", lambda *args: "handled")
    sub = subscriber(in_process=True)
    sub._on_message(None, None, fake_message("a", b"{}", 1))
    sub._connection = 2  # the broker was reconnected: message 1 comes again
    sub._on_message(None, None, fake_message("b", b"{}", 2))
    sub._on_message(None, None, fake_message("c", b"{}", 3, qos=0))
    sub.flush(gather(sub._inbox, wait=0.01))
    assert sub._client.acks == [(2, 1)]  # type: ignore[union-attr]
    assert sub.counts["done"] == 3


def test_a_topic_that_is_not_utf8_is_refused_not_raised(monkeypatch, db):
    sub = subscriber(in_process=True)

    class Broken:
        payload, mid, qos = b"{}", 1, 1

        @property
        def topic(self):
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid")

    seen = []
    monkeypatch.setattr(mqtt, "message_handle", lambda topic, *args: seen.append(topic))
    deliver(sub, Broken())
    assert seen == ["(not UTF-8)"]


def test_the_shared_subscription_and_the_prefix(settings):
    settings.MQTT_PREFIX = "t1"
    assert Subscriber("mqtt://h", shared=False).topic_filter == "t1/+/+/+/+"
    assert Subscriber("mqtt://h", shared=True).topic_filter == "$share/linli/t1/+/+/+/+"
    with pytest.raises(ValueError, match="off"):
        Subscriber("off")


def test_connecting_subscribes_at_qos_1():
    sub = subscriber(in_process=True)
    client = FakeClient()
    code = SimpleNamespace(is_failure=False)
    sub._on_connect(client, None, SimpleNamespace(session_present=True), code, None)
    assert client.subscribed == (sub.topic_filter, 1) and sub._connection == 2
    sub._on_subscribe(client, None, 1, [code], None)
    assert sub.subscribed.is_set()
    sub._on_disconnect(client, None, None, "lost", None)
    assert not sub.subscribed.is_set()


# --- the whole way in-process, on the database -----------------------------------------------

# Transactional, as in the subscriber's thread: between batches it closes a connection
# left inside a transaction, which a test's own transaction would be.
@pytest.mark.django_db(transaction=True)
def test_in_process_a_batch_is_handled_once_and_acknowledged(iot):
    sub = subscriber(in_process=True)
    alarm = topic_name(iot.community_a.code, "manhole", "MH-1", "alarm")
    body = json.dumps({"id": "a1", "ts": timezone.now().isoformat(), "type": "open"}).encode()
    deliver(sub, fake_message(alarm, body, 1), fake_message(alarm, b"{bad", 2),
            fake_message(alarm, body, 3))
    assert Case.objects.count() == 1 and Alarm.objects.get().repeats == 0
    assert sorted(Rejection.objects.values_list("reason", flat=True)) == [
        Reason.MALFORMED, Reason.REPLAYED]
    assert sub._client.acks == [(1, 1), (2, 1), (3, 1)]  # type: ignore[union-attr]
    assert sub.counts["handled"] == 1 and sub.counts["refused"] == 2


def test_the_task_handles_what_the_subscriber_queued(iot):
    heartbeat = topic_name(iot.community_a.code, "manhole", "MH-1", "heartbeat")
    body = json.dumps({"id": "h1", "ts": timezone.now().isoformat(), "battery": 77}).encode()
    rows = task_rows([Received(heartbeat, body, timezone.now(), 1, 1, 1, 0.0)])
    assert handle_messages(rows) == 1
    assert Device.objects.get(pk=iot.cover.pk).battery == 77


# --- the simulator's traffic ---------------------------------------------------------------

@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_says_plausible_things(kind):
    rng = random.Random(7)
    for hour in (3, 8, 14, 22):
        values = simulate.readings(kind, rng, hour)
        assert all(isinstance(value, int | float) for value in values.values())
    day = [simulate.readings(kind, rng, 14) for _ in range(200)]
    if kind == Kind.MANHOLE:
        assert max(v["tilt_deg"] for v in day) < 15  # no alarm from everyday readings
    if kind == Kind.GAS:
        assert max(v["lel_pct"] for v in day) < 20
    if kind == Kind.ENVIRONMENT:
        assert 40 < sum(v["noise_db"] for v in day) / 200 < 70
        assert min(v["pm25"] for v in day) >= 3
    if kind == Kind.DOOR:
        assert all(v["opens"] >= 0 for v in day) and sum(v["opens"] for v in day) > 0


def test_simulated_messages_pass_the_checks(iot, settings):
    sim = Simulator(Recording(), lambda line: None, rng=random.Random(1))
    for kind in (Kind.ENVIRONMENT, Kind.MANHOLE):
        device = SimDevice("X", kind, iot.community_a.code)
        for channel in ("heartbeat", "telemetry"):
            body = sim.body(device, values=simulate.readings(kind, sim.rng, 12))
            message = message_parse(device.topic(channel), json.dumps(body).encode(),
                                    timezone.now())
            assert message.published_at is not None and "battery" in message.values


def test_the_tilt_scenario_opens_a_case_and_the_cover_off_joins_it(iot):
    recording, lines = Recording(), list[str]()
    sim = Simulator(recording, lines.append, sleep=lambda seconds: None)
    sim.tilt(sim_device(iot.cover))
    assert set(recording.results) == {"handled"}
    tilt = Alarm.objects.get(alarm_type="tilt")
    assert tilt.case is not None and tilt.case.unit == iot.unit_a and tilt.repeats >= 1
    opened = Alarm.objects.get(alarm_type="open")
    assert opened.attached and opened.case_id == tilt.case_id
    assert Case.objects.count() == 1
    assert any("tilt_deg" in line for line in lines)


def test_the_help_scenario_is_an_emergency(iot):
    button = make_device(iot.dwelling_a, kind=Kind.HELP_BUTTON, identifier="HB-1")
    recording = Recording()
    Simulator(recording, lambda line: None).help(sim_device(button))
    alarm = Alarm.objects.get(device=button)
    assert alarm.is_emergency and alarm.case is not None


def test_a_storm_raises_every_devices_alarm(iot):
    gas = make_device(iot.estate_a, kind=Kind.GAS, identifier="GAS-1", unit=iot.unit_a)
    lift = make_device(iot.estate_a, kind=Kind.LIFT, identifier="LIFT-1", unit=iot.unit_a)
    recording = Recording()
    sim = Simulator(recording, lambda line: None, sleep=lambda seconds: None)
    sim.storm([sim_device(d) for d in (iot.cover, gas, lift)], seconds=1, rate=0)
    assert set(recording.results) == {"handled"}
    assert set(Alarm.objects.values_list("device__identifier", "alarm_type")) == {
        ("MH-1", "open"), ("GAS-1", "gas_leak"), ("LIFT-1", "fault")}


def test_mixed_traffic_is_handled_and_counted(iot):
    make_device(iot.estate_a, kind=Kind.ENVIRONMENT, identifier="ENV-1")
    make_device(iot.estate_a, kind=Kind.DOOR, identifier="DOOR-1")
    devices = simulate.devices_load(community=iot.community_a.code)
    assert {d.identifier for d in devices} == {"MH-1", "ENV-1", "DOOR-1"}
    recording, lines = Recording(), list[str]()
    sim = Simulator(recording, lines.append, rng=random.Random(3), sleep=lambda s: None)
    sim.mixed(devices, seconds=1, rate=1000)
    assert len(recording.sent) > 3 and set(recording.results) == {"handled"}
    assert Telemetry.objects.exists()
    assert "sent" in sim.summary()


def test_a_one_shot_alarm_and_its_clearing(iot):
    recording = Recording()
    sim = Simulator(recording, lambda line: None)
    sim.one_shot(sim_device(iot.cover), "open")
    sim.one_shot(sim_device(iot.cover), "open", clear=True)
    assert Alarm.objects.get().state == AlarmState.CLEARED


def test_the_command_refuses_what_it_cannot_do(iot, settings):
    settings.MQTT_URL = "off"
    with pytest.raises(CommandError, match="off"):
        call_command("iot", "simulate", stdout=StringIO())
    with pytest.raises(CommandError, match="--device"):
        call_command("iot", "simulate", "--url", "mqtt://127.0.0.1:1", "--alarm", "open",
                     stdout=StringIO())
    with pytest.raises(CommandError, match="no active device"):
        call_command("iot", "simulate", "--url", "mqtt://127.0.0.1:1", "--device", "NOPE",
                     stdout=StringIO())
    with pytest.raises(CommandError, match="cannot reach"):
        call_command("iot", "simulate", "--url", "mqtt://127.0.0.1:1", stdout=StringIO())


# --- `linli run` -----------------------------------------------------------------------------

def test_linli_run_starts_no_ingestion_when_off(settings):
    settings.MQTT_URL = "off"
    children: list = []
    assert cli._iot_start(children, eager=True) == (None, "IoT ingestion off "
                                                          "(LINLI_MQTT_URL=off)")
    assert children == []


def test_linli_run_with_a_celery_broker_starts_linli_iot_beside_it(settings, monkeypatch):
    settings.MQTT_URL = "mqtt://linli:secret@broker:1883"
    started: list[list[str]] = []
    monkeypatch.setattr(cli.subprocess, "Popen", lambda command: started.append(command))
    children: list = []
    subscriber, line = cli._iot_start(children, eager=False)
    assert subscriber is None and started[0][-3:] == ["linli.cli", "iot", "listen"]
    assert "mqtt://linli@broker:1883" in line and "secret" not in line


def test_linli_run_embedded_never_waits_for_an_unreachable_broker(settings, db):
    settings.MQTT_URL = "mqtt://127.0.0.1:1"  # nothing listens there
    started = time.monotonic()
    subscriber, line = cli._iot_start([], eager=True)
    try:
        assert subscriber is not None and "in-process" in line
        assert time.monotonic() - started < 1
    finally:
        assert subscriber is not None
        subscriber.stop(timeout=5)
