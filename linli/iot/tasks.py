"""Thin tasks: load by id (or take the message), call a service. Safe to run twice: a
message is handled once by its id, sweeps claim their rows. The workflow and the subscriber
queue them by name (core.tasks.enqueue), so this is the only module importing both sides."""

import base64
from datetime import datetime

from celery import shared_task
from django.utils import timezone

from linli.iot import notify, supervision
from linli.iot.services import access, health, ingest, retention


@shared_task(name="iot.handle_messages", ignore_result=True, acks_late=True)
def handle_messages(batch: list[list[str]]) -> int:
    """A batch from the subscriber: [topic, payload as base64, received at (ISO)] each.
    Messages of one device stay in order within a batch."""
    ingest.messages_handle([(topic, base64.b64decode(payload), datetime.fromisoformat(received))
                            for topic, payload, received in batch])
    return len(batch)


@shared_task(name="iot.alarm_event_notify", ignore_result=True)
def alarm_event_notify(event_id: int) -> None:
    notify.event_notify(event_id)


@shared_task(name="iot.health_sweep", ignore_result=True)
def health_sweep() -> int:
    return health.offline_sweep(timezone.now())


@shared_task(name="iot.alarm_supervise", ignore_result=True)
def alarm_supervise() -> int:
    return supervision.alarms_supervise()


@shared_task(name="iot.welfare_sweep", ignore_result=True)
def welfare_sweep() -> int:
    return access.welfare_sweep(timezone.now())


@shared_task(name="iot.retention", ignore_result=True)
def retention_sweep() -> int:
    return retention.prune(timezone.now())
