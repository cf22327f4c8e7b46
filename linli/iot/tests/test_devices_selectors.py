"""Who sees which devices: staff of the place, members of the owner unit, nobody else; the
filters, the counts by status, the map's points and shapes, and a device's readings,
rollups and refusals."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from linli.core.errors import ValidationFailed
from linli.iot import selectors_devices as selectors
from linli.iot.models import Kind, Rejection, Status
from linli.iot.services.ingest import HANDLED, message_handle
from linli.iot.tests.devices_kit import prepare
from linli.iot.tests.factories import make_device, payload, topic
from linli.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(world):
    prepare(world)
    world.repair = UnitFactory(name="维修队", service_areas=[world.street])
    world.cover = make_device(world.estate_a, identifier="A-COVER", unit=world.unit_a,
                              lat="30.575", lng="114.29")
    world.lift = make_device(world.grid_a2, kind=Kind.LIFT, identifier="A2-LIFT",
                             unit=world.repair)
    world.gas = make_device(world.community_a, kind=Kind.GAS, identifier="A-GAS")
    world.smoke_b = make_device(world.estate_b, kind=Kind.SMOKE, identifier="B-SMOKE",
                                unit=world.unit_a)  # unit A looks after one in B too
    world.old = make_device(world.estate_a, identifier="A-OLD", status=Status.RETIRED,
                            retired_at=timezone.now())
    return world


def seen(actor, **filters) -> set[str]:
    return set(selectors.device_list(actor=actor, filters=selectors.DeviceFilters(**filters))
               .values_list("identifier", flat=True))


def test_each_actor_sees_the_devices_of_their_place_or_unit(reg):
    in_service = {"A-COVER", "A2-LIFT", "A-GAS"}
    assert seen(reg.alice) == in_service
    assert seen(reg.bob) == {"B-SMOKE"}
    assert seen(reg.gina) == {"A-COVER", "A-GAS"}  # her grid, and the community's own
    assert seen(reg.uma) == {"A-COVER", "B-SMOKE"}  # her unit's, wherever they are
    assert seen(reg.leo) == seen(reg.ada) == in_service | {"B-SMOKE"}
    assert seen(reg.rita) == seen(reg.nobody) == set()
    assert not selectors.sees_registry(reg.rita) and selectors.sees_registry(reg.uma)
    assert selectors.manages_any(reg.alice) and not selectors.manages_any(reg.gina)


def test_out_of_scope_is_a_404(reg):
    assert selectors.device_get(actor=reg.uma, device_id=reg.smoke_b.pk) == reg.smoke_b
    for actor, device in ((reg.bob, reg.cover), (reg.gina, reg.lift), (reg.rita, reg.cover),
                          (reg.uma, reg.lift)):
        with pytest.raises(Http404):
            selectors.device_get(actor=actor, device_id=device.pk)


def test_filters_and_counts(reg):
    assert seen(reg.alice, statuses=(Status.RETIRED,)) == {"A-OLD"}
    assert seen(reg.alice, kinds=(Kind.LIFT, Kind.GAS)) == {"A2-LIFT", "A-GAS"}
    assert seen(reg.ada, community_id=reg.community_b.pk) == {"B-SMOKE"}
    assert seen(reg.alice, search="cover") == {"A-COVER"}
    counts = selectors.device_counts(actor=reg.alice, filters=selectors.DeviceFilters())
    assert counts == {Status.ACTIVE: 3, Status.OFFLINE: 0, Status.LOW_BATTERY: 0,
                      Status.RETIRED: 1}
    assert [a.pk for a in selectors.device_communities(actor=reg.ada)] == [
        reg.community_a.pk, reg.community_b.pk]


def test_the_map_shows_devices_coloured_by_status_and_the_areas(reg):
    reg.estate_a.lat, reg.estate_a.lng = "30.576", "114.291"
    reg.estate_a.save()
    reg.grid_a1.boundary = {"type": "Polygon", "coordinates": [[
        [114.28, 30.57], [114.30, 30.57], [114.30, 30.58], [114.28, 30.58], [114.28, 30.57]]]}
    reg.grid_a1.save()
    reg.gas.status = Status.OFFLINE
    reg.gas.save()
    points = selectors.map_points(selectors.map_devices(actor=reg.alice))
    by_title = {f["properties"]["title"]: f for f in points["features"]}
    # The community has no centre: the gas detector has no position to show.
    assert set(by_title) == {"测试设备 (A-COVER)"}
    cover = by_title["测试设备 (A-COVER)"]
    assert cover["geometry"]["coordinates"] == [114.29, 30.575]
    assert cover["properties"]["light"] == "green"
    assert cover["properties"]["url"] == f"/iot/devices/{reg.cover.pk}/"
    shapes = selectors.map_areas(actor=reg.gina)
    assert [f["properties"]["name"] for f in shapes["features"]
            if f["geometry"]["type"] == "Polygon"] == ["花楼第一网格"]
    assert selectors.map_areas(actor=reg.rita)["features"] == []


def test_a_devices_readings_rollups_and_refusals(reg):
    now = timezone.now()
    for tilt in (3, 5):
        assert message_handle(topic(reg.cover, "telemetry"),
                              payload(values={"tilt_deg": tilt}, battery=80)) == HANDLED
    message_handle(topic(reg.cover, "alarm"), b"{not json")
    latest = selectors.latest_values(selectors.last_readings(reg.cover))
    assert latest == {"battery": 80.0, "tilt_deg": 5.0}
    hours = selectors.hourly(reg.cover, now + timedelta(minutes=1))
    assert len(hours) == 1 and hours[0]["stats"]["tilt_deg"] == {
        "count": 2, "min": 3.0, "max": 5.0, "mean": 4.0}
    chart = selectors.readings_chart(hours)
    assert [s["name"] for s in chart["series"]] == ["battery", "tilt_deg"]
    reg.cover.refresh_from_db()
    refused = selectors.refusals(reg.cover)
    assert (refused.total, refused.by_reason) == (1, {"malformed": 1})
    assert refused.recent == list(Rejection.objects.filter(device=reg.cover))
    assert list(selectors.device_alarms(actor=reg.bob, device=reg.cover)) == []


def test_a_place_is_found_by_code_or_names_and_written_back_alike(reg):
    places = selectors.Places(reg.alice)
    assert places.find("花楼社区/花楼第一网格/花楼小区/1栋/1单元/101") == reg.dwelling_a
    assert places.find("420103001001001 > 花楼小区") == reg.estate_a
    assert places.find(" 420103001001 ") == reg.community_a
    written_back = "花楼社区 / 花楼第一网格 / 花楼小区 / 1栋 / 1单元 / 101"
    assert selectors.place_text(reg.dwelling_a) == written_back
    assert places.find(selectors.place_text(reg.dwelling_a)) == reg.dwelling_a
    for text in ("", "没有社区", "花楼社区/没有网格"):
        with pytest.raises(ValidationFailed) as caught:
            places.find(text)
        assert caught.value.details[0]["field"] == "area"
