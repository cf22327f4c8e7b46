"""Administrators edit the alarm rules on the admin site (audited, refused when a rule could
never fire or would open a case nobody can file); devices are listed read-only, each
administrator's own; nobody else gets in."""

import pytest
from django.forms.models import model_to_dict

from linli.core.models import AuditEntry
from linli.iot.models import AlarmRule, Device
from linli.iot.tests.devices_kit import prepare
from linli.iot.tests.factories import make_device

pytestmark = pytest.mark.django_db


def rule_form(rule: AlarmRule, **changes) -> dict:
    data = {k: ("" if v is None else v) for k, v in model_to_dict(rule).items() if k != "id"}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    return data | changes


def test_an_admin_changes_a_threshold_and_it_is_audited(client, world):
    prepare(world)
    tilt = AlarmRule.objects.get(kind="manhole", alarm_type="tilt")
    client.force_login(world.ada)
    url = f"/admin/iot/alarmrule/{tilt.pk}/change/"
    assert client.get("/admin/iot/alarmrule/").status_code == 200
    assert client.get(url).status_code == 200
    done = client.post(url, rule_form(tilt, threshold="20", debounce_count="3"))
    assert done.status_code == 302, done.content.decode()[:2000]
    tilt.refresh_from_db()
    assert (str(tilt.threshold), tilt.debounce_count) == ("20.000", 3)
    entry = AuditEntry.objects.get(action="alarmrule.updated")
    assert set(entry.changes) == {"threshold", "debounce_count", "via"}


@pytest.mark.parametrize("changes", [
    {"threshold": ""},                     # a rule on readings without its threshold
    {"category_code": "NOPE"},             # a case of no category
    {"priority": "whenever"},
    {"debounce_count": "0"},
])
def test_a_rule_that_cannot_work_is_refused(client, world, changes):
    prepare(world)
    tilt = AlarmRule.objects.get(kind="manhole", alarm_type="tilt")
    before = model_to_dict(tilt)
    client.force_login(world.ada)
    page = client.post(f"/admin/iot/alarmrule/{tilt.pk}/change/", rule_form(tilt, **changes))
    assert page.status_code == 200 and "errornote" in page.content.decode()
    tilt.refresh_from_db()
    assert model_to_dict(tilt) == before
    assert not AuditEntry.objects.filter(action="alarmrule.updated").exists()


def test_devices_are_listed_read_only_within_the_admins_areas(client, world):
    mine = make_device(world.estate_a, identifier="A-1")
    client.force_login(world.ada)
    listed = client.get("/admin/iot/device/")
    assert listed.status_code == 200 and "A-1" in listed.content.decode()
    assert client.get("/admin/iot/device/add/").status_code == 403
    assert client.post(f"/admin/iot/device/{mine.pk}/change/",
                       {"name": "改"}).status_code == 403
    assert Device.objects.get(pk=mine.pk).name == "测试设备"
    for actor in (world.alice, world.gina):
        client.force_login(actor)
        assert client.get("/admin/iot/alarmrule/").status_code in (302, 403)
