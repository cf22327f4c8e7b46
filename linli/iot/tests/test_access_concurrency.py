"""At the same instant, on PostgreSQL with real threads: two staff setting up the same
watch make one (the other is told it exists), two sweepers raise one welfare check, and two
runs of a help press's contact task send one SMS."""

import threading
from datetime import timedelta

import pytest

from linli.accounts.models import User
from linli.core.errors import Conflict
from linli.core.models import AuditEntry
from linli.core.tasks import tasks_muted
from linli.core.tests.threads import run_together
from linli.iot.help import help_contact_alert
from linli.iot.models import Alarm, AlarmEvent, Device, Kind, WelfareWatch
from linli.iot.services import access
from linli.iot.services.ingest import message_handle
from linli.iot.tests.factories import make_device, payload, topic
from linli.iot.tests.test_access import watched  # noqa: F401 (fixture)
from linli.iot.tests.test_help import gateway  # noqa: F401 (fixture)
from linli.notifications.models import Notification
from linli.people.models import CarePlan, Resident

pytestmark = pytest.mark.postgres


def setting_up(user_id: int, resident_id: int, device_id: int):
    def job(barrier: threading.Barrier):
        actor = User.objects.get(pk=user_id)
        resident = Resident.objects.select_related("household__dwelling").get(pk=resident_id)
        device = Device.objects.select_related("area").get(pk=device_id)
        barrier.wait()
        return access.watch_create(actor=actor, resident=resident, device=device,
                                   quiet_hours=24, consent_reference="书面同意")
    return job


def test_two_staff_set_up_one_watch(transactional_db, watched):  # noqa: F811
    outcomes = run_together(setting_up(watched.alice.pk, watched.elder.pk, watched.door.pk),
                            setting_up(watched.gina.pk, watched.elder.pk, watched.door.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict) and refusal.code == "duplicate"
    assert WelfareWatch.objects.count() == 1
    assert AuditEntry.objects.filter(action="welfare_watch.created").count() == 1


def test_two_sweepers_raise_one_welfare_check(transactional_db, watched):  # noqa: F811
    watch = access.watch_create(actor=watched.alice, resident=watched.elder,
                                device=watched.door, quiet_hours=6,
                                consent_reference="书面同意")
    assert watch.due_at is not None
    later = watch.due_at + timedelta(minutes=1)

    def sweeper(barrier: threading.Barrier):
        barrier.wait()
        return access.welfare_sweep(later)

    outcomes = run_together(sweeper, sweeper)
    assert sorted(value for _kind, value in outcomes) == [0, 1], outcomes
    assert Notification.objects.filter(kind="iot.welfare").count() == 1
    assert AuditEntry.objects.filter(action="care_plan.updated",
                                     changes__source="welfare_watch").count() == 1


def test_two_runs_of_the_contact_task_send_one_sms(transactional_db, watched,  # noqa: F811
                                                  gateway):  # noqa: F811
    button = make_device(watched.dwelling_a, kind=Kind.HELP_BUTTON, identifier="HB-9",
                         resident=watched.elder,
                         care_plan=CarePlan.objects.get(resident=watched.elder))
    with tasks_muted():  # the press's own task would send it first
        message_handle(topic(button, "alarm"), payload(type="help"))
    alarm_id = Alarm.objects.get(device=button).pk

    def run(barrier: threading.Barrier):
        barrier.wait()
        return help_contact_alert(alarm_id)

    outcomes = run_together(run, run)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    assert len(gateway.received) == 1
    assert list(AlarmEvent.objects.filter(alarm_id=alarm_id, action="contact")
                .order_by("id").values_list("data__sms", flat=True)) == ["sending", "sent"]
