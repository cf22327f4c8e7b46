"""The alarm tests' set-up around the standard `world` (linli/conftest.py), and raising an
alarm the way a device does (through the ingest service):

cover: a manhole cover in 花楼小区 (grid A1), owned by unit A · cover_b: one in community
B, owned by unit B · button: the help button of 王建国 (dwelling A1-1-1-101), whose care
plan names gina · gary: a grid worker of grid A2 (same community, another grid).
"""

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.iot.models import Alarm, Device, Kind
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.factories import make_device, payload, ready, topic
from linli.people.tests.factories import cared_for, resident, standard_tags


def alarms_world(world):
    w = world
    ready()
    standard_tags()
    w.cover = make_device(w.estate_a, kind=Kind.MANHOLE, identifier="MH-1", unit=w.unit_a,
                          name="花楼小区1号井盖", address="花楼小区东门")
    w.cover_b = make_device(w.estate_b, kind=Kind.MANHOLE, identifier="MH-B", unit=w.unit_b,
                            name="水塔小区井盖")
    w.elder = resident(w.alice, w.dwelling_a, name="王建国")
    w.plan = cared_for(w.alice, w.elder, w.gina)
    w.button = make_device(w.dwelling_a, kind=Kind.HELP_BUTTON, identifier="HB-1",
                           name="王家一键呼叫", resident=w.elder, care_plan=w.plan,
                           address="花楼小区1栋1单元101")
    w.gary = UserFactory(username="gary")
    assign(w.gary, Role.GRID_WORKER, w.grid_a2)
    return w


def raise_alarm(device: Device, alarm_type: str) -> Alarm:
    """The device sends an alarm message; the alarm it raised (or repeated)."""
    assert message_handle(topic(device, "alarm"), payload(type=alarm_type)) == HANDLED
    return Alarm.objects.filter(device=device, alarm_type=alarm_type).latest("id")
