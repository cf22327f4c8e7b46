"""GET /api/inspections/ledger and /ledger/rows: anonymous, another community's campaign or
area, the wrong role, and the inspectors of the place."""

from datetime import date

import pytest
from django.utils import timezone

from linli.cases.tests.viewtools import login_as
from linli.inspections.tests.ledger_fixtures import MARCH_NOW, at, filters_from, march, spread

pytestmark = pytest.mark.django_db

LEDGER = "/api/inspections/ledger"
ROWS = "/api/inspections/ledger/rows"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("url", [LEDGER, ROWS])
def test_anonymous_is_401(client, world, url):
    spread(world)
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


@pytest.mark.parametrize("url", [LEDGER, ROWS])
@pytest.mark.parametrize("who", ["rita", "uma", "nobody"])
def test_a_person_without_an_inspector_role_is_403(client, world, url, who):
    spread(world)
    login_as(client, getattr(world, who))
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize("url", [LEDGER, ROWS])
@pytest.mark.parametrize("param", ["campaign_id", "area_id"])
def test_a_campaign_or_area_of_another_community_is_404(client, world, url, param):
    orders = spread(world)
    login_as(client, world.alice)
    theirs = {"campaign_id": orders["b"].campaign_id, "area_id": world.community_b.pk}[param]
    response = client.get(url, {param: theirs})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert client.get(url, {param: 987654321}).status_code == 404
    login_as(client, world.bob)
    assert client.get(url, {param: theirs}).status_code == 200


@pytest.mark.parametrize("url", [LEDGER, ROWS])
@pytest.mark.parametrize("given", [{"from": "2026-13"}, {"from": "March"},
                                   {"from": "2026-05", "to": "2026-04"},
                                   {"from": "2020-01", "to": "2026-12"}, {"topic": "water"},
                                   {"campaign_id": "x"}])
def test_bad_filters_are_400_with_the_field(client, world, url, given):
    spread(world)
    login_as(client, world.alice)
    response = client.get(url, given)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


@pytest.mark.parametrize(("who", "found"), [("alice", 2), ("gina", 1), ("leo", 3), ("bob", 1)])
def test_inspectors_read_the_figures_of_their_areas(client, world, who, found):
    spread(world)
    login_as(client, getattr(world, who))
    body = client.get(LEDGER).json()
    year = timezone.localdate().year
    assert (body["first"], body["last"]) == (f"{year}-01-01", f"{year}-12-31")
    assert len(body["months"]) == 12
    assert body["summary"]["found"]["count"] == found
    assert body["summary"]["found"]["orders_url"].startswith("/inspections/orders/?")
    rows = client.get(ROWS).json()
    assert rows["count"] == found and len(rows["items"]) == found
    assert [item["number"] for item in rows["items"]] == list(range(1, found + 1))


def test_the_figures_and_links_of_march(client, world, media, time_machine):
    march(world)
    time_machine.move_to(at(MARCH_NOW), tick=False)
    login_as(client, world.alice)
    body = client.get(LEDGER, {"from": "2026-03", "to": "2026-04"}).json()
    assert body["months"] == ["2026-03", "2026-04"]
    grid = body["by_grid"][0]
    assert grid["label"] == "花楼第一网格"
    march_cell = grid["months"][0]
    assert (march_cell["due"]["count"], march_cell["rectified"]["count"],
            march_cell["rate"]) == (4, 3, 75.0)
    assert filters_from(march_cell["due"]["orders_url"]).due_from == date(2026, 3, 1)
    assert body["by_topic"][0]["label"] == "gas safety"  # login_as reads in English


def test_rows_page_on_with_their_numbers(client, world, media):
    march(world)
    login_as(client, world.alice)
    given = {"from": "2026-01", "to": "2026-06", "page_size": 4}
    first = client.get(ROWS, given).json()
    second = client.get(ROWS, given | {"page": 2}).json()
    beyond = client.get(ROWS, given | {"page": 3}).json()
    assert first["count"] == 6
    assert [i["number"] for i in first["items"] + second["items"]] == [1, 2, 3, 4, 5, 6]
    assert beyond["items"] == []
    item = first["items"][0]
    assert item["target"].startswith("商铺") and item["severity_words"]
    assert item["due_on"] == "2026-03-05"
    assert item["status"] == "rectified, waiting for the re-check: 已更换软管"


def test_a_campaign_beyond_the_selects_rows_is_still_found(client, world, monkeypatch):
    from linli.inspections import forms_ledger

    orders = spread(world)
    login_as(client, world.alice)
    monkeypatch.setattr(forms_ledger, "MAX_CHOICES", 1)  # the select lists the newest only
    oldest = min(orders["a1"].campaign_id, orders["a2"].campaign_id)
    response = client.get(LEDGER, {"campaign_id": oldest})
    assert response.status_code == 200
    assert response.json()["summary"]["found"]["count"] == 1
