"""A help-button press, the people side: the case and the staff's notifications carry the
resident's masked name and phone and the address; the care plan's emergency contact gets
an SMS through the configured gateway, read from the sealed plan with a purpose in the
access log; without a gateway, or when it fails, the alarm's history says so and the
ingest carries on."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from linli.cases.models import Case
from linli.iot import notify
from linli.iot.help import help_contact_alert, help_description
from linli.iot.models import Alarm, AlarmEvent, Kind
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.factories import make_device, payload, ready, topic
from linli.notifications.models import Notification
from linli.people.models import AccessLog, CarePlan
from linli.people.tests.factories import cared_for, resident

PHONE, CONTACT = "13912345678", "13800001111"


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    """A local SMS gateway, configured."""
    _Gateway.received, _Gateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    yield _Gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def button(world, settings, monkeypatch):
    settings.SMS_GATEWAY_URL = ""
    # The alarm's page is the alarms part's; its address does not matter here.
    monkeypatch.setattr(notify, "alarm_url", lambda alarm_id: f"/iot/alarms/{alarm_id}/")
    ready()
    world.elder = resident(world.alice, world.dwelling_a, name="张秀兰", phone=PHONE)
    world.plan = cared_for(world.alice, world.elder, world.gina,
                           emergency_contact=f"女儿 王丽 {CONTACT}",
                           next_visit_due=timezone.localdate() + timedelta(days=20))
    world.button = make_device(world.dwelling_a, kind=Kind.HELP_BUTTON, identifier="HB-1",
                               name="张秀兰家一键呼叫", resident=world.elder,
                               care_plan=world.plan)
    return world


def press(device, capture) -> Alarm:
    with capture(execute=True):
        assert message_handle(topic(device, "alarm"), payload(type="help")) == HANDLED
    return Alarm.objects.get(device=device)


def contact_events(alarm) -> list[dict]:
    return list(AlarmEvent.objects.filter(alarm=alarm, action="contact").order_by("id")
                .values_list("data", flat=True))


def test_the_case_and_the_staffs_messages_carry_masked_details(
        button, django_capture_on_commit_callbacks):
    alarm = press(button.button, django_capture_on_commit_callbacks)
    case = Case.objects.get(pk=alarm.case_id or 0)
    assert "张*兰" in case.description and "139****5678" in case.description
    assert "花楼小区 1栋 1单元 101" in case.description
    assert "张秀兰" not in case.description and PHONE not in case.description
    assert not case.is_public
    notes = Notification.objects.filter(kind="iot.help")
    assert button.gina in {n.recipient for n in notes}  # the care plan's grid worker
    for note in notes:
        text = note.title + note.body
        assert "张*兰" in text and "139****5678" in text and "101" in text
        assert "张秀兰" not in text and PHONE not in text


def test_the_emergency_contact_gets_an_sms_through_the_gateway(
        button, gateway, django_capture_on_commit_callbacks):
    alarm = press(button.button, django_capture_on_commit_callbacks)
    assert len(gateway.received) == 1
    sms = gateway.received[0]
    assert sms["channel"] == "sms" and sms["to"] == CONTACT and sms["kind"] == "iot.help_contact"
    assert "张*兰" in sms["body"] and "花楼小区 1栋 1单元 101" in sms["body"]
    assert "张秀兰" not in sms["body"] and PHONE not in sms["body"]
    assert contact_events(alarm) == [{"sms": "sending", "to": "138****1111"},
                                     {"sms": "sent", "to": "138****1111"}]
    # Reading the sealed contact is a reveal with a purpose, by the system.
    log = AccessLog.objects.get(resident=button.elder)
    assert (log.actor, log.actor_label, log.field, log.outcome) == (None, "system", "plan",
                                                                    "revealed")
    assert f"#{alarm.pk}" in log.purpose
    # Once per press: a second run (a retried task) sends nothing more.
    assert help_contact_alert(alarm.pk) == "sent"
    assert len(gateway.received) == 1 and len(contact_events(alarm)) == 2


def test_without_a_gateway_the_history_says_it_was_not_sent(
        button, django_capture_on_commit_callbacks):
    alarm = press(button.button, django_capture_on_commit_callbacks)
    assert contact_events(alarm) == [{"sms": "not_configured"}]
    assert not AccessLog.objects.exists()  # nothing to send: the contact stays sealed
    assert alarm.case_id is not None and Notification.objects.filter(kind="iot.help").exists()


def test_a_failing_gateway_is_recorded_and_the_ingest_carries_on(
        button, gateway, django_capture_on_commit_callbacks):
    gateway.status = 503
    alarm = press(button.button, django_capture_on_commit_callbacks)
    events = contact_events(alarm)
    assert events[-1]["sms"] == "failed" and events[-1]["to"] == "138****1111"
    assert "503" in events[-1]["error"]
    assert CONTACT not in json.dumps(events)
    # The device goes on being heard.
    assert message_handle(topic(button.button, "heartbeat"), payload()) == HANDLED


def test_a_plan_without_a_phone_number_is_recorded(button, gateway,
                                                   django_capture_on_commit_callbacks):
    CarePlan.objects.filter(pk=button.plan.pk).update(emergency_contact_cipher="")
    alarm = press(button.button, django_capture_on_commit_callbacks)
    assert contact_events(alarm) == [{"sms": "no_contact"}]
    assert gateway.received == []


def test_the_description_of_a_button_without_a_resident(world):
    ready()
    device = make_device(world.dwelling_a, kind=Kind.HELP_BUTTON, identifier="HB-2",
                         address="花楼街 1 号")
    text = help_description(device)
    assert "—" in text and "花楼街 1 号" in text and "HB-2" in text
