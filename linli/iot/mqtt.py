"""The MQTT subscriber: the devices' messages from the broker into Linli, at least once
(docs/iot.md, "Ingestion").

paho's network thread only puts each message on a local queue. One worker thread gathers
them into batches (BATCH_SIZE messages, or BATCH_SECONDS after the first one arrived) and
hands each batch on: with a Celery broker it is queued as one `iot.handle_messages` task;
in the embedded default (in-process tasks) the worker thread handles it itself, never
paho's thread. Only then are the messages acknowledged (PUBACK, paho's manual_ack), in the
order they came. The session is persistent (a fixed client id, clean_start off, a session
expiry), so the broker keeps what Linli has not acknowledged, and what arrives while it is
away, and delivers it again on the next connection; a message delivered twice is handled
once (its id, services.ingest).
"""

import base64
import logging
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as paho
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from linli.core.tasks import eager, send_now
from linli.iot.messages import subscription
from linli.iot.services.ingest import HANDLED, message_handle

log = logging.getLogger(__name__)

BATCH_SIZE = 200
BATCH_SECONDS = 0.05
# How many unacknowledged messages the broker may send ahead of the acknowledgements: a
# few batches, so the next batch gathers while one is handed on.
RECEIVE_MAXIMUM = 1000
KEEPALIVE_SECONDS = 30
RECONNECT_MIN_SECONDS, RECONNECT_MAX_SECONDS = 1, 30
SHARE_GROUP = "linli"
REPORT_SECONDS = 60.0
OFF = ("", "off", "none", "false", "0")


# --- where the broker is ------------------------------------------------------------------

@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    def __str__(self) -> str:
        """The address without the password (for logs and the start line)."""
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"


def broker_parse(url: str) -> Broker | None:
    """LINLI_MQTT_URL, e.g. mqtt://user:password@host:1883 or mqtts://host:8883; None
    when ingestion is off (`off`)."""
    url = url.strip()
    if url.lower() in OFF:
        return None
    shown = url.split("@")[-1]  # never a password in an error message
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"LINLI_MQTT_URL must look like mqtt://user:password@host:1883 "
                         f"(or mqtts://…; `off` turns ingestion off), not …{shown}")
    tls = parts.scheme == "mqtts"
    return Broker(parts.hostname, port or (8883 if tls else 1883),
                  unquote(parts.username) if parts.username else None,
                  unquote(parts.password) if parts.password else None, tls)


class _PahoNoise(logging.Filter):
    """paho 2.2 logs an error when its loop runs once more after a wanted disconnect."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Client is not connected")


_paho_log = logging.getLogger("linli.iot.paho")
_paho_log.addFilter(_PahoNoise())


def client_make(broker: Broker, client_id: str, *, manual_ack: bool = False) -> paho.Client:
    """A paho client (MQTT 5) with the broker's credentials; the simulator uses it too."""
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=paho.MQTTv5, manual_ack=manual_ack)
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        client.tls_set()  # the system's certificate authorities
    client.enable_logger(_paho_log)
    # An error in a callback is logged; it must never end the network thread.
    client.suppress_exceptions = True
    return client


def connect_properties(*, session_seconds: int = 0,
                       receive_maximum: int | None = None) -> Properties:
    properties = Properties(PacketTypes.CONNECT)
    if session_seconds:
        properties.SessionExpiryInterval = session_seconds
    if receive_maximum:
        properties.ReceiveMaximum = receive_maximum
    return properties


# --- batches ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    received_at: datetime
    mid: int
    qos: int
    connection: int  # which connection brought it: a PUBACK goes back on the same one
    arrived: float  # time.monotonic()


def gather(inbox: "queue.SimpleQueue[Received]", size: int = BATCH_SIZE,
           seconds: float = BATCH_SECONDS, wait: float = 0.5) -> list[Received]:
    """The next batch in the order the messages came: at most `size`, what arrived within
    `seconds` of the first (a backlog goes at once); empty if nothing came within `wait`."""
    try:
        first = inbox.get(timeout=wait)
    except queue.Empty:
        return []
    batch, deadline = [first], first.arrived + seconds
    while len(batch) < size:
        left = deadline - time.monotonic()
        try:
            batch.append(inbox.get(timeout=left) if left > 0 else inbox.get_nowait())
        except queue.Empty:
            break
    return batch


# Redis takes 0 first (kombu's priority steps, settings.CELERY_BROKER_TRANSPORT_OPTIONS):
# alarms, heartbeats and wills go ahead of telemetry (and every other task's default, 0,
# is as urgent as an alarm), so a storm of readings never delays a case.
URGENT, ROUTINE = 0, 9


def _by_urgency(batch: list[Received]) -> list[tuple[list[Received], int]]:
    """The batch split by how soon it must be handled. A device's telemetry may then be
    handled after a later alarm of the same device: the alarm services refuse a clearing
    reading older than the alarm (services.alarms.alarm_recover)."""
    routine = [item for item in batch if item.topic.endswith("/telemetry")]
    urgent = [item for item in batch if not item.topic.endswith("/telemetry")]
    return [(items, priority) for items, priority in ((urgent, URGENT), (routine, ROUTINE))
            if items]


def _publish(rows: list[list[str]], priority: int) -> None:
    send_now("iot.handle_messages", rows, priority=priority)


def task_rows(batch: list[Received]) -> list[list[str]]:
    """The batch as `iot.handle_messages` takes it: [topic, payload base64, received ISO]."""
    return [[item.topic, base64.b64encode(item.payload).decode("ascii"),
             item.received_at.isoformat()] for item in batch]


# --- the subscriber ---------------------------------------------------------------------------

class Subscriber:
    """Subscribes to every device topic and hands the messages on (see the module's doc).
    `start()` returns at once: paho connects, and reconnects with backoff, in its thread;
    a broker that cannot be reached is logged and retried, never raised."""

    def __init__(self, url: str | None = None, *, client_id: str | None = None,
                 shared: bool | None = None, session_seconds: int | None = None,
                 in_process: bool | None = None, batch_size: int = BATCH_SIZE,
                 batch_seconds: float = BATCH_SECONDS) -> None:
        broker = broker_parse(settings.MQTT_URL if url is None else url)
        if broker is None:
            raise ValueError("MQTT ingestion is off (LINLI_MQTT_URL=off)")
        self.broker = broker
        self.client_id = client_id or settings.MQTT_CLIENT_ID
        shared = settings.MQTT_SHARED if shared is None else shared
        self.topic_filter = (f"$share/{SHARE_GROUP}/{subscription()}" if shared
                             else subscription())
        self.session_seconds = (settings.MQTT_SESSION_HOURS * 3600 if session_seconds is None
                                else session_seconds)
        self.in_process = eager() if in_process is None else in_process
        self.batch_size, self.batch_seconds = batch_size, batch_seconds
        self.counts: Counter[str] = Counter()
        self.subscribed = threading.Event()
        self._inbox: queue.SimpleQueue[Received] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._connection = 0
        self._unreachable = 0
        self._client: paho.Client | None = None
        self._worker: threading.Thread | None = None

    @property
    def mode(self) -> str:
        return "handled in-process" if self.in_process else "queued to the Celery workers"

    def describe(self) -> str:
        return f"{self.topic_filter} on {self.broker} as {self.client_id}, {self.mode}"

    # --- life ------------------------------------------------------------------------------

    def start(self) -> None:
        client = client_make(self.broker, self.client_id, manual_ack=True)
        client.on_connect = self._on_connect
        client.on_connect_fail = self._on_connect_fail
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.reconnect_delay_set(RECONNECT_MIN_SECONDS, RECONNECT_MAX_SECONDS)
        client.connect_async(self.broker.host, self.broker.port, KEEPALIVE_SECONDS,
                             clean_start=False, properties=connect_properties(
                                 session_seconds=self.session_seconds,
                                 receive_maximum=RECEIVE_MAXIMUM))
        self._client = client
        self._worker = threading.Thread(target=self._work, name="linli-iot-worker",
                                        daemon=True)
        self._worker.start()
        client.loop_start()
        log.info("iot: subscribing to %s", self.describe())

    def stop(self, timeout: float = 30) -> None:
        """Finish the batch in hand, then disconnect. What is left unacknowledged stays in
        the broker's session and comes again next time."""
        self._stopping.set()
        if self._worker is not None:
            self._worker.join(timeout)
        if self._client is not None:
            self._client.disconnect()
            self._client.loop_stop()
        self.subscribed.clear()
        log.info("iot: subscriber stopped (%s)", self.summary())

    # --- paho's thread: never blocks, never raises ------------------------------------------

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("iot: the MQTT broker %s refused the connection: %s (check "
                      "LINLI_MQTT_URL's user and password); retrying", self.broker,
                      reason_code)
            return
        self._connection += 1
        if self._unreachable:
            log.info("iot: reached the MQTT broker after %d failed attempts",
                     self._unreachable)
        self._unreachable = 0
        log.info("iot: connected to %s as %s (%s session)", self.broker, self.client_id,
                 "resumed" if flags.session_present else "new")
        client.subscribe(self.topic_filter, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        refused = [code for code in reason_codes if code.is_failure]
        if refused:
            log.error("iot: the broker refused the subscription to %s: %s (its ACL must let "
                      "%s read it)", self.topic_filter, refused[0], self.client_id)
            return
        log.info("iot: subscribed to %s (QoS 1)", self.topic_filter)
        self.subscribed.set()

    def _on_connect_fail(self, client, userdata) -> None:
        self._unreachable += 1
        if self._unreachable == 1 or self._unreachable % 20 == 0:
            log.warning("iot: cannot reach the MQTT broker at %s (%d attempts); retrying "
                        "every %d s at most. Start the broker, or set LINLI_MQTT_URL=off "
                        "to turn IoT ingestion off.", self.broker, self._unreachable,
                        RECONNECT_MAX_SECONDS)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self.subscribed.clear()
        if self._stopping.is_set():
            return
        log.warning("iot: lost the connection to %s (%s); reconnecting", self.broker,
                    reason_code)

    def _on_message(self, client, userdata, message) -> None:
        try:
            topic = message.topic
        except UnicodeDecodeError:  # refused as a bad topic, like any other
            topic = "(not UTF-8)"
        self.counts["received"] += 1
        self._inbox.put(Received(topic, bytes(message.payload), timezone.now(), message.mid,
                                 message.qos, self._connection, time.monotonic()))

    # --- the worker thread ------------------------------------------------------------------

    def _work(self) -> None:
        reported, since = time.monotonic(), Counter(self.counts)
        try:
            while not self._stopping.is_set():
                batch = gather(self._inbox, self.batch_size, self.batch_seconds)
                if batch:
                    self.flush(batch)
                if time.monotonic() - reported >= REPORT_SECONDS:
                    self._report(since)
                    reported, since = time.monotonic(), Counter(self.counts)
        except Exception:  # a bug here: say so; the broker keeps what was not acknowledged
            log.exception("iot: the subscriber's worker stopped")
        finally:
            connections.close_all()

    def flush(self, batch: list[Received]) -> None:
        """Hand the batch on, then acknowledge what was safely queued or handled."""
        done = self._handle(batch) if self.in_process else self._queue(batch)
        self._ack(batch[:done])
        self.counts["batches"] += 1

    def _queue(self, batch: list[Received]) -> int:
        pause = 0.5
        while True:
            try:
                for items, priority in _by_urgency(batch):
                    _publish(task_rows(items), priority)
            except Exception as exc:  # the queue or its database is down: keep the batch
                log.warning("iot: could not queue %d messages (%s); retrying in %.1f s",
                            len(batch), exc, pause)
                if self._stopping.wait(pause):
                    return 0
                pause = min(pause * 2, 10)
                continue
            self.counts["queued"] += len(batch)
            return len(batch)

    def _handle(self, batch: list[Received]) -> int:
        close_old_connections()
        for index, item in enumerate(batch):
            if not self._handle_one(item):
                return index
        return len(batch)

    def _handle_one(self, item: Received) -> bool:
        """True once the message is handled (or given up); False if stopping first."""
        pause, failures = 0.2, 0
        while True:
            try:
                result = message_handle(item.topic, item.payload, item.received_at)
            except (OperationalError, InterfaceError) as exc:
                # The database is down or busy: wait for it, never drop the message.
                log.warning("iot: database unavailable handling a message on %s (%s); "
                            "retrying in %.1f s", item.topic[:255], exc, pause)
                close_old_connections()
            except Exception:
                failures += 1
                if failures >= 3:  # a bug on this message must not hold up the others
                    log.exception("iot: could not handle a message on %s (%d bytes); "
                                  "gave up on it", item.topic[:255], len(item.payload))
                    self.counts["failed"] += 1
                    return True
            else:
                self.counts["handled" if result == HANDLED else "refused"] += 1
                return True
            if self._stopping.wait(pause):
                return False
            pause = min(pause * 2, 5)

    def _ack(self, items: list[Received]) -> None:
        client = self._client
        for item in items:
            # A message from an earlier connection comes again on this one (its PUBACK
            # would be lost); that copy is refused as a replay.
            if item.qos and client is not None and item.connection == self._connection:
                client.ack(item.mid, item.qos)
        self.counts["done"] += len(items)

    def _report(self, since: Counter) -> None:
        delta = self.counts - since
        if delta:
            log.info("iot: in the last minute %s", self.summary(delta))

    def summary(self, counts: Counter | None = None) -> str:
        counts = self.counts if counts is None else counts
        names = ("received", "handled", "refused", "queued", "failed", "batches")
        return ", ".join(f"{counts[name]} {name}" for name in names if counts[name]) or \
            "nothing received"
