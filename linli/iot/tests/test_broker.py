"""The subscriber against a real broker (Mosquitto): publish → case, a duplicate handled
once, nothing lost across a broker restart, offline after a missed heartbeat or at once
from a last will.

Each test has its own topic prefix and client id, so it never sees another run's messages
and never takes over another run's session. The subscriber runs in its own threads, as in
`linli run`, so the tests are transactional: its thread must see the committed rows. On
SQLite the test database is in memory with a shared cache, which every thread's connection
opens; a thread reading a table another is writing is refused at once ("table is locked")
rather than waiting, so the test waits through that (`until`), and the subscriber retries
it like any busy database.
"""

import getpass
import json
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import paho.mqtt.client as paho
import pytest
from django.db import OperationalError
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion

from linli.cases.models import Case
from linli.conftest import REQUIRE_SERVICES, require_service
from linli.iot import mqtt
from linli.iot.messages import topic_name
from linli.iot.models import (
    Alarm,
    Device,
    Kind,
    Reason,
    ReceivedMessage,
    Rejection,
    Status,
    Telemetry,
)
from linli.iot.mqtt import Subscriber, broker_parse
from linli.iot.services.health import offline_sweep
from linli.iot.simulate import DeviceConnection, SimDevice
from linli.iot.tests.factories import make_device, ready

pytestmark = [pytest.mark.mqtt, pytest.mark.django_db(transaction=True)]
SYSTEM_BROKER = "mqtt://127.0.0.1:1883"


# --- helpers ------------------------------------------------------------------------------

def until(check: Callable[[], object], timeout: float = 60, what: str = "") -> None:
    """Wait until `check()` is true (a locked SQLite table counts as not yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OperationalError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what or check}")


@contextmanager
def listening(url: str = SYSTEM_BROKER, client_id: str = "") -> Iterator[Subscriber]:
    subscriber = Subscriber(url, client_id=client_id or f"linli-test-{uuid.uuid4().hex[:8]}",
                            session_seconds=120, in_process=True, shared=False)
    subscriber.start()
    try:
        assert subscriber.subscribed.wait(15), "the subscriber did not subscribe"
        yield subscriber
    finally:
        subscriber.stop(timeout=10)


def publish(messages: list[tuple[str, dict]], url: str = SYSTEM_BROKER) -> None:
    """Publish at QoS 1 and wait until the broker has each one (its PUBACK)."""
    broker = broker_parse(url)
    assert broker is not None
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}",
                         protocol=paho.MQTTv5)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        infos = [client.publish(topic, json.dumps(body), qos=1) for topic, body in messages]
        for info in infos:
            info.wait_for_publish(10)
            assert info.is_published()
    finally:
        client.disconnect()
        client.loop_stop()


def body(message_id: str | None = None, **fields) -> dict:
    return {"id": message_id or uuid.uuid4().hex[:16], "ts": timezone.now().isoformat(),
            "sent": time.time(), **fields}


def topic(device: Device, channel: str) -> str:
    return topic_name(device.community.code, device.kind, device.identifier, channel)


def slowly(handle: Callable[..., str]) -> Callable[..., str]:
    def slow(*args) -> str:
        time.sleep(0.15)
        return handle(*args)

    return slow


@pytest.fixture
def mosquitto():
    require_service("Mosquitto", "127.0.0.1", 1883)


@pytest.fixture
def iot(world, mosquitto, settings):
    settings.MQTT_PREFIX = f"test-{uuid.uuid4().hex[:10]}/linli"
    ready()
    world.cover = make_device(world.estate_a, kind=Kind.MANHOLE, identifier="MH-1",
                              unit=world.unit_a, name="花楼小区1号井盖")
    return world


class PrivateBroker:
    """A Mosquitto of the test's own on a free port, persistence on, to restart at will
    (the system's broker is never restarted)."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.config = folder / "mosquitto.conf"
        # Started as root, Mosquitto becomes `user`: stay the owner of the folder.
        self.config.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                               f"user {getpass.getuser()}\npersistence true\n"
                               f"persistence_location {folder}/\n"
                               f"log_dest file {folder}/mosquitto.log\n")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(["mosquitto", "-c", str(self.config)])
        until(lambda: _reachable(self.port), 10, "the private broker listens")

    def stop(self) -> None:
        """A clean stop: Mosquitto writes its sessions and queued messages to disk."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def private_broker(tmp_path) -> Iterator[PrivateBroker]:
    if shutil.which("mosquitto") is None:
        message = "no mosquitto binary to run a private broker (apt-get install mosquitto)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    broker = PrivateBroker(tmp_path)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


# --- the tests ------------------------------------------------------------------------------

def test_a_published_alarm_opens_a_case_routed_to_the_owner_unit(iot):
    with listening() as subscriber:
        publish([(topic(iot.cover, "alarm"), body(type="open"))])
        until(lambda: subscriber.counts["done"] >= 1, what="the alarm handled")
    alarm = Alarm.objects.get()
    case = Case.objects.get(pk=alarm.case_id or 0)
    assert case.unit == iot.unit_a and case.category.code == "01001"
    # Publish-to-case is measured from the publisher's clock (bench/iot.py reports it).
    assert alarm.published_at is not None and alarm.case_opened_at is not None
    assert alarm.published_at <= alarm.case_opened_at


def test_a_duplicate_is_handled_once_and_bad_messages_change_nothing(iot):
    same = body("same-id", type="open")
    with listening() as subscriber:
        publish([(topic(iot.cover, "alarm"), same), (topic(iot.cover, "alarm"), same)])
        until(lambda: subscriber.counts["done"] >= 2, what="both copies handled")
        # Nothing a device sends stops the subscriber.
        ghost = topic_name(iot.community_a.code, "manhole", "NOPE", "alarm")
        publish([(topic(iot.cover, "alarm"), {"junk": True}),
                 (ghost, body(type="open")), (topic(iot.cover, "alarm"), body(type="open"))])
        until(lambda: subscriber.counts["done"] >= 5, what="the rest handled")
    alarm = Alarm.objects.get()
    assert alarm.repeats == 1  # the second distinct message, not the duplicate
    assert sorted(Rejection.objects.values_list("reason", flat=True)) == sorted(
        [Reason.REPLAYED, Reason.MISSING, Reason.UNKNOWN_DEVICE])
    assert Case.objects.count() == 1


def test_nothing_is_lost_while_linli_is_away_or_the_broker_restarts(iot, private_broker,
                                                                    monkeypatch):
    client_id = f"linli-test-{uuid.uuid4().hex[:8]}"
    heartbeat = topic(iot.cover, "telemetry")
    batches = [[(heartbeat, body(values={"tilt_deg": 1})) for _ in range(10)]
               for _ in range(4)]
    ids = {message["id"] for batch in batches for _topic, message in batch}

    def stored() -> int:
        return Telemetry.objects.filter(device=iot.cover).count()

    with listening(private_broker.url, client_id):
        publish(batches[0], private_broker.url)
        until(lambda: stored() == 10, what="the first batch")
    # Linli is away: the broker keeps its session's messages, through its own restart.
    publish(batches[1], private_broker.url)
    private_broker.restart()
    with listening(private_broker.url, client_id) as subscriber:
        until(lambda: stored() == 20, what="the messages sent while Linli was away")
        # The broker restarts under the running subscriber, which reconnects by itself;
        # what is published before it is back waits in its session.
        private_broker.restart()
        publish(batches[2], private_broker.url)
        until(lambda: stored() == 30, 60, "the messages sent across the restart")
        # The broker restarts while a batch is in hand, not yet acknowledged: it delivers
        # the batch again, and the copies are refused as replays.
        monkeypatch.setattr(mqtt, "message_handle", slowly(mqtt.message_handle))
        until(subscriber.subscribed.is_set, 30, "the subscriber back")
        received = subscriber.counts["received"]
        publish(batches[3], private_broker.url)
        until(lambda: subscriber.counts["received"] > received, 10, "the batch in hand")
        private_broker.restart()
        until(lambda: stored() == 40, 60, "the batch in hand at the restart")
    handled = set(ReceivedMessage.objects.filter(device=iot.cover)
                  .values_list("message_id", flat=True))
    assert handled == ids and stored() == 40  # every message, each once


def test_a_missed_heartbeat_is_offline_within_the_timeout_and_10_s(iot):
    Device.objects.filter(pk=iot.cover.pk).update(heartbeat_seconds=2)
    with listening() as subscriber:
        publish([(topic(iot.cover, "heartbeat"), body(battery=90))])
        until(lambda: subscriber.counts["done"] >= 1, what="the heartbeat handled")
    heard = Device.objects.get(pk=iot.cover.pk).last_seen_at
    assert heard is not None
    # The health sweep, as the schedule runs it (every LINLI_IOT_HEALTH_SWEEP_SECONDS);
    # the time that counts is when the sweep that marked it offline ran.
    while True:
        swept = timezone.now()
        assert (swept - heard).total_seconds() <= 2 + 10, "not offline in time"
        if offline_sweep(swept):
            break
        time.sleep(1)
    device = Device.objects.get(pk=iot.cover.pk)
    assert device.status == Status.OFFLINE and device.offline_since is not None
    assert (swept - heard).total_seconds() >= 2  # not before its timeout
    alarm = Alarm.objects.get(alarm_type="offline")
    assert alarm.case is not None and alarm.case.unit == iot.unit_a


def test_a_last_will_marks_the_device_offline_at_once(iot):
    sim = SimDevice(iot.cover.identifier, iot.cover.kind, iot.community_a.code)
    with listening() as subscriber:
        connection = DeviceConnection(broker_parse(SYSTEM_BROKER), sim)  # type: ignore[arg-type]
        connection.publish(sim.topic("heartbeat"), body(battery=80))
        until(lambda: subscriber.counts["done"] >= 1, what="the heartbeat handled")
        assert Device.objects.get(pk=iot.cover.pk).status == Status.ACTIVE
        connection.drop()  # no DISCONNECT: the broker publishes the will at once
        until(lambda: subscriber.counts["received"] >= 2, 5, "the will")
        until(lambda: subscriber.counts["done"] >= 2, what="the will handled")
    device = Device.objects.get(pk=iot.cover.pk)
    assert device.status == Status.OFFLINE
    assert Alarm.objects.get(alarm_type="offline").detail == {"why": "last will"}
