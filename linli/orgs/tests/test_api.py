import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(client, world):
    response = client.get("/api/orgs/areas")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_dispatcher_sees_own_community_and_the_chain_above(client, world):
    client.force_login(world.alice)
    names = {a["name"] for a in client.get("/api/orgs/areas?page_size=500").json()["items"]}
    assert "花楼社区" in names and "101" in names and "民族街道" in names
    assert "水塔社区" not in names and "201" not in names


def test_other_community_area_is_404(client, world):
    client.force_login(world.bob)
    assert client.get(f"/api/orgs/areas/{world.dwelling_a.pk}").status_code == 404


def test_resident_sees_community_but_not_other_dwellings(client, world):
    from linli.orgs.tests.factories import make_area

    neighbour = make_area("dwelling", "102", world.entrance_a)
    client.force_login(world.rita)
    ids = {a["id"] for a in client.get("/api/orgs/areas?page_size=500").json()["items"]}
    assert world.dwelling_a.pk in ids and world.grid_a2.pk in ids
    assert neighbour.pk not in ids and world.community_b.pk not in ids
