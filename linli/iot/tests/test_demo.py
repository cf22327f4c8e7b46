"""The demo's devices: 200 of every kind in both communities, named and placed as a
community would, owned by the right units, a help button for every care-plan resident, and
a history made by the ingest: a tilted cover's case with a second alarm attached, a cleared
smoke alarm, an acknowledged help press, a device offline, two with a low battery, a day
of readings, a week of door counts and one welfare watch with consent."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, Channel
from linli.iot.models import (
    AccessCount,
    Alarm,
    AlarmRule,
    AlarmState,
    Device,
    Kind,
    Status,
    Telemetry,
    WelfareWatch,
)
from linli.notifications.models import Notification
from linli.people.models import CarePlan


@pytest.mark.django_db
def test_demo_has_200_devices_of_every_kind_in_both_communities(demo):
    devices = list(Device.objects.select_related("community", "area", "owner_unit"))
    assert len(devices) == 200
    kinds = Counter((d.community.name, d.kind) for d in devices)
    for community in ("花楼社区", "水塔社区"):
        assert {kind for (name, kind) in kinds if name == community} == set(Kind.values)
    assert AlarmRule.objects.filter(is_active=True).count() >= 12
    for device in devices:
        assert device.area_path == device.area.path
        assert device.area.path.startswith(device.community.path)
        assert device.lat is not None and device.lng is not None
        assert abs(float(device.lat) - 30.58) < 0.02 and abs(float(device.lng) - 114.285) < 0.02
        assert device.owner_unit is not None and device.heartbeat_seconds > 0
    names = {d.name for d in devices}
    assert {"花楼小区1栋烟感", "花楼小区1栋1单元门禁", "水塔小区1栋电梯"} <= names
    assert len({d.identifier for d in devices}) == 200
    units = Counter((d.kind, d.owner_unit.name if d.owner_unit else "") for d in devices)
    assert {unit for (kind, unit) in units if kind == Kind.HELP_BUTTON} == {
        "花楼社区党群服务中心", "水塔社区党群服务中心"}
    assert {unit for (kind, unit) in units if kind == Kind.GAS} == {"江汉燃气抢修站"}


@pytest.mark.django_db
def test_every_care_plan_resident_has_a_help_button(demo):
    plans = CarePlan.objects.filter(resident__moved_out__isnull=True)
    buttons = Device.objects.filter(kind=Kind.HELP_BUTTON)
    assert sorted(buttons.values_list("care_plan_id", flat=True)) == sorted(
        plans.values_list("pk", flat=True))
    for button in buttons.select_related("resident__household", "area"):
        resident = button.resident
        assert resident is not None and button.area_id == resident.household.dwelling_id
        assert resident.name not in button.name + button.address


@pytest.mark.django_db
def test_demo_history_was_made_by_the_ingest(demo):
    now = timezone.now()
    cover = Device.objects.get(name="花楼小区1号井盖")
    tilt, opened = (Alarm.objects.get(device=cover, alarm_type=t) for t in ("tilt", "open"))
    case = Case.objects.select_related("unit").get(pk=tilt.case_id or 0)
    assert opened.case_id == case.pk and opened.attached
    assert case.state == "dispatched" and str(case.unit) == "花楼物业服务中心"
    assert tilt.state == opened.state == AlarmState.ACKNOWLEDGED
    smoke = Alarm.objects.get(device__name="水塔小区2栋烟感")
    assert smoke.state == AlarmState.CLEARED and smoke.case_id is not None
    press = Alarm.objects.get(device__kind=Kind.HELP_BUTTON)
    assert press.state == AlarmState.ACKNOWLEDGED and press.is_emergency
    assert press.device.resident == CarePlan.objects.get(
        resident__user__username="resident").resident
    description = Case.objects.get(pk=press.case_id or 0).description
    assert "张*兰" in description and "张秀兰" not in description
    statuses = Counter(Device.objects.values_list("status", flat=True))
    assert statuses[Status.OFFLINE] == 1 and statuses[Status.LOW_BATTERY] == 2
    assert Case.objects.filter(channel=Channel.IOT).count() == 6
    assert Telemetry.objects.filter(received_at__gte=now - timedelta(hours=25)).count() > 200
    doors = Device.objects.filter(kind=Kind.DOOR)
    assert AccessCount.objects.filter(device__in=doors).values("device").distinct().count() \
        == doors.count()
    assert all(a.opened_at <= now for a in Alarm.objects.all())
    # Loading history tells nobody anything.
    assert not Notification.objects.filter(kind__startswith="iot.").exists()


@pytest.mark.django_db
def test_demo_welfare_watch_has_consent_and_follows_the_door(demo):
    watch = WelfareWatch.objects.select_related("resident", "device").get()
    assert watch.resident == CarePlan.objects.get(resident__user__username="resident").resident
    assert watch.consent_reference.startswith("书面同意 ") and watch.withdrawn_at is None
    assert watch.device.kind == Kind.DOOR
    assert watch.last_activity_at is not None
    assert watch.due_at == watch.last_activity_at + timedelta(hours=watch.quiet_hours)
    assert watch.due_at > timezone.now()  # quiet time not run out: no check on loading
