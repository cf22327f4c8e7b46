"""Area shapes: the checks on a GeoJSON polygon, setting and clearing (audited, refused
with the reason and nothing changed), and the FeatureCollection the maps draw."""

import pytest
from django.utils import translation

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.orgs import geometry
from linli.orgs.demo import demo_tree
from linli.orgs.models import Area
from linli.orgs.shapes import area_shape_clear, area_shape_set, area_shapes, shaped_parent
from linli.orgs.tests.shapetools import (
    BOWTIE,
    BUILDING,
    COMMUNITY,
    ELSEWHERE,
    GRID,
    box,
    shape,
    shaped_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("data, words", [
    ({"type": "Point", "coordinates": [114.28, 30.58]}, "Polygon or MultiPolygon; got Point"),
    ({"type": "Polygon", "coordinates": [[[114.28, 30.58], [114.29, 30.58], [114.28, 30.58]]]},
     "at least 4 positions"),
    ({"type": "Polygon", "coordinates": [[[114.28, 30.58], [114.29, 30.58], [114.29, 30.59],
                                          [114.28, 30.59]]]}, "is not closed"),
    ({"type": "Polygon", "coordinates": [[[30.58, 214.28], [30.59, 214.28], [30.59, 214.29],
                                          [30.58, 214.28]]]}, "is not a longitude and latitude"),
    ({"type": "Polygon", "coordinates": [[[114.28, "x"], [114.29, 30.58], [114.29, 30.59],
                                          [114.28, "x"]]]}, "position 1: a position must be"),
    ({"type": "Polygon", "coordinates": []}, "has no rings"),
    ({"type": "MultiPolygon", "coordinates": []}, "has no polygons"),
    (BOWTIE, "crosses itself"),
    ({"type": "Polygon", "coordinates": [[[114.28, 30.58], [114.29, 30.58], [114.30, 30.58],
                                          [114.28, 30.58]]]}, "no area"),
    ({"type": "FeatureCollection", "features": []}, "holds 0 shapes"),
])
def test_bad_shapes_are_refused_naming_the_problem(data, words):
    with pytest.raises(ValidationFailed) as caught:
        geometry.clean_geometry(data)
    assert words in caught.value.message


def test_a_feature_or_a_one_feature_collection_gives_its_polygon_rounded():
    noisy = box(114.281234567891, 30.58, 114.29, 30.59)
    feature = {"type": "Feature", "properties": {}, "geometry": noisy}
    cleaned = geometry.clean_geometry({"type": "FeatureCollection", "features": [feature]})
    assert cleaned["type"] == "Polygon"
    assert cleaned["coordinates"][0][0] == [114.2812346, 30.58]


def test_the_admin_sets_a_shape_inside_the_parents_and_it_is_audited(world):
    shape(world.community_a, COMMUNITY)
    area_shape_set(actor=world.ada, area=world.grid_a1, data=GRID)
    world.grid_a1.refresh_from_db()
    assert world.grid_a1.boundary == GRID
    assert world.grid_a1.lat is not None  # a centre inside the shape, for the maps
    assert geometry.point_within(float(world.grid_a1.lng), float(world.grid_a1.lat), GRID)
    entry = AuditEntry.objects.get(action="area.shape_set")
    assert entry.object_id == str(world.grid_a1.pk) and entry.actor == world.ada
    assert entry.changes["boundary"] == ["", "1 polygon(s), 5 points"]


def test_a_shape_outside_its_parent_is_refused_and_nothing_changes(world):
    shape(world.community_a, COMMUNITY)
    with pytest.raises(ValidationFailed) as caught:
        area_shape_set(actor=world.ada, area=world.grid_a1, data=ELSEWHERE)
    assert "goes outside 花楼社区's shape" in caught.value.message
    world.grid_a1.refresh_from_db()
    assert world.grid_a1.boundary is None and not AuditEntry.objects.exists()


def test_the_nearest_shaped_area_above_counts_when_the_parent_has_none(world):
    shape(world.grid_a1, GRID)
    assert shaped_parent(world.building_a) == world.grid_a1  # the estate has no shape
    with pytest.raises(ValidationFailed, match="花楼第一网格"):
        area_shape_set(actor=world.ada, area=world.building_a, data=ELSEWHERE)
    area_shape_set(actor=world.ada, area=world.building_a, data=BUILDING)


def test_a_parent_shape_must_hold_the_shapes_below(world):
    shaped_world(world)
    with pytest.raises(ValidationFailed) as caught:
        area_shape_set(actor=world.ada, area=world.grid_a1, data=box(114.281, 30.586,
                                                                     114.285, 30.589))
    assert "花楼小区 lies below 花楼第一网格" in caught.value.message
    world.grid_a1.refresh_from_db()
    assert world.grid_a1.boundary == GRID


def test_entrances_and_dwellings_have_no_shape(world):
    with pytest.raises(ValidationFailed, match="no shape of their own"):
        area_shape_set(actor=world.ada, area=world.dwelling_a, data=BUILDING)


@pytest.mark.parametrize("username", ["alice", "gina", "leo", "rita", "nobody"])
def test_only_admins_of_the_area_draw_shapes(world, username):
    with pytest.raises(PermissionDenied):
        area_shape_set(actor=getattr(world, username), area=world.grid_a1, data=GRID)
    assert Area.objects.get(pk=world.grid_a1.pk).boundary is None


def test_an_admin_of_another_community_may_not(world):
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import UserFactory, assign

    other = UserFactory.create(username="bea")
    assign(other, Role.ADMIN, world.community_b)
    with pytest.raises(PermissionDenied):
        area_shape_set(actor=other, area=world.grid_a1, data=GRID)
    area_shape_set(actor=other, area=world.grid_b1, data=GRID)


def test_clearing_a_shape_is_audited_and_clearing_none_is_refused(world):
    shape(world.grid_a1, GRID)
    area_shape_clear(actor=world.ada, area=world.grid_a1)
    assert Area.objects.get(pk=world.grid_a1.pk).boundary is None
    assert AuditEntry.objects.filter(action="area.shape_cleared").count() == 1
    with pytest.raises(ValidationFailed, match="no shape to clear"):
        area_shape_clear(actor=world.ada, area=world.grid_a1)


def test_the_map_shapes_are_those_the_actor_sees(world):
    shaped_world(world)
    shape(world.grid_b1, box(114.291, 30.581, 114.295, 30.589))
    names = {f["properties"]["name"]: f for f in area_shapes(actor=world.rita)["features"]}
    assert {"花楼社区", "花楼第一网格", "花楼小区", "1栋"} <= set(names)
    assert "水塔第一网格" not in names  # another community
    assert names["1栋"]["properties"]["kind"] == "building"
    assert names["1栋"]["geometry"] == BUILDING
    assert not any(f["properties"]["kind"] in ("entrance", "dwelling")
                   for f in area_shapes(actor=world.ada)["features"])


def test_an_area_with_only_a_centre_is_a_point(world):
    world.grid_a2.lat, world.grid_a2.lng = "30.5850", "114.2860"
    world.grid_a2.save()
    found = [f for f in area_shapes(actor=world.alice, roots=[world.community_a])["features"]
             if f["properties"]["id"] == world.grid_a2.pk]
    assert found[0]["geometry"] == {"type": "Point", "coordinates": [114.286, 30.585]}


def test_the_demo_shapes_nest_buildings_in_estates_in_grids_in_communities():
    demo_tree()
    shaped = list(Area.objects.filter(boundary__isnull=False))
    assert len(shaped) == 1 + 2 + 6 + 12 + 24  # street, communities, grids, estates, buildings
    for area in shaped:
        assert area.boundary is not None and area.lat is not None and area.lng is not None
        geometry.clean_geometry(area.boundary)
        above = shaped_parent(area)
        if above is not None and above.boundary is not None:
            assert geometry.within(area.boundary, above.boundary), area.name
        assert geometry.point_within(float(area.lng), float(area.lat), area.boundary)
