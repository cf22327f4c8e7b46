"""The area tree page: what each person sees, in the order a person expects."""

import pytest

from linli.orgs import views
from linli.orgs.tests.factories import make_area

pytestmark = pytest.mark.django_db


def _areas(client) -> list:
    return client.get("/orgs/").context["areas"]


def _rows(client) -> list[str]:
    return [a.name for a in _areas(client)]


def test_siblings_are_in_code_then_natural_name_order_not_creation_order(client, world):
    make_area("grid", "花楼第十网格", world.community_a, code="420103001001010")
    make_area("grid", "花楼第三网格", world.community_a, code="420103001001003")
    for name in ("10栋", "2栋"):
        make_area("building", name, world.estate_a)
    client.force_login(world.ada)
    areas = _areas(client)
    rows = [a.name for a in areas]
    grids = [a.name for a in areas if a.parent_id == world.community_a.pk]
    assert grids == ["花楼第一网格", "花楼第二网格", "花楼第三网格", "花楼第十网格"]
    buildings = [a.name for a in areas if a.parent_id == world.estate_a.pk]
    assert buildings == ["1栋", "2栋", "10栋"]
    # Depth first: each area comes right after its parent's earlier siblings' subtrees.
    assert rows.index("花楼小区") == rows.index("花楼第一网格") + 1
    assert rows.index("1栋") == rows.index("花楼小区") + 1


def test_each_person_sees_their_own_part_of_the_tree(client, world):
    client.force_login(world.alice)
    alice = _rows(client)
    assert "花楼社区" in alice and "水塔社区" not in alice and "水塔小区" not in alice
    client.force_login(world.bob)
    bob = _rows(client)
    assert "水塔社区" in bob and "花楼社区" not in bob
    assert bob[:3] == ["江汉区", "民族街道", "水塔社区"]  # the chain above comes first
    client.force_login(world.gina)
    assert "101" not in _rows(client)  # dwellings are left out of the page


@pytest.mark.parametrize("who", ["rita", "nobody"])
def test_the_tree_is_not_for_residents_and_their_nav_has_no_link(client, world, who):
    """The area tree is a working view for staff (issue #11 item 8)."""
    client.force_login(getattr(world, who))
    assert client.get("/orgs/").status_code == 404
    home = client.get("/").content.decode()
    assert 'id="nav-areas"' not in home and 'href="/orgs/"' not in home


@pytest.mark.parametrize("who", ["alice", "gina", "uma", "leo", "ada"])
def test_those_who_serve_areas_have_the_link(client, world, who):
    client.force_login(getattr(world, who))
    assert 'id="nav-areas"' in client.get("/").content.decode()
    assert client.get("/orgs/").status_code == 200


def test_the_anonymous_are_sent_to_log_in(client, world):
    assert client.get("/orgs/").url == "/accounts/login/?next=/orgs/"


def test_a_long_tree_says_it_was_cut(client, world, monkeypatch):
    monkeypatch.setattr(views, "TREE_LIMIT", 3)
    client.cookies["linli_language"] = "en"
    client.force_login(world.ada)
    response = client.get("/orgs/")
    assert len(response.context["areas"]) == 3
    assert "Only the first 3 areas are shown." in response.content.decode()
    monkeypatch.setattr(views, "TREE_LIMIT", 2000)
    assert 'id="tree-truncated"' not in client.get("/orgs/").content.decode()
