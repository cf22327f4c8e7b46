"""The case maps: the staff map and its GeoJSON (scoped and filtered like the queue), the
case page's map, the report form's area shapes."""

import json
import re
from decimal import Decimal

import pytest

from linli.cases.services import case_report
from linli.cases.tests.viewtools import body, login_as
from linli.orgs.tests.shapetools import BUILDING, shaped_world

pytestmark = pytest.mark.django_db
GEOJSON = "/cases/map/cases.geojson"


@pytest.fixture
def cases(world, leak):
    shaped_world(world)
    world.estate_b.lat, world.estate_b.lng = Decimal("30.5850"), Decimal("114.2920")
    world.estate_b.save()
    pinned = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                         description="楼道水管漏水", lat=Decimal("30.5828"),
                         lng=Decimal("114.2831"))
    unpinned = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                           description="楼道灯坏了")
    elsewhere = case_report(actor=world.bob, category=leak, area=world.estate_b,
                            description="水塔小区路面塌陷", channel="hotline")
    return pinned, unpinned, elsewhere


def map_data(html: str, name: str) -> dict:
    """The json_script block of the page's (first) map: "areas", "cases" or "visits"."""
    found = re.search(rf'<script id="linli-map-\d+-{name}" type="application/json">(.*?)'
                      r"</script>", html, re.S)
    assert found, f"no {name} on the map"
    return json.loads(found.group(1))


def names(collection: dict) -> set[str]:
    return {f["properties"]["name"] for f in collection["features"]}


def _features(client, url=GEOJSON) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return {f["properties"]["id"]: f for f in json.loads(response.content)["features"]}


def test_the_staff_map_page_shows_shapes_and_loads_the_cases_with_the_filters(client, world,
                                                                              cases):
    html = body(login_as(client, world.alice).get("/cases/map/?state=reported&q=漏水"))
    assert 'class="linli-map"' in html and 'data-cluster="1"' in html
    assert f'data-cases-url="{GEOJSON}?state=reported&amp;q=' in html
    shown = names(map_data(html, "areas"))
    assert "花楼小区" in shown and "水塔小区" not in shown  # shapes of alice's areas only
    assert 'id="map-filters"' in html and 'name="unit"' in html  # the queue's filter form


def test_the_map_geojson_is_scoped_like_the_queue(client, world, cases):
    pinned, unpinned, elsewhere = cases
    found = _features(login_as(client, world.alice))
    assert set(found) == {pinned.pk, unpinned.pk}
    assert found[pinned.pk]["geometry"]["coordinates"] == [114.2831, 30.5828]
    # No pin: the building's centre, never the dwelling.
    assert found[unpinned.pk]["geometry"]["coordinates"] == [114.283, 30.58275]
    props = found[pinned.pk]["properties"]
    assert props["url"] == f"/cases/{pinned.pk}/" and props["state"] == "reported"
    assert props["light"] in ("green", "yellow", "red") and props["title"]
    assert set(_features(login_as(client, world.bob))) == {elsewhere.pk}


def test_the_map_geojson_applies_the_queue_filters(client, world, cases):
    _pinned, unpinned, _elsewhere = cases
    login_as(client, world.alice)
    assert set(_features(client, f"{GEOJSON}?q=灯")) == {unpinned.pk}
    assert set(_features(client, f"{GEOJSON}?state=closed")) == set()
    assert set(_features(client, f"{GEOJSON}?area={world.grid_a2.pk}")) == set()


@pytest.mark.parametrize("query", ["area={b}", "area=abc", "state=nonsense", "since=2026-13-01"])
def test_a_bad_or_foreign_filter_is_refused_by_the_geojson_not_dropped(client, world, cases,
                                                                        query):
    login_as(client, world.alice)
    response = client.get(f"{GEOJSON}?{query.format(b=world.community_b.pk)}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and body["details"][0]["field"] in (
        "area", "state", "since")


@pytest.mark.parametrize("username", ["rita", "uma", "nobody"])
@pytest.mark.parametrize("url", ["/cases/map/", GEOJSON])
def test_the_staff_map_is_not_for_residents_or_units(client, world, cases, username, url):
    assert login_as(client, getattr(world, username)).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/cases/map/", GEOJSON])
def test_the_staff_map_needs_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_queue_and_the_home_link_to_the_map(client, world, cases):
    login_as(client, world.alice)
    assert 'href="/cases/map/?state=reported"' in body(client.get("/cases/queue/?state=reported"))
    assert 'id="tile-map"' in body(client.get("/"))


def test_the_case_page_shows_the_case_among_its_grids_shapes(client, world, cases):
    pinned, unpinned, _elsewhere = cases
    html = body(login_as(client, world.rita).get(f"/cases/{pinned.pk}/"))
    assert 'id="case-map"' in html
    marks = map_data(html, "cases")["features"]
    assert [m["geometry"]["coordinates"] for m in marks] == [[114.2831, 30.5828]]
    shapes = {f["properties"]["name"]: f["geometry"] for f in map_data(html, "areas")["features"]}
    assert shapes["1栋"] == BUILDING and "花楼社区" not in shapes  # the grid and below
    assert 'id="case-map"' in body(client.get(f"/cases/{unpinned.pk}/"))


def test_a_case_with_no_place_on_a_map_has_no_map(client, world, leak):
    case = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                       description="楼道水管漏水")
    assert 'id="case-map"' not in body(login_as(client, world.rita).get(f"/cases/{case.pk}/"))


def test_the_report_form_draws_the_communitys_shapes(client, world):
    shaped_world(world)
    html = body(login_as(client, world.rita).get("/cases/new/"))
    assert 'data-pick-lat="id_lat"' in html and 'data-pick-lng="id_lng"' in html
    assert names(map_data(html, "areas")) >= {"花楼第一网格", "花楼小区", "1栋"}
    assert "/static/linli/maps.js" in html and "markercluster.js" in html
