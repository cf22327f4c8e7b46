"""Messages of one device handled at the same instant by several workers (PostgreSQL: each
thread its own connection): one alarm, one case, every message counted once."""

import pytest

from linli.cases.models import Case
from linli.core.tests.threads import run_together
from linli.iot.models import Alarm, Device, Kind, ReceivedMessage
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.factories import make_device, payload, ready, topic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sender(device: Device, body: bytes):
    def job(barrier):
        barrier.wait()
        return message_handle(topic(device, "alarm"), body)
    return job


def test_alarms_a_moment_apart_open_one_alarm_and_one_case(world):
    ready()
    cover = make_device(world.estate_a, kind=Kind.MANHOLE, identifier="MH-C",
                        unit=world.unit_a)
    cover = Device.objects.select_related("community").get(pk=cover.pk)
    outcomes = run_together(*[_sender(cover, payload(f"m{i}", type="open"))
                              for i in range(6)])
    assert outcomes == [("ok", HANDLED)] * 6
    alarm = Alarm.objects.get()
    assert alarm.repeats == 5 and Case.objects.count() == 1
    assert ReceivedMessage.objects.count() == 6


def test_the_same_message_delivered_twice_at_once_is_handled_once(world):
    ready()
    cover = make_device(world.estate_a, kind=Kind.MANHOLE, identifier="MH-D",
                        unit=world.unit_a)
    cover = Device.objects.select_related("community").get(pk=cover.pk)
    body = payload("twice", type="open")
    outcomes = sorted(result for _, result in run_together(_sender(cover, body),
                                                            _sender(cover, body)))
    assert outcomes == [HANDLED, "replayed"]
    assert Alarm.objects.get().repeats == 0 and Case.objects.count() == 1
