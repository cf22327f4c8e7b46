"""One message from the broker, handled once: checked (messages.py), deduplicated by its
id, and turned into a sign of life, readings, an alarm or a recovery. A message that
cannot be handled is refused: logged with the reason, counted on its device when there is
one, and nothing else changes. The subscriber (mqtt.py) and the queue's workers
(tasks.py) call `message_handle`; it never raises for anything a device sends."""

import logging
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from linli.iot import rules
from linli.iot.messages import Message, Refused, Topic, message_parse
from linli.iot.models import (
    AlarmRule,
    Condition,
    Device,
    Kind,
    Reason,
    Rejection,
    Telemetry,
    TelemetryHour,
)
from linli.iot.services import access
from linli.iot.services.alarms import alarm_raise, alarm_recover
from linli.iot.services.health import LOW_BATTERY, battery_low_set, device_offline, device_seen

log = logging.getLogger(__name__)
HANDLED = "handled"


class _Replayed(Exception):
    pass


def message_handle(topic: str, payload: bytes, received_at: datetime | None = None) -> str:
    """Handle one message; returns "handled" or the reason it was refused."""
    received_at = received_at or timezone.now()
    try:
        message = message_parse(topic, payload, received_at)
        with transaction.atomic():
            device = _device_locked(message.topic)
            rule = _rule_for(device, message)
            _received(device, message, received_at)
            _handle(device, message, rule, received_at)
    except Refused as refused:
        return _refuse(refused, topic, received_at)
    except _Replayed:
        return _refuse(Refused(Reason.REPLAYED, message.message_id, message.topic), topic,
                       received_at)
    return HANDLED


def messages_handle(batch: list[tuple[str, bytes, datetime]]) -> dict[str, int]:
    """A batch from the queue in one transaction (one commit, not one per message); each
    message in its own savepoint, so one that fails for a reason of ours is logged and
    rolled back alone and the others are kept. Returns the outcomes counted."""
    outcomes: dict[str, int] = {}
    # Each message locks its device until the batch commits: taking the locks in one order
    # (by device; a device's own messages keep theirs) means two workers' batches never
    # wait for each other in a circle.
    ordered = sorted(batch, key=lambda item: _device_key(item[0]))
    with transaction.atomic():
        for topic, payload, received_at in ordered:
            try:
                with transaction.atomic():
                    outcome = message_handle(topic, payload, received_at)
            except Exception:  # a bug of ours must not lose the rest of the batch
                log.exception("iot: a message on %s failed", topic[:255])
                outcome = "failed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _device_key(topic: str) -> str:
    return topic.rsplit("/", 1)[0]


def _device_locked(topic: Topic) -> Device:
    """The topic's device, its row locked: one message of a device at a time, so its
    debounce state and alarms are read and written in order (any number of workers)."""
    # NO KEY UPDATE: the rows that point at the device (its messages, alarms) can still be
    # inserted by others meanwhile; only another message of this device waits.
    device = (Device.objects.select_for_update(of=("self",), no_key=True)
              .select_related("area", "owner_unit", "resident", "community")
              .filter(identifier=topic.identifier).first())
    if device is None:
        raise Refused(Reason.UNKNOWN_DEVICE, topic.identifier, topic)
    if device.community.code != topic.community_code or device.kind != topic.kind:
        raise Refused(Reason.WRONG_TOPIC, f"{device.identifier} is a {device.kind} of "
                      f"{device.community.code}", topic)
    if device.retired_at is not None:
        raise Refused(Reason.RETIRED, device.identifier, topic)
    return device


_RECEIVED_SQL = ("INSERT INTO iot_receivedmessage (device_id, message_id, received_at) "
                 "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING id")


def _received(device: Device, message: Message, at: datetime) -> None:
    """Record the message id, or refuse it as a replay: one statement either way (no
    savepoint to catch a unique violation in), on PostgreSQL and SQLite alike."""
    with connection.cursor() as cursor:
        cursor.execute(_RECEIVED_SQL, [device.pk, message.message_id,
                                       connection.ops.adapt_datetimefield_value(at)])
        if cursor.fetchone() is None:
            raise _Replayed


def _rule_for(device: Device, message: Message) -> AlarmRule | None:
    if message.topic.channel != "alarm":
        return None
    rule = rules.rule_for(device.kind, message.body["type"])
    if rule is None:
        raise Refused(Reason.UNKNOWN_TYPE, str(message.body["type"]), message.topic)
    return rule


def _refuse(refused: Refused, topic: str, at: datetime) -> str:
    device_id = None
    if refused.topic is not None and refused.reason not in (Reason.UNKNOWN_DEVICE,
                                                             Reason.BAD_TOPIC):
        device_id = (Device.objects.filter(identifier=refused.topic.identifier)
                     .values_list("pk", flat=True).first())
    with transaction.atomic():
        Rejection.objects.create(
            at=at, reason=refused.reason, topic=topic[:255], device_id=device_id,
            community_code=refused.topic.community_code if refused.topic else "",
            detail=refused.detail)
        if device_id is not None:
            Device.objects.filter(pk=device_id).update(rejected_count=F("rejected_count") + 1)
    log.info("iot: refused a message on %s: %s %s", topic[:255], refused.reason,
             refused.detail)
    return str(refused.reason)


def _handle(device: Device, message: Message, rule: AlarmRule | None, at: datetime) -> None:
    channel = message.topic.channel
    if channel == "heartbeat" and message.body.get("online") is False:
        device.messages_count += 1
        device.save(update_fields=["messages_count"])
        device_offline(device.pk, at, will=True)
        return
    device_seen(device, at, message.values.get("battery"))
    if channel == "telemetry":
        _telemetry_store(device, message, at)
        if device.kind == Kind.DOOR:
            access.door_activity(device=device, values=message.values, at=at)
    elif channel == "alarm":
        assert rule is not None
        _alarm_message(device, message, rule, at)
    _readings_check(device, message, at)


def _alarm_message(device: Device, message: Message, rule: AlarmRule, at: datetime) -> None:
    body = message.body
    if body.get("clear") is True:
        alarm_recover(device=device, alarm_type=rule.alarm_type, at=at,
                      reason="cleared by the device", device_at=message.device_at)
        return
    value = body.get("value")
    number = Decimal(str(value)) if isinstance(value, int | float) and not isinstance(
        value, bool) else None
    detail = {key: body[key] for key in ("note", "code") if isinstance(body.get(key), str)}
    alarm_raise(device=device, rule=rule, at=at, value=number,
                detail={key: value[:200] for key, value in detail.items()},
                device_at=message.device_at, published_at=message.published_at)


def _telemetry_store(device: Device, message: Message, at: datetime) -> None:
    values = {name: float(value) for name, value in message.values.items()}
    Telemetry.objects.create(device=device, at=message.device_at, received_at=at,
                             values=values)
    hour = timezone.localtime(message.device_at).replace(minute=0, second=0, microsecond=0)
    rollup, _created = TelemetryHour.objects.get_or_create(device=device, hour=hour)
    stats = rollup.stats
    for name, value in values.items():
        count, low, high, total = stats.get(name, [0, value, value, 0.0])
        stats[name] = [count + 1, min(low, value), max(high, value), total + value]
    TelemetryHour.objects.filter(pk=rollup.pk).update(messages=F("messages") + 1,
                                                      stats=stats)


def _readings_check(device: Device, message: Message, at: datetime) -> None:
    """Debounce: a rule's alarm is raised after `debounce_count` breaching readings in a
    row, or once the breach has lasted `debounce_seconds`; a reading back within the
    threshold resets the count and, where the rule says so, clears the alarm."""
    for rule in rules.reading_rules(device.kind):
        value = message.values.get(rule.metric)
        if value is None:
            continue
        if not rules.breaches(rule, value):
            Condition.objects.filter(device=device, alarm_type=rule.alarm_type).delete()
            if rule.alarm_type == LOW_BATTERY:
                battery_low_set(device, False, at)
            elif rule.clears_itself:
                alarm_recover(device=device, alarm_type=rule.alarm_type, at=at,
                              reason=f"{rule.metric} {value}", device_at=message.device_at)
            continue
        condition, _created = Condition.objects.get_or_create(
            device=device, alarm_type=rule.alarm_type, defaults={"since": message.device_at})
        condition.breaches += 1
        condition.last_at = message.device_at
        condition.save(update_fields=["breaches", "last_at"])
        lasted = (message.device_at - (condition.since or message.device_at)).total_seconds()
        if condition.breaches >= rule.debounce_count or (
                rule.debounce_seconds and lasted >= rule.debounce_seconds):
            alarm_raise(device=device, rule=rule, at=at, value=value,
                        detail={"readings": condition.breaches},
                        device_at=message.device_at, published_at=message.published_at)
            if rule.alarm_type == LOW_BATTERY:
                battery_low_set(device, True, at)
