"""A message from a device, handled once: alarms into cases, repeats attached, readings
debounced, refusals logged and counted, nothing else changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, CaseEvent, Channel, State
from linli.iot.models import Alarm, AlarmState, Device, Kind, Reason, Rejection, Status
from linli.iot.services.health import offline_sweep
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.factories import make_device, payload, ready, topic


@pytest.fixture
def iot(world):
    ready()
    world.cover = make_device(world.estate_a, kind=Kind.MANHOLE, identifier="MH-1",
                              unit=world.unit_a, name="花楼小区1号井盖")
    return world


def test_an_alarm_opens_a_case_routed_to_the_owner_unit(iot):
    assert message_handle(topic(iot.cover, "alarm"), payload(type="open")) == HANDLED
    alarm = Alarm.objects.get()
    case = Case.objects.get(pk=alarm.case_id or 0)
    assert case.channel == Channel.IOT and case.category.code == "01001"
    assert case.state == State.DISPATCHED and case.unit == iot.unit_a
    assert alarm.state == AlarmState.ACTIVE and alarm.respond_due_at is not None


def test_a_second_alarm_attaches_to_the_open_case(iot):
    message_handle(topic(iot.cover, "alarm"), payload(type="open"))
    message_handle(topic(iot.cover, "alarm"), payload(type="open"))
    assert Case.objects.count() == 1
    alarm = Alarm.objects.get()
    assert alarm.repeats == 1
    # Another type from the same device joins the same case.
    for _ in range(2):
        message_handle(topic(iot.cover, "telemetry"), payload(values={"tilt_deg": 30}))
    assert Alarm.objects.count() == 2 and Case.objects.count() == 1
    tilt = Alarm.objects.get(alarm_type="tilt")
    assert tilt.attached and tilt.case_id == alarm.case_id
    assert CaseEvent.objects.filter(case=alarm.case, action="device_alarm").exists()


def test_a_redelivered_message_is_handled_once(iot):
    body = payload("same-id", type="open")
    assert message_handle(topic(iot.cover, "alarm"), body) == HANDLED
    assert message_handle(topic(iot.cover, "alarm"), body) == Reason.REPLAYED
    assert Alarm.objects.get().repeats == 0
    iot.cover.refresh_from_db()
    assert iot.cover.rejected_count == 1 and iot.cover.messages_count == 1


def test_readings_are_debounced_and_clear_the_alarm(iot):
    message_handle(topic(iot.cover, "telemetry"), payload(values={"tilt_deg": 20}))
    assert not Alarm.objects.exists()  # one reading is not enough
    message_handle(topic(iot.cover, "telemetry"), payload(values={"tilt_deg": 20}))
    assert Alarm.objects.get().state == AlarmState.ACTIVE
    message_handle(topic(iot.cover, "telemetry"), payload(values={"tilt_deg": 1}))
    assert Alarm.objects.get().state == AlarmState.CLEARED


@pytest.mark.parametrize(("channel", "body", "reason"), [
    ("alarm", b"{not json", Reason.MALFORMED),
    ("alarm", b"[1, 2]", Reason.MALFORMED),
    ("alarm", b'{"ts": "2026-01-01T00:00:00+08:00", "type": "open"}', Reason.MISSING),
    ("alarm", b"x" * 10000, Reason.TOO_LARGE),
])
def test_bad_messages_are_refused_and_counted(iot, channel, body, reason):
    assert message_handle(topic(iot.cover, channel), body) == reason
    assert Rejection.objects.get().reason == reason
    assert not Alarm.objects.exists() and not Case.objects.exists()


def test_unknown_devices_other_communities_and_future_times_are_refused(iot):
    ghost = f"linli/{iot.community_a.code}/manhole/NOPE/alarm"
    assert message_handle(ghost, payload(type="open")) == Reason.UNKNOWN_DEVICE
    other = f"linli/{iot.community_b.code}/manhole/MH-1/alarm"
    assert message_handle(other, payload(type="open")) == Reason.WRONG_TOPIC
    future = payload(type="open", at=timezone.now() + timedelta(days=1))
    assert message_handle(topic(iot.cover, "alarm"), future) == Reason.FUTURE
    assert not Alarm.objects.exists()
    assert Device.objects.get(pk=iot.cover.pk).rejected_count == 2


def test_a_device_not_heard_from_goes_offline_and_comes_back(iot):
    message_handle(topic(iot.cover, "heartbeat"), payload(battery=90))
    device = Device.objects.get(pk=iot.cover.pk)
    due = device.offline_due_at
    assert due is not None
    assert offline_sweep(due - timedelta(seconds=1)) == 0
    assert offline_sweep(due + timedelta(seconds=1)) == 1
    device.refresh_from_db()
    assert device.status == Status.OFFLINE
    case = Case.objects.get(pk=Alarm.objects.get(alarm_type="offline").case_id or 0)
    assert case.category.code == "L4001" and case.unit == iot.unit_a
    message_handle(topic(iot.cover, "heartbeat"), payload(battery=90))
    device.refresh_from_db()
    assert device.status == Status.ACTIVE
    assert Alarm.objects.get(alarm_type="offline").state == AlarmState.CLEARED
