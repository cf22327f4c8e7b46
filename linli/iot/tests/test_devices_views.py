"""The device pages: who finds them, what each shows, and the forms (add, change, retire,
credentials, import) with their refusals beside the field and nothing written."""

import pytest
from django.utils import timezone

from linli.iot.models import Device, Kind, Status
from linli.iot.services.ingest import message_handle
from linli.iot.tests.devices_kit import NUMBER, prepare, row, upload, written
from linli.iot.tests.factories import make_device, payload, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(world):
    prepare(world)
    world.cover = make_device(world.estate_a, identifier="A-COVER", unit=world.unit_a,
                              name="花楼小区1号井盖", lat="30.575", lng="114.29")
    world.gas = make_device(world.grid_a2, kind=Kind.GAS, identifier="A2-GAS",
                            status=Status.OFFLINE, offline_since=timezone.now())
    return world


def form(world, **fields) -> dict:
    return {"identifier": "HL-NEW-1", "kind": "smoke", "name": "1栋烟感",
            "place": "花楼社区/花楼第一网格/花楼小区/1栋", "address": "",
            "owner_unit": str(world.unit_a.pk), "resident_number": "",
            "heartbeat_seconds": "300", "lat": "", "lng": ""} | fields


def test_the_list_shows_counts_filters_and_the_managers_links(client, reg):
    client.force_login(reg.alice)
    page = client.get("/iot/devices/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="device-new-link"' in html and 'id="devices-import-link"' in html
    assert f'id="device-{reg.cover.pk}"' in html and f'id="device-{reg.gas.pk}"' in html
    assert page.context["counts"][:2] == [("active", "正常", 1), ("offline", "离线", 1)]
    offline = client.get("/iot/devices/?status=offline&kind=gas").content.decode()
    assert f'id="device-{reg.gas.pk}"' in offline and f'id="device-{reg.cover.pk}"' not in \
        offline
    assert client.get("/iot/devices/?status=nonsense").status_code == 400


def test_the_registry_is_found_by_staff_and_unit_members_only(client, reg):
    assert client.get("/iot/devices/").status_code == 302  # to the login
    for actor, status in ((reg.rita, 404), (reg.nobody, 404), (reg.uma, 200), (reg.gina, 200)):
        client.force_login(actor)
        assert client.get("/iot/devices/").status_code == status, actor
        assert client.get("/iot/devices/map/").status_code == status, actor
    client.force_login(reg.gina)
    html = client.get("/iot/devices/").content.decode()
    assert 'id="device-new-link"' not in html and f'id="device-{reg.gas.pk}"' not in html
    assert client.get("/iot/devices/new/").status_code == 403
    assert client.get("/iot/devices/import/").status_code == 404
    assert client.get(f"/iot/devices/{reg.gas.pk}/").status_code == 404


def test_the_map_page_carries_the_points_and_shapes(client, reg):
    client.force_login(reg.alice)
    page = client.get("/iot/devices/map/?kind=manhole")
    assert page.status_code == 200
    features = page.context["points"]["features"]
    assert [f["properties"]["light"] for f in features] == ["green"]
    assert 'id="device-map"' in page.content.decode()


def test_the_device_page_shows_facts_readings_refusals_and_manager_buttons(client, reg):
    message_handle(topic(reg.cover, "telemetry"), payload(values={"tilt_deg": 4}, battery=77))
    message_handle(topic(reg.cover, "heartbeat"), b"{broken")
    client.force_login(reg.alice)
    page = client.get(f"/iot/devices/{reg.cover.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for part in ("device-facts", "device-edit-link", "device-secret-form", "device-retire-form",
                 "readings-chart", "device-refusal-list", "vendor/echarts.min.js"):
        assert part in html, part
    assert "77%" in html and "花楼社区 / 花楼第一网格 / 花楼小区" in html
    assert "载荷不是 JSON 对象" in html or "malformed" not in html
    client.force_login(reg.uma)
    html = client.get(f"/iot/devices/{reg.cover.pk}/").content.decode()
    assert "device-facts" in html and "device-edit-link" not in html
    client.force_login(reg.bob)
    assert client.get(f"/iot/devices/{reg.cover.pk}/").status_code == 404


def test_adding_a_device_and_a_refusal_beside_its_field(client, reg):
    client.force_login(reg.alice)
    before = written()
    refused = client.post("/iot/devices/new/", form(reg, identifier="A-COVER",
                                                    place="花楼社区/没有这个网格"))
    assert refused.status_code == 400 and written() == before
    assert "place" in refused.context["form"].errors
    refused = client.post("/iot/devices/new/", form(reg, identifier="A-COVER"))
    assert "identifier" in refused.context["form"].errors and written() == before
    done = client.post("/iot/devices/new/", form(reg))
    device = Device.objects.get(identifier="HL-NEW-1")
    assert done.status_code == 302 and done["Location"] == f"/iot/devices/{device.pk}/"
    assert device.area == reg.building_a and device.owner_unit == reg.unit_a


def test_a_help_button_is_added_with_the_residents_id_number(client, reg):
    client.force_login(reg.alice)
    place = "花楼社区/花楼第一网格/花楼小区/1栋/1单元/101"
    wrong = client.post("/iot/devices/new/", form(reg, identifier="HB-1", kind="help_button",
                                                  place=place,
                                                  resident_number="420103198001011234"))
    assert wrong.status_code == 400 and "resident_number" in wrong.context["form"].errors
    done = client.post("/iot/devices/new/", form(reg, identifier="HB-1", kind="help_button",
                                                 place=place, resident_number=NUMBER))
    assert done.status_code == 302
    button = Device.objects.get(identifier="HB-1")
    assert (button.resident, button.care_plan) == (reg.lonely, reg.plan)
    html = client.get(f"/iot/devices/{button.pk}/").content.decode()
    assert "王*兰" in html and "王秀兰" not in html and NUMBER not in html
    edited = client.post(f"/iot/devices/{button.pk}/edit/",
                         form(reg, kind="help_button", place=place, name="改名"))
    assert edited.status_code == 302
    button.refresh_from_db()
    assert (button.name, button.resident) == ("改名", reg.lonely)  # kept without a number


def test_changing_retiring_and_the_secret_page(client, reg):
    client.force_login(reg.alice)
    url = f"/iot/devices/{reg.cover.pk}/"
    edit = client.get(f"{url}edit/")
    assert edit.context["form"]["place"].value() == "花楼社区 / 花楼第一网格 / 花楼小区"
    done = client.post(f"{url}edit/", form(reg, kind="manhole", name="新名字",
                                           place="花楼社区 / 花楼第一网格 / 花楼小区",
                                           lat="30.575", lng="114.29"))
    assert done.status_code == 302
    reg.cover.refresh_from_db()
    assert reg.cover.name == "新名字"
    secret = client.post(f"{url}secret/")
    assert secret.status_code == 200 and "no-store" in secret["Cache-Control"]
    shown = secret.context["secret"]
    assert shown in secret.content.decode()
    assert shown not in client.get(url).content.decode()
    before = written()
    assert client.post(f"{url}retire/", {"reason": ""}).status_code == 400
    assert written() == before
    assert client.post(f"{url}retire/", {"reason": "换了新设备"}).status_code == 302
    reg.cover.refresh_from_db()
    assert reg.cover.status == Status.RETIRED
    assert "device-retire-form" not in client.get(url).content.decode()


def test_others_cannot_change_retire_or_set_a_secret(client, reg):
    url = f"/iot/devices/{reg.cover.pk}/"
    before = written()
    for actor, status in ((reg.gina, 403), (reg.uma, 403), (reg.bob, 404)):
        client.force_login(actor)
        assert client.post(f"{url}retire/", {"reason": "换了新设备"}).status_code == status
        assert client.post(f"{url}secret/").status_code == status
        assert client.post(f"{url}edit/", form(reg, kind="manhole")).status_code in (
            status, 400 if status == 403 else 404)
    assert written() == before


def test_the_import_page_checks_then_imports_and_lists_problems(client, reg):
    client.force_login(reg.alice)
    assert client.get("/iot/devices/import/").status_code == 200
    template = client.get("/iot/devices/import/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    checked = client.post("/iot/devices/import/", {"file": upload([row()]), "mode": "check"})
    assert checked.status_code == 200 and checked.context["report"].rows == 1
    assert not Device.objects.filter(identifier="HL-MH-1").exists()
    bad = client.post("/iot/devices/import/", {"file": upload([row(kind="烤箱")]),
                                               "mode": "import"})
    assert bad.status_code == 400 and 'id="import-problems"' in bad.content.decode()
    done = client.post("/iot/devices/import/", {"file": upload([row()]), "mode": "import"})
    assert done.status_code == 302 and Device.objects.filter(identifier="HL-MH-1").exists()


def test_the_list_exports_what_it_shows(client, reg):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(reg.uma)
    assert 'id="export-xlsx"' in client.get("/iot/devices/").content.decode()
    answer = client.post("/exports/new/iot_devices/", {"kind": "manhole"})
    assert answer.status_code == 200, answer.status_code
    sheet = load_workbook(BytesIO(b"".join(answer.streaming_content)
                                  if answer.streaming else answer.content)).active
    assert sheet is not None
    rows = [[c.value for c in line] for line in sheet.iter_rows()]
    assert [r[0] for r in rows[1:]] == ["A-COVER"]
    client.force_login(reg.rita)
    assert client.post("/exports/new/iot_devices/", {}).status_code == 403
