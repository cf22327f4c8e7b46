"""The grid map: a grid worker's grid, its open cases, and the care households due for a
visit as a count per building: never a name, a dwelling or a need."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.services import case_report
from linli.cases.tests.factories import category
from linli.cases.tests.viewtools import body, login_as
from linli.orgs.tests.shapetools import GRID, shaped_world
from linli.people import selectors
from linli.people.tests.factories import cared_for

pytestmark = pytest.mark.django_db
URL = "/people/grid-map/"


def map_data(html: str, name: str) -> dict:
    found = re.search(rf'<script id="linli-map-\d+-{name}" type="application/json">(.*?)'
                      r"</script>", html, re.S)
    assert found, f"no {name} on the map"
    return json.loads(found.group(1))


@pytest.fixture
def grid_world(people):
    w = shaped_world(people)
    today = timezone.localdate()
    cared_for(w.alice, w.rosa, w.gina, next_visit_due=today - timedelta(days=2))
    cared_for(w.alice, w.kang, w.gary, next_visit_due=today + timedelta(days=1))
    w.case = case_report(actor=w.rita, category=category(), area=w.dwelling_a,
                         description="楼道水管漏水")
    return w


def test_the_grid_worker_sees_the_grid_cases_and_masked_visits(client, grid_world):
    w = grid_world
    html = body(login_as(client, w.gina).get(URL))
    areas = {f["properties"]["name"]: f["geometry"] for f in map_data(html, "areas")["features"]}
    assert areas["花楼第一网格"] == GRID and "花楼第二网格" not in areas
    cases = map_data(html, "cases")["features"]
    assert [c["properties"]["id"] for c in cases] == [w.case.pk]
    visits = map_data(html, "visits")["features"]
    assert [v["properties"] for v in visits] == [{"title": "1 household to visit"}]
    assert visits[0]["geometry"]["coordinates"] == [114.283, 30.58275]  # building 1栋
    for secret in ("王秀英", "李强", "101", "lonely"):
        assert secret not in json.dumps(visits, ensure_ascii=False)
    assert "王秀英" not in html


def test_another_grids_households_are_not_counted(client, grid_world):
    w = grid_world
    rows = selectors.visits_due_by_place(actor=w.gina, grids=[w.grid_a1])
    assert [(b.name, n) for b, n in rows] == [("1栋", 1)]
    assert selectors.visits_due_by_place(actor=w.gina, grids=[w.grid_a2]) == []


@pytest.mark.parametrize("username", ["alice", "rita", "uma", "leo", "nobody"])
def test_the_grid_map_is_for_grid_workers(client, grid_world, username):
    assert login_as(client, getattr(grid_world, username)).get(URL).status_code == 404


def test_the_grid_map_needs_signing_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_grid_workers_home_links_to_it(client, grid_world):
    assert 'id="tile-grid-map"' in body(login_as(client, grid_world.gina).get("/"))
