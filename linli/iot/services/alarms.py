"""Alarms: raised by a message or a sweep, repeated, cleared; each opens a case through the
one intake (channel IoT) or joins the device's open case.

At most one alarm per device and type is open: the partial unique index decides between
two workers that raise it at the same moment (the loser repeats the winner's alarm).
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from linli.cases.models import OPEN_STATES, Channel
from linli.cases.selectors import leaf_category
from linli.cases.services import case_device_alarm, case_report, case_route_to_unit
from linli.core.errors import ValidationFailed
from linli.iot.help import help_description
from linli.iot.models import OPEN_ALARM, Alarm, AlarmRule, AlarmState, Device, Source
from linli.iot.workflow import ALARMS

log = logging.getLogger(__name__)


def _open_alarm(device: Device, alarm_type: str) -> Alarm | None:
    return (Alarm.objects.select_for_update().filter(OPEN_ALARM, device=device,
                                                    alarm_type=alarm_type).first())


def _clock(rule: AlarmRule, at: datetime) -> dict:
    if not rule.respond_minutes:
        return {}
    minutes = rule.respond_minutes
    return {"respond_due_at": at + timedelta(minutes=minutes),
            "respond_warn_at": at + timedelta(minutes=minutes * 0.8)}


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def alarm_raise(*, device: Device, rule: AlarmRule, at: datetime,
                value: Decimal | None = None, detail: dict | None = None,
                device_at: datetime | None = None,
                published_at: datetime | None = None) -> Alarm:
    """Raise `rule`'s alarm on `device`, or count a repeat of the one already open."""
    alarm = _open_alarm(device, rule.alarm_type)
    if alarm is not None:
        return _repeat(alarm, rule, at, value)
    try:
        with transaction.atomic():
            alarm = Alarm.objects.create(
                device=device, rule=rule, alarm_type=rule.alarm_type,
                community_id=device.community_id, area_path=device.area_path,
                is_emergency=rule.is_emergency, value=value, detail=detail or {},
                opened_at=at, device_at=device_at, published_at=published_at, last_at=at,
                **_clock(rule, at))
    except IntegrityError:  # another worker opened it a moment ago
        alarm = _open_alarm(device, rule.alarm_type)
        assert alarm is not None
        return _repeat(alarm, rule, at, value)
    ALARMS.write_event(alarm, actor=None, action="raise", from_state="",
                       to_state=AlarmState.ACTIVE, at=at,
                       data={"value": str(value) if value is not None else None})
    if rule.opens_case:
        _case_for(alarm, rule, at)
    return alarm


def _repeat(alarm: Alarm, rule: AlarmRule, at: datetime, value: Decimal | None) -> Alarm:
    quiet = timedelta(minutes=rule.suppress_minutes)
    # Repeat suppression: the repeat is counted; the case hears of it at most once per
    # `suppress_minutes`, so a chattering sensor does not bury the unit in messages.
    tell_case = alarm.case_id is not None and at - alarm.last_told_at() >= quiet
    ALARMS.system_move(alarm, "repeat", at, updates={
        "repeats": F("repeats") + 1, "last_at": at, **({"told_at": at} if tell_case else {}),
        **({"value": value} if value is not None else {})},
        data={"value": str(value) if value is not None else None})
    alarm.refresh_from_db()
    if tell_case and alarm.case is not None:
        case_device_alarm(case=alarm.case, now=at, note=_repeat_note(alarm, rule, value),
                          data={"alarm": alarm.pk, "repeats": alarm.repeats})
    return alarm


def _repeat_note(alarm: Alarm, rule: AlarmRule, value: Decimal | None) -> str:
    reading = f"，读数 {value}" if value is not None else ""
    return (f"{alarm.device.name}（{alarm.device.identifier}）再次报警：{rule.name_zh}"
            f"{reading}；本次告警共 {alarm.repeats + 1} 次。")


def _description(alarm: Alarm, rule: AlarmRule) -> str:
    device = alarm.device
    if rule.is_emergency:
        return help_description(device)
    reading = f"，读数 {alarm.value}" if alarm.value is not None else ""
    place = device.address or device.area.name
    local = timezone.localtime(alarm.opened_at).strftime("%Y-%m-%d %H:%M:%S")
    return (f"设备 {device.name}（{device.identifier}，{device.get_kind_display()}）"
            f"于 {local} 报警：{rule.name_zh}{reading}。位置：{place}。")


def _device_case_id(alarm: Alarm) -> int | None:
    """The case of another of the device's alarms that is still open, if any."""
    return (Alarm.objects.filter(device_id=alarm.device_id, case__state__in=OPEN_STATES)
            .exclude(pk=alarm.pk).order_by("-opened_at")
            .values_list("case_id", flat=True).first())


def _case_for(alarm: Alarm, rule: AlarmRule, at: datetime) -> None:
    category = leaf_category(rule.category_code) if rule.category_code else None
    if category is None or not category.is_active:
        log.warning("alarm rule %s names no active category (%r): no case opened",
                    rule.pk, rule.category_code)
        return
    existing = _device_case_id(alarm)
    if existing is not None:
        ALARMS.system_move(alarm, "case", at, updates={"case_id": existing, "attached": True},
                           data={"case": existing})
        alarm.refresh_from_db()
        assert alarm.case is not None
        case_device_alarm(case=alarm.case, now=at, data={"alarm": alarm.pk},
                          note=_repeat_note(alarm, rule, alarm.value))
        return
    device = alarm.device
    private = rule.is_emergency or rule.source == Source.HEALTH or device.resident_id
    try:
        case = case_report(
            actor=None, category=category, area=device.area, channel=Channel.IOT,
            title=f"{rule.name_zh}：{device.name}"[:100],
            description=_description(alarm, rule), address=device.address,
            lat=device.lat, lng=device.lng, is_public=not private,
            priority=rule.priority, reporter_name=f"设备 {device.identifier}"[:64], now=at)
    except ValidationFailed as refusal:  # e.g. a device placed above a community
        log.warning("alarm %s: the intake refused its case: %s", alarm.pk, refusal)
        return
    if device.owner_unit is not None:
        case_route_to_unit(case=case, unit=device.owner_unit, now=at)
    ALARMS.system_move(alarm, "case", at, updates={
        "case": case, "case_opened_at": timezone.now()}, data={"case": case.pk})


@transaction.atomic(savepoint=False)  # a part of the caller's transaction
def alarm_recover(*, device: Device, alarm_type: str, at: datetime, reason: str = "",
                  device_at: datetime | None = None) -> Alarm | None:
    """The device says the alarm is over (a clearing message, a reading back within the
    threshold, a heartbeat after being offline): the open alarm clears itself. A message
    the device sent before the alarm's own (delivered late, or out of order by two
    workers) clears nothing."""
    alarm = _open_alarm(device, alarm_type)
    if alarm is None:
        return None
    if device_at is not None and alarm.device_at is not None and device_at < alarm.device_at:
        return alarm
    ALARMS.system_move(alarm, "recover", at, data={"reason": reason} if reason else None)
    alarm.refresh_from_db()
    return alarm


@transaction.atomic
def alarm_transition(*, actor, alarm: Alarm, action: str, note: str = "",
                     expected_version: int | None = None) -> Alarm:
    """A person acknowledges or clears an alarm (transitions.TRANSITIONS)."""
    ALARMS.transition(actor=actor, obj=alarm, action=action, note=note,
                      expected_version=expected_version)
    return alarm
