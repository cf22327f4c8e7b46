"""The surveys API: anonymous 401, another community 404, a resident may not create 403,
the right role 200; answers online and during a visit; the report's numbers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.surveys.models import Response
from linli.surveys.tests.factories import survey


@pytest.fixture
def rita_person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def _new(world) -> dict:
    now = timezone.now()
    return {"area_id": world.community_a.pk, "title": "季度调研",
            "opens_at": now.isoformat(),
            "closes_at": (now + timedelta(days=7)).isoformat()}


def test_anonymous_is_401(client, world):
    of = survey(world)
    assert client.get("/api/surveys").status_code == 401
    assert client.get(f"/api/surveys/{of.pk}").status_code == 401


def test_another_community_is_404(client, world):
    of = survey(world)
    client.force_login(world.bob)
    assert client.get(f"/api/surveys/{of.pk}").status_code == 404
    assert client.get(f"/api/surveys/{of.pk}/report").status_code == 404
    assert client.post(f"/api/surveys/{of.pk}/actions/close", {},
                       content_type="application/json").status_code == 404


def test_a_resident_may_not_create_but_staff_do(client, world):
    client.force_login(world.rita)
    assert client.post("/api/surveys", _new(world),
                       content_type="application/json").status_code == 403
    client.force_login(world.alice)
    made = client.post("/api/surveys", _new(world), content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    q = client.post(f"/api/surveys/{pk}/questions", {"kind": "single", "text": "几口人？",
                    "options": ["1人"]}, content_type="application/json")
    assert q.status_code == 400 and q.json()["code"] == "bad_options"
    q = client.post(f"/api/surveys/{pk}/questions", {"kind": "text", "text": "最急的？",
                    "asks_need": True, "required": False}, content_type="application/json")
    assert q.status_code == 201
    opened = client.post(f"/api/surveys/{pk}/actions/open", {},
                         content_type="application/json")
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert opened.json()["allowed_actions"] == ["close"]
    removed = client.post(f"/api/surveys/{pk}/questions/{q.json()['id']}/remove")
    assert removed.status_code == 400


def test_a_resident_answers_and_the_report_counts_it(client, world, rita_person):
    of = survey(world)
    qs = list(of.questions.order_by("position"))
    client.force_login(world.rita)
    listed = client.get("/api/surveys")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    sent = client.post(f"/api/surveys/{of.pk}/responses",
                       {"answers": {str(qs[0].pk): 1, str(qs[2].pk): 4,
                                    str(qs[3].pk): "楼道灯坏了"}},
                       content_type="application/json")
    assert sent.status_code == 201, sent.content
    again = client.post(f"/api/surveys/{of.pk}/responses", {"answers": {}},
                        content_type="application/json")
    assert again.status_code == 409
    mine = client.get(f"/api/surveys/{of.pk}/responses/mine").json()
    assert len(mine) == 1 and len(mine[0]["answers"]) == 3
    assert client.get(f"/api/surveys/{of.pk}/report").status_code == 403
    client.force_login(world.alice)
    report = client.get(f"/api/surveys/{of.pk}/report").json()
    assert report["responses"] == 1
    assert report["questions"][0]["counts"] == [0, 1, 0, 0]
    assert report["questions"][2]["counts"][3] == 1 and report["questions"][2]["average"] == 4
    assert [n["text"] for n in report["needs"]] == ["楼道灯坏了"]
    assert sum(sum(v.values()) for v in report["by_urgency"].values()) == 1


def test_a_grid_worker_enters_a_visit(client, world, rita_person):
    of = survey(world)
    client.force_login(world.gina)
    sent = client.post(f"/api/surveys/{of.pk}/responses",
                       {"answers": {}, "via": "visit",
                        "household_id": rita_person.household_id},
                       content_type="application/json")
    assert sent.status_code == 201 and Response.objects.get().via == "visit"
    client.force_login(world.bob)
    other = client.post(f"/api/surveys/{of.pk}/responses",
                        {"answers": {}, "via": "visit",
                         "household_id": rita_person.household_id},
                        content_type="application/json")
    assert other.status_code == 404
