"""The devices API for each kind of caller: anonymous (401), staff of the other community
(nothing seen, 404), a resident, a grid worker, a unit member and a leader (see, never
write: 403), a dispatcher and an administrator (everything). A refusal writes nothing."""

import pytest

from linli.cases.tests.apitools import post_json
from linli.iot.models import Device, Kind, Status
from linli.iot.services.ingest import message_handle
from linli.iot.tests.devices_kit import prepare, row, upload, written
from linli.iot.tests.factories import make_device, payload, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(world):
    prepare(world)
    world.cover = make_device(world.estate_a, identifier="A-COVER", unit=world.unit_a)
    world.smoke_b = make_device(world.estate_b, kind=Kind.SMOKE, identifier="B-SMOKE",
                                unit=world.unit_b)
    return world


def body(world, **fields) -> dict:
    return {"identifier": "HL-NEW-1", "kind": "manhole", "name": "新井盖",
            "area_id": world.estate_a.pk, "owner_unit_id": world.unit_a.pk} | fields


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def writes(world) -> list[tuple[str, str, dict | None]]:
    url = f"/api/iot/devices/{world.cover.pk}"
    return [("post", "/api/iot/devices", body(world)), ("patch", url, {"name": "改名"}),
            ("post", f"{url}/retire", {"reason": "换新"}), ("post", f"{url}/secret", {})]


def send(client, method, url, data):
    if method == "patch":
        return patch(client, url, data)
    return post_json(client, url, data) if method == "post" else client.get(url)


def identifiers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {d["identifier"] for d in response.json()["items"]}


def test_anonymous_is_401_and_nothing_is_written(client, reg):
    before = written()
    reads = [("get", "/api/iot/devices", None), ("get", f"/api/iot/devices/{reg.cover.pk}",
                                                 None),
             ("get", "/api/iot/devices/map.geojson", None)]
    for method, url, data in reads + writes(reg):
        response = send(client, method, url, data)
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated"), url
    assert client.post("/api/iot/devices/import",
                       {"file": upload([row()])}).status_code == 401
    assert written() == before


def test_staff_of_another_community_sees_nothing_and_changes_nothing(client, reg):
    client.force_login(reg.bob)
    before = written()
    assert identifiers(client.get("/api/iot/devices")) == {"B-SMOKE"}
    assert client.get(f"/api/iot/devices/{reg.cover.pk}").status_code == 404
    for method, url, data in writes(reg)[1:]:
        assert send(client, method, url, data).status_code == 404, url
    # Community A's place is not his to see: 404 before any rule is asked.
    assert post_json(client, "/api/iot/devices", body(reg)).status_code == 404
    assert written() == before


@pytest.mark.parametrize("who", ["rita", "gina", "uma", "leo"])
def test_those_who_do_not_keep_the_registry_may_not_write(client, reg, who):
    actor = getattr(reg, who)
    client.force_login(actor)
    before = written()
    expected = {"rita": set(), "gina": {"A-COVER"}, "uma": {"A-COVER"},
                "leo": {"A-COVER", "B-SMOKE"}}[who]
    assert identifiers(client.get("/api/iot/devices")) == expected
    url = f"/api/iot/devices/{reg.cover.pk}"
    for method, path, data in writes(reg)[1:]:
        assert send(client, method, path, data).status_code == (403 if expected else 404), path
    place = reg.dwelling_a if who == "rita" else reg.estate_a  # a place they can see
    response = post_json(client, "/api/iot/devices", body(reg, area_id=place.pk))
    assert response.status_code == 403
    response = client.post("/api/iot/devices/import", {"file": upload([row()])})
    assert response.status_code == 403
    assert written() == before
    if expected:
        assert client.get(url).json()["identifier"] == "A-COVER"


def test_a_dispatcher_registers_changes_sets_a_secret_and_retires(client, reg):
    client.force_login(reg.alice)
    response = post_json(client, "/api/iot/devices", body(reg, lat="30.575", lng="114.29"))
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["community_code"], created["has_secret"],
            created["warnings"]) == ("active", reg.community_a.code, False, [])
    url = f"/api/iot/devices/{created['id']}"
    changed = patch(client, url, {"name": "改名", "owner_unit_id": None,
                                  "heartbeat_seconds": 60}).json()
    assert (changed["name"], changed["owner_unit_id"], changed["heartbeat_seconds"]) == (
        "改名", None, 60)
    assert len(changed["warnings"]) == 1
    secret = post_json(client, f"{url}/secret")
    assert secret.status_code == 200 and secret["Cache-Control"] == "no-store"
    assert secret.json()["username"] == "HL-NEW-1" and len(secret.json()["secret"]) >= 32
    assert client.get(url).json()["has_secret"] is True
    assert post_json(client, f"{url}/retire", {"reason": "x"}).status_code == 400
    retired = post_json(client, f"{url}/retire", {"reason": "换了新设备"}).json()
    assert (retired["status"], retired["has_secret"]) == ("retired", False)
    assert identifiers(client.get("/api/iot/devices?status=retired")) == {"HL-NEW-1"}


def test_bad_bodies_and_filters_are_400_with_the_field(client, reg):
    client.force_login(reg.alice)
    before = written()
    for fields, field in (({"identifier": "a b"}, "identifier"), ({"kind": "toaster"}, "kind"),
                          ({"heartbeat_seconds": 10}, "heartbeat_seconds"),
                          ({"owner_unit_id": 999999}, "owner_unit_id"),
                          ({"kind": "help_button", "area_id": reg.dwelling_a.pk},
                           "resident")):
        response = post_json(client, "/api/iot/devices", body(reg, **fields))
        assert response.status_code == 400, fields
        assert response.json()["details"][0]["field"].endswith(field), response.json()
    assert client.get("/api/iot/devices?status=broken").status_code == 400
    assert client.get("/api/iot/devices?kind=toaster").status_code == 400
    assert written() == before


def test_a_help_button_is_registered_for_a_resident_of_its_dwelling(client, reg):
    client.force_login(reg.alice)
    response = post_json(client, "/api/iot/devices", body(
        reg, identifier="HB-1", kind="help_button", area_id=reg.dwelling_a.pk,
        resident_id=reg.lonely.pk, owner_unit_id=None))
    assert response.status_code == 201, response.content
    assert (response.json()["resident_name"], response.json()["has_care_plan"]) == (
        "王*兰", True)
    other = post_json(client, "/api/iot/devices", body(
        reg, identifier="HB-2", kind="help_button", area_id=reg.dwelling_b.pk,
        resident_id=reg.lonely.pk))
    assert other.status_code in (403, 404)


def test_the_detail_carries_readings_rollups_and_refusals(client, reg):
    message_handle(topic(reg.cover, "telemetry"), payload(values={"tilt_deg": 4}))
    message_handle(topic(reg.cover, "alarm"), b"[1]")
    client.force_login(reg.uma)
    detail = client.get(f"/api/iot/devices/{reg.cover.pk}").json()
    assert detail["latest"] == {"tilt_deg": 4.0}
    assert detail["hours"][0]["stats"]["tilt_deg"]["mean"] == 4.0
    assert detail["refusals"]["total"] == 1
    assert detail["refusals"]["recent"][0]["reason"] == "malformed"
    geo = client.get("/api/iot/devices/map.geojson")
    assert geo.status_code == 200 and geo.json()["type"] == "FeatureCollection"


def test_an_administrator_imports_through_the_api(client, reg):
    client.force_login(reg.ada)
    checked = client.post("/api/iot/devices/import?check_only=true",
                          {"file": upload([row()])})
    assert checked.json()["check_only"] is True and not Device.objects.filter(
        identifier="HL-MH-1").exists()
    done = client.post("/api/iot/devices/import", {"file": upload([row()])})
    assert done.status_code == 200 and done.json()["created"] == 1
    bad = client.post("/api/iot/devices/import", {"file": upload([row()])})
    assert bad.status_code == 400 and bad.json()["details"][0]["column"] == "设备编号"
    assert Device.objects.get(identifier="HL-MH-1").status == Status.ACTIVE
