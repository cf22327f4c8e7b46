"""The shape pages: one area's shape pasted or uploaded, and the GeoJSON/KML import with
its check-only run; each refused with the reason and nothing changed."""

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.core.models import AuditEntry
from linli.orgs.models import Area
from linli.orgs.tests.shapetools import (
    BOWTIE,
    BUILDING,
    COMMUNITY,
    ELSEWHERE,
    ESTATE,
    GRID,
    box,
    shape,
)

pytestmark = pytest.mark.django_db
IMPORT = "/orgs/import/shapes/"


def login(client, user):
    client.force_login(user)
    client.cookies["linli_language"] = "en"
    return client


def page(area) -> str:
    return f"/orgs/areas/{area.pk}/shape/"


def upload(data, name: str = "shapes.geojson") -> SimpleUploadedFile:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry}
        for props, geometry in features]}


# --- one area's shape ---------------------------------------------------------------------

def test_the_admin_pastes_a_shape_and_sees_it(client, world):
    shape(world.community_a, COMMUNITY)
    login(client, world.ada)
    assert 'data-preview="id_geojson"' in client.get(page(world.grid_a1)).content.decode()
    response = client.post(page(world.grid_a1), {"geojson": json.dumps(GRID)})
    assert response.status_code == 302
    assert Area.objects.get(pk=world.grid_a1.pk).boundary == GRID
    assert "has a shape" in client.get(page(world.grid_a1)).content.decode()


def test_the_admin_uploads_a_geojson_file(client, world):
    login(client, world.ada)
    response = client.post(page(world.estate_a), {"file": upload(
        collection(({"name": "花楼小区"}, ESTATE)))})
    assert response.status_code == 302
    assert Area.objects.get(pk=world.estate_a.pk).boundary == ESTATE


@pytest.mark.parametrize("posted, words", [
    ({"geojson": "{not json"}, "not valid JSON"),
    ({"geojson": json.dumps(BOWTIE)}, "crosses itself"),
    ({"geojson": json.dumps(ELSEWHERE)}, "goes outside 花楼社区"),
    ({"geojson": ""}, "Paste the shape"),
])
def test_a_bad_shape_is_refused_in_place_and_nothing_changes(client, world, posted, words):
    shape(world.community_a, COMMUNITY)
    response = login(client, world.ada).post(page(world.grid_a1), posted)
    assert response.status_code == 400 and words in response.content.decode()
    assert Area.objects.get(pk=world.grid_a1.pk).boundary is None
    assert not AuditEntry.objects.filter(action="area.shape_set").exists()


def test_the_admin_clears_a_shape(client, world):
    shape(world.grid_a1, GRID)
    response = login(client, world.ada).post(page(world.grid_a1), {"clear": "1"})
    assert response.status_code == 302
    assert Area.objects.get(pk=world.grid_a1.pk).boundary is None


@pytest.mark.parametrize("username", ["alice", "gina", "leo", "rita", "uma", "nobody"])
def test_the_shape_page_is_for_admins_only(client, world, username):
    login(client, getattr(world, username))
    assert client.get(page(world.grid_a1)).status_code == 404
    assert client.post(page(world.grid_a1), {"geojson": json.dumps(GRID)}).status_code == 404
    assert Area.objects.get(pk=world.grid_a1.pk).boundary is None


def test_an_admin_of_another_community_gets_404(client, world):
    bea = UserFactory.create(username="bea")
    assign(bea, Role.ADMIN, world.community_b)
    assert login(client, bea).get(page(world.grid_a1)).status_code == 404
    assert client.get(page(world.grid_b1)).status_code == 200


def test_dwellings_have_no_shape_page_and_anonymous_people_sign_in(client, world):
    assert login(client, world.ada).get(page(world.dwelling_a)).status_code == 404
    client.logout()
    assert client.get(page(world.grid_a1)).status_code == 302


def test_the_tree_offers_shapes_to_admins_only(client, world):
    html = login(client, world.ada).get("/orgs/").content.decode()
    assert f'href="{page(world.grid_a1)}"' in html and 'id="shapes-import-link"' in html
    html = login(client, world.alice).get("/orgs/").content.decode()
    assert "shape-link" not in html and "shapes-import-link" not in html


# --- importing many -----------------------------------------------------------------------

def _import(client, world, data, *, name="shapes.geojson", go=True, parent=None):
    posted = {"parent": (parent or world.community_a).pk, "file": upload(data, name)}
    posted["import" if go else "check"] = "1"
    return login(client, world.ada).post(IMPORT, posted)


def test_a_file_with_a_grid_and_its_estate_is_imported_by_code_and_name(client, world):
    shape(world.community_a, COMMUNITY)
    data = collection(({"code": world.grid_a1.code}, GRID), ({"name": "花楼小区"}, ESTATE),
                      ({"name": "1栋"}, BUILDING))
    response = _import(client, world, data)
    assert response.status_code == 200, response.content.decode()
    assert "Imported the shapes of 3 areas" in response.content.decode()
    assert Area.objects.get(pk=world.grid_a1.pk).boundary == GRID
    assert Area.objects.get(pk=world.building_a.pk).boundary == BUILDING
    assert AuditEntry.objects.filter(action="area.shapes_imported").count() == 3


def test_check_only_changes_nothing(client, world):
    response = _import(client, world, collection(({"name": "花楼小区"}, ESTATE)), go=False)
    assert response.status_code == 200 and "All 1 feature is fine" in response.content.decode()
    assert Area.objects.get(pk=world.estate_a.pk).boundary is None


def test_problems_are_listed_by_feature_and_nothing_is_imported(client, world):
    shape(world.community_a, COMMUNITY)
    data = collection(({"name": "花楼小区"}, ESTATE), ({"name": "不存在"}, GRID),
                      ({"name": "1栋"}, BOWTIE), ({"code": world.grid_b1.code}, GRID))
    response = _import(client, world, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 3 feature(s) have problems" in html
    assert "No area called 不存在 lies under 花楼社区" in html
    assert "crosses itself" in html
    assert f"No area with the code {world.grid_b1.code} lies under 花楼社区" in html
    assert not Area.objects.filter(boundary__isnull=False).exclude(
        pk=world.community_a.pk).exists()


def test_a_feature_outside_the_parent_area_is_refused(client, world):
    shape(world.community_a, COMMUNITY)
    response = _import(client, world, collection(({"name": "花楼第一网格"}, ELSEWHERE)))
    assert response.status_code == 400 and "goes outside 花楼社区" in response.content.decode()
    assert Area.objects.get(pk=world.grid_a1.pk).boundary is None


def test_an_estate_outside_the_grid_in_the_same_file_is_refused(client, world):
    data = collection(({"name": "花楼第一网格"}, GRID),
                      ({"name": "花楼小区"}, box(114.286, 30.582, 114.288, 30.585)))
    response = _import(client, world, data)
    assert response.status_code == 400
    assert "花楼小区's shape goes outside 花楼第一网格" in html.unescape(response.content.decode())


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>花楼小区</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
114.282,30.582,0 114.284,30.582,0 114.284,30.585,0 114.282,30.585,0 114.282,30.582,0
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>网格</name><ExtendedData><Data name="code"><value>{code}</value></Data>
</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>
114.281,30.581 114.285,30.581 114.285,30.589 114.281,30.589 114.281,30.581
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>"""


def test_a_kml_file_is_imported(client, world):
    content = KML.format(code=world.grid_a1.code).encode()
    response = _import(client, world, content, name="shapes.kml")
    assert response.status_code == 200, response.content.decode()
    assert Area.objects.get(pk=world.estate_a.pk).boundary == ESTATE
    assert Area.objects.get(pk=world.grid_a1.pk).boundary == GRID


@pytest.mark.parametrize("content, name, words", [
    (b"<!DOCTYPE kml [<!ENTITY a 'b'>]><kml/>", "x.kml", "declares XML entities"),
    (b"<kml><Placemark>", "x.kml", "not well-formed"),
    (b"{}", "x.geojson", "must be a FeatureCollection"),
    (b"hello", "x.txt", "Choose a GeoJSON"),
])
def test_a_bad_file_is_refused_with_the_reason(client, world, content, name, words):
    response = _import(client, world, content, name=name)
    assert response.status_code == 400 and words in response.content.decode()


@pytest.mark.parametrize("username", ["alice", "gina", "rita", "nobody"])
def test_the_import_is_for_admins_only(client, world, username):
    login(client, getattr(world, username))
    assert client.get(IMPORT).status_code == 404


def test_an_admin_may_not_import_under_another_community(client, world):
    bea = UserFactory.create(username="bea")
    assign(bea, Role.ADMIN, world.community_b)
    response = login(client, bea).post(IMPORT, {
        "parent": world.community_a.pk, "file": upload(collection(({"name": "花楼小区"}, ESTATE))),
        "import": "1"})
    assert response.status_code == 400  # not among the choices
    assert Area.objects.get(pk=world.estate_a.pk).boundary is None


# --- the shapes for maps that load them ---------------------------------------------------

def test_the_shapes_endpoint_gives_what_the_person_sees(client, world):
    shape(world.community_a, COMMUNITY)
    shape(world.grid_a1, GRID)
    shape(world.grid_b1, box(114.291, 30.581, 114.295, 30.589))
    response = login(client, world.rita).get("/orgs/shapes.geojson")
    assert response["Content-Type"] == "application/geo+json"
    names = {f["properties"]["name"] for f in json.loads(response.content)["features"]}
    assert names == {"花楼社区", "花楼第一网格"}
    narrowed = client.get(f"/orgs/shapes.geojson?under={world.grid_a1.pk}")
    assert [f["properties"]["name"] for f in json.loads(narrowed.content)["features"]] == [
        "花楼第一网格"]
    assert client.get(f"/orgs/shapes.geojson?under={world.grid_b1.pk}").status_code == 404
    assert client.get("/orgs/shapes.geojson?under=x").status_code == 404
    client.logout()
    assert client.get("/orgs/shapes.geojson").status_code == 302
