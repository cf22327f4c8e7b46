"""A help press at phone width (375 px) in real Chromium: the grid worker finds it in the
inbox, opens the alarm page — who and where in large print, fitting the phone, nothing
fetched from elsewhere — and acknowledges it with the one big button."""

import pytest

from linli.accounts.tests.factories import PASSWORD
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.iot.models import AlarmState
from linli.iot.tests.alarms_world import alarms_world, raise_alarm
from linli.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_grid_worker_acknowledges_a_help_press_from_the_phone(new_page, live_server, world):
    w = alarms_world(world)
    alarm = raise_alarm(w.button, "help")  # commits: the notification goes out at once
    note = Notification.objects.get(kind="iot.help", recipient=w.gina)

    phone = new_page(phone=True)
    elsewhere = offsite_requests(phone, live_server.url)
    log_in(phone, "gina", PASSWORD)
    phone.goto("/inbox/")
    fits_phone(phone, "the inbox")
    submit(phone, f"#notification-{note.pk} button[name=open]")
    assert phone.url.endswith(f"/iot/alarms/{alarm.pk}/"), phone.url
    fits_phone(phone, "the help press's alarm page")
    assert phone.locator("#alarm-help-who").inner_text() == "王*国"
    assert phone.locator("#alarm-help-place").inner_text() == "花楼小区1栋1单元101"
    assert phone.locator("#alarm-state").get_attribute("data-state") == "active"
    button = phone.locator("#act-acknowledge")
    assert button.bounding_box()["width"] > 300  # one big button, across the phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "alarm-help-375.png", full_page=True)
    submit(phone, "#act-acknowledge")
    assert phone.locator("#alarm-error").count() == 0
    assert phone.locator("#alarm-state").get_attribute("data-state") == "acknowledged"
    assert phone.locator("#act-acknowledge").count() == 0
    fits_phone(phone, "the acknowledged alarm")
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.ACKNOWLEDGED and alarm.acknowledged_at is not None
    assert elsewhere == []
