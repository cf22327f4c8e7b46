"""Who hears of an alarm, and where the message leads: a help press reaches the care
plan's grid worker (and the place's dispatchers) with a link to the alarm page they can
open; an alarm nobody acknowledged in time is told to the dispatchers and leaders once,
however often the sweep runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.tests.viewtools import body, login_as
from linli.iot.models import Alarm, AlarmEvent
from linli.iot.services.alarms import alarm_transition
from linli.iot.supervision import alarms_supervise
from linli.iot.tests.alarms_world import alarms_world, raise_alarm
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    return alarms_world(world)


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind)
                  .values_list("recipient__username", flat=True))


def test_a_help_press_reaches_the_grid_worker_with_a_link_to_the_alarm(
        client, w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm = raise_alarm(w.button, "help")
    assert _told("iot.help") == ["alice", "gina"]  # the plan's grid worker, the dispatcher
    note = Notification.objects.get(kind="iot.help", recipient=w.gina)
    assert note.link == f"/iot/alarms/{alarm.pk}/"
    assert "王建国" not in note.title + note.body
    login_as(client, w.gina)
    response = client.post(f"/inbox/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == note.link
    page = body(client.get(note.link))
    assert 'id="alarm-help"' in page and 'id="act-acknowledge"' in page


def test_a_help_press_reaches_a_care_plan_grid_worker_of_another_grid(
        client, w, django_capture_on_commit_callbacks):
    w.plan.grid_worker = w.gary
    w.plan.save(update_fields=["grid_worker"])
    with django_capture_on_commit_callbacks(execute=True):
        alarm = raise_alarm(w.button, "help")
    assert "gary" in _told("iot.help")
    login_as(client, w.gary)
    page = body(client.get(f"/iot/alarms/{alarm.pk}/"))  # the link opens
    assert 'id="act-acknowledge"' in page  # and the one at the door acknowledges it
    response = client.post(f"/iot/alarms/{alarm.pk}/act/acknowledge/",
                           {"version": Alarm.objects.get(pk=alarm.pk).version})
    assert response.status_code == 302
    assert Alarm.objects.get(pk=alarm.pk).state == "acknowledged"


def test_an_alarm_not_acknowledged_in_time_is_told_to_the_dispatchers_once(
        w, django_capture_on_commit_callbacks):
    alarm = raise_alarm(w.button, "help")
    due = Alarm.objects.get(pk=alarm.pk).respond_due_at
    assert due is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert alarms_supervise(due - timedelta(seconds=1)) == 0
        assert alarms_supervise(due + timedelta(seconds=1)) == 1
        assert alarms_supervise(due + timedelta(minutes=5)) == 0  # claimed already
    assert _told("iot.overdue") == ["alice", "leo"]  # dispatchers and leaders, once each
    assert AlarmEvent.objects.filter(alarm=alarm, action="overdue").count() == 1
    link = Notification.objects.get(kind="iot.overdue", recipient=w.alice).link
    assert link == f"/iot/alarms/{alarm.pk}/"


def test_an_acknowledged_alarm_is_never_overdue(w, django_capture_on_commit_callbacks):
    alarm = raise_alarm(w.button, "help")
    alarm_transition(actor=w.gina, alarm=alarm, action="acknowledge")
    with django_capture_on_commit_callbacks(execute=True):
        assert alarms_supervise(timezone.now() + timedelta(hours=1)) == 0
    assert _told("iot.overdue") == []
