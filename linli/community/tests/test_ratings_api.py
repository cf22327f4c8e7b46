"""The ratings API (最美楼栋): anonymous 401, another community 404, wrong role 403, bad
input 400 with nothing changed, and the whole flow for staff and residents."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community import services
from linli.community.models import Criterion, Rating, Score, Source
from linli.community.tests import factories as life

pytestmark = pytest.mark.django_db
API = "/api/community"


def month() -> str:
    return timezone.localdate().replace(day=1).isoformat()


def send(client, method: str, path: str, body=None):
    if method == "get":
        return client.get(f"{API}{path}")
    return getattr(client, method)(f"{API}{path}", body or {}, content_type="application/json")


@pytest.fixture
def scene(world):
    b = life.rating_buildings(world)
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=timezone.localdate().replace(day=1))
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    return rating, clean, b


def operations(world, rating, clean, b):
    score = {"building_id": b["2栋"].pk, "criterion_id": clean.pk, "score": "36.5"}
    crit = {"name": "绿化", "max_score": 10, "source": "manual", "position": 9,
            "is_active": True}
    return [("get", "/ratings", None),
            ("post", "/ratings", {"community_id": world.community_a.pk, "month": month()}),
            ("get", f"/ratings/{rating.pk}", None),
            ("put", f"/ratings/{rating.pk}/scores", score),
            ("post", f"/ratings/{rating.pk}/recompute", {}),
            ("post", f"/ratings/{rating.pk}/publish", {}),
            ("get", "/criteria", None),
            ("post", "/criteria", crit | {"community_id": world.community_a.pk}),
            ("put", f"/criteria/{clean.pk}", crit)]


def snapshot() -> tuple:
    return (list(Rating.objects.values_list("state")), list(Score.objects.values_list("score")),
            list(Criterion.objects.values_list("name", "max_score", "is_active")))


def test_anonymous_is_401_everywhere(client, world, scene):
    for method, path, body in operations(world, *scene):
        assert send(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world, scene):
    client.force_login(world.bob)
    before = snapshot()
    for method, path, body in operations(world, *scene)[2:]:
        if path in ("/criteria",):
            continue
        assert send(client, method, path, body).status_code == 404, path
    assert send(client, "get", "/ratings").json()["items"] == []
    assert send(client, "get", "/criteria").json()["items"] == []
    assert snapshot() == before


def test_a_grid_worker_sees_but_may_not_score_and_a_resident_sees_nothing_open(
        client, world, scene):
    rating = scene[0]
    client.force_login(world.gina)
    before = snapshot()
    assert send(client, "get", f"/ratings/{rating.pk}").json()["can_score"] is False
    for method, path, body in operations(world, *scene)[3:]:
        if method == "get":
            continue
        answer = send(client, method, path, body)
        assert (answer.status_code, answer.json()["code"]) == (403, "not_rating_staff"), path
    assert snapshot() == before
    client.force_login(world.rita)
    assert send(client, "get", f"/ratings/{rating.pk}").status_code == 404
    assert send(client, "get", "/ratings").json()["items"] == []
    assert send(client, "post", "/ratings", {"community_id": world.community_a.pk,
                                              "month": month()}).status_code == 403


def test_bad_input_is_400_and_nothing_changes(client, world, scene):
    rating, clean, b = scene
    client.force_login(world.alice)
    before = snapshot()
    cases = [
        ("post", "/ratings", {"community_id": world.community_a.pk, "month": "2026-13-01"},
         "invalid"),
        ("post", "/ratings", {"community_id": world.community_a.pk,
                              "month": month()[:8] + "02"}, "bad_month"),
        ("post", "/ratings", {"community_id": world.grid_a1.pk, "month": month()},
         "bad_community"),
        ("put", f"/ratings/{rating.pk}/scores", {"building_id": b["1栋"].pk,
                                                 "criterion_id": clean.pk, "score": "40.5"},
         "bad_score"),
        ("put", f"/ratings/{rating.pk}/scores", {"building_id": b["1栋"].pk,
                                                 "criterion_id": clean.pk, "score": "-1"},
         "invalid"),
        ("put", f"/ratings/{rating.pk}/scores", {"building_id": world.dwelling_a.pk,
                                                 "criterion_id": clean.pk, "score": "1"},
         "bad_building"),
        ("post", "/criteria", {"community_id": world.community_a.pk, "name": "x",
                               "max_score": 5, "source": "votes"}, "bad_source"),
        ("post", "/criteria", {"community_id": world.community_a.pk, "name": "x",
                               "max_score": 500}, "invalid"),
    ]
    for method, path, body, code in cases:
        answer = send(client, method, path, body)
        assert (answer.status_code, answer.json()["code"]) == (400, code), (path, body)
    answer = send(client, "post", "/ratings", {"community_id": world.community_a.pk,
                                                "month": month()})
    assert (answer.status_code, answer.json()["code"]) == (409, "rating_exists")
    assert snapshot() == before


def test_staff_score_and_publish_and_a_resident_reads_the_ranking(client, world, scene):
    rating, clean, b = scene
    client.force_login(world.alice)
    answer = send(client, "put", f"/ratings/{rating.pk}/scores",
                  {"building_id": b["2栋"].pk, "criterion_id": clean.pk, "score": "36.5"})
    assert answer.status_code == 200
    assert answer.json()["ranking"][0]["building_name"] == "花楼小区 2栋"
    assert answer.json()["ranking"][0]["total"] == "66.50"
    assert send(client, "post", f"/ratings/{rating.pk}/recompute").status_code == 200
    published = send(client, "post", f"/ratings/{rating.pk}/publish")
    assert published.json()["state"] == "published"
    assert send(client, "post", f"/ratings/{rating.pk}/publish").json()["code"] == \
        "rating_published"
    previous = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    made = send(client, "post", "/ratings", {"community_id": world.community_a.pk,
                                             "month": previous.isoformat()})
    assert made.status_code == 201 and made.json()["state"] == "open"
    client.force_login(world.rita)
    seen = send(client, "get", "/ratings").json()["items"]
    assert [r["id"] for r in seen] == [rating.pk]
    detail = send(client, "get", f"/ratings/{rating.pk}").json()
    assert detail["can_score"] is False
    assert [r["building_name"] for r in detail["ranking"]] == [
        "花楼小区 2栋", "花楼小区 1栋", "花楼小区 3栋"]
    cell = detail["ranking"][0]["scores"][1]
    assert (cell["figure"], cell["score"]) == ("0/2", "0.00")


def test_criteria_are_listed_added_and_changed(client, world, scene):
    client.force_login(world.leo)
    listed = send(client, "get", f"/criteria?community_id={world.community_a.pk}").json()
    assert [c["name"] for c in listed["items"]] == ["环境卫生", "活动参与", "案件少"]
    made = send(client, "post", "/criteria", {"community_id": world.community_a.pk,
                                               "name": "绿化", "max_score": 10})
    assert made.status_code == 201 and made.json()["position"] == 4
    changed = send(client, "put", f"/criteria/{made.json()['id']}",
                   {"name": "绿化养护", "max_score": 15, "source": "manual", "position": 5,
                    "is_active": False})
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["is_active"]) == ("绿化养护", False)
