"""Device health: every message is a sign of life; a device not heard from within its
heartbeat timeout is offline (a timer as data, `offline_due_at`, swept every
LINLI_IOT_HEALTH_SWEEP_SECONDS, so within timeout + the sweep period), or at once when the
broker publishes its last will. Offline and low battery raise the health rules' alarms,
whose cases are maintenance work for the owner unit."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from linli.iot import rules
from linli.iot.models import Device, Status
from linli.iot.services.alarms import alarm_raise, alarm_recover

OFFLINE, LOW_BATTERY = "offline", "low_battery"


def status_of(*, retired: bool, offline: bool, battery_low: bool) -> str:
    if retired:
        return Status.RETIRED
    if offline:
        return Status.OFFLINE
    return Status.LOW_BATTERY if battery_low else Status.ACTIVE


def _restatus(device: Device) -> None:
    device.status = status_of(retired=device.retired_at is not None,
                              offline=device.offline_since is not None,
                              battery_low=device.battery_low)


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def device_seen(device: Device, at: datetime, battery=None) -> None:
    """The device was heard from at `at` (the caller holds its row lock)."""
    was_offline = device.offline_since is not None
    device.last_seen_at = at
    device.offline_due_at = at + timedelta(seconds=device.heartbeat_seconds)
    device.offline_since = None
    if battery is not None:
        device.battery = int(battery)
    _restatus(device)
    device.messages_count += 1
    device.save(update_fields=["last_seen_at", "offline_due_at", "offline_since", "battery",
                               "status", "messages_count", "updated_at"])
    if was_offline:
        alarm_recover(device=device, alarm_type=OFFLINE, at=at, reason="heard from again")


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def battery_low_set(device: Device, low: bool, at: datetime) -> None:
    if device.battery_low == low:
        return
    device.battery_low = low
    _restatus(device)
    device.save(update_fields=["battery_low", "status", "updated_at"])
    if not low:
        alarm_recover(device=device, alarm_type=LOW_BATTERY, at=at, reason="battery")


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def device_offline(device_id: int, at: datetime, *, since: datetime | None = None,
                   will: bool = False) -> bool:
    """Mark the device offline (once: a conditional update claims it) and raise the
    offline alarm. False if it was already offline, retired, or heard from since."""
    due = Q(offline_due_at__lte=at) if not will else Q()
    claimed = (Device.objects.filter(due, pk=device_id, offline_since__isnull=True,
                                     retired_at__isnull=True)
               .update(offline_since=since or at, status=Status.OFFLINE, offline_due_at=None))
    if not claimed:
        return False
    device = Device.objects.select_related("area", "owner_unit").get(pk=device_id)
    rule = rules.rule_for(device.kind, OFFLINE)
    if rule is not None:
        alarm_raise(device=device, rule=rule, at=at,
                    detail={"why": "last will" if will else "missed heartbeat"})
    return True


def offline_sweep(now: datetime, limit: int = 1000) -> int:
    """Mark every device whose heartbeat timer has run out offline; returns how many."""
    due = list(Device.objects.filter(offline_due_at__lte=now, offline_since__isnull=True,
                                     retired_at__isnull=True)
               .order_by("offline_due_at").values_list("pk", "offline_due_at")[:limit])
    # Offline since the timer ran out, not since the sweep noticed.
    return sum(device_offline(pk, now, since=min(due_at or now, now)) for pk, due_at in due)
