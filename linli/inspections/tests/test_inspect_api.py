"""The on-site inspection API: recording (201 new, 200 replayed by the Idempotency-Key, 409
for the same key with another body), the list and one inspection; each for the inspectors
of the target's place only."""

import pytest

from linli.inspections.models import Inspection, Order
from linli.inspections.tests.factories import PLAN, campaign, inspect, target

pytestmark = pytest.mark.django_db
API = "/api/inspections"


def url(c, t) -> str:
    return f"{API}/campaigns/{c.pk}/targets/{t.pk}/inspection"


def body(c, *, fail=(), note="软管老化开裂", **extra) -> dict:
    answers = []
    for item in c.items.all():
        if item.position in fail:
            answer = {"item_id": item.pk, "result": "fail", "note": note}
            if item.severity == "major":
                answer |= PLAN
            answers.append(answer)
        else:
            answers.append({"item_id": item.pk, "result": "pass"})
    return {"answers": answers, "acknowledged_name": "王建国", **extra}


def post(client, user, path, data, key=""):
    client.force_login(user)
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, data, content_type="application/json", headers=headers)


def test_recording_answers_201_with_the_orders(client, world):
    c, t = campaign(world), target(world)
    response = post(client, world.gina, url(c, t), body(c, fail=(1, 5)), key="k1")
    assert response.status_code == 201, response.json()
    data = response.json()
    orders = {o.answer.item_id: o for o in Order.objects.all()}
    assert data["failed_count"] == 2 and data["acknowledged_name"] == "王*国"
    failed = [a for a in data["answers"] if a["result"] == "fail"]
    assert [a["order"]["id"] for a in failed] == [orders[a["item_id"]].pk for a in failed]
    assert all(a["order"] is None for a in data["answers"] if a["result"] == "pass")


def test_a_retry_with_the_same_key_replays_200(client, world):
    c, t = campaign(world), target(world)
    first = post(client, world.gina, url(c, t), body(c, fail=(1,)), key="k1")
    again = post(client, world.gina, url(c, t), body(c, fail=(1,)), key="k1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Inspection.objects.count() == 1 and Order.objects.count() == 1


def test_the_same_key_with_another_body_is_409(client, world):
    c, t = campaign(world), target(world)
    post(client, world.gina, url(c, t), body(c, fail=(1,)), key="k1")
    response = post(client, world.gina, url(c, t), body(c, fail=(2,)), key="k1")
    assert response.status_code == 409 and response.json()["code"] == "idempotency_mismatch"
    assert Order.objects.count() == 1


def test_a_second_inspection_is_409_already_inspected(client, world):
    c, t = campaign(world), target(world)
    post(client, world.gina, url(c, t), body(c), key="k1")
    response = post(client, world.gina, url(c, t), body(c), key="k2")
    assert response.status_code == 409 and response.json()["code"] == "already_inspected"


@pytest.mark.parametrize(("change", "code"), [
    ("missing", "items_missing"), ("undescribed", "failure_undescribed"),
    ("no_name", "acknowledgement_required"), ("bad_result", "bad_result"),
])
def test_bad_input_is_400_and_writes_nothing(client, world, change, code):
    c, t = campaign(world), target(world)
    data = body(c, fail=(1,))
    if change == "missing":
        data["answers"].pop()
    elif change == "undescribed":
        data["answers"][0]["note"] = ""
    elif change == "no_name":
        data["acknowledged_name"] = ""
    else:
        data["answers"][1]["result"] = "good"
    response = post(client, world.gina, url(c, t), data)
    assert response.status_code == 400 and response.json()["code"] == code
    assert not Inspection.objects.exists() and not Order.objects.exists()


def test_a_key_too_long_is_400(client, world):
    c, t = campaign(world), target(world)
    response = post(client, world.gina, url(c, t), body(c), key="k" * 129)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_too_long"


@pytest.mark.parametrize(("who", "status"), [
    ("gina", 201), ("alice", 201), ("leo", 201), ("bob", 404), ("rita", 404), ("uma", 404),
    ("nobody", 404),
])
def test_who_may_record(client, world, who, status):
    c, t = campaign(world), target(world)
    response = post(client, getattr(world, who), url(c, t), body(c))
    assert response.status_code == status
    assert Inspection.objects.count() == (1 if status == 201 else 0)


def test_the_anonymous_are_401(client, world):
    c, t = campaign(world), target(world)
    response = client.post(url(c, t), body(c), content_type="application/json")
    assert response.status_code == 401
    assert client.get(f"{API}/inspections").status_code == 401


def test_the_list_and_one_inspection_are_scoped(client, world):
    c = campaign(world)
    mine = inspect(world, c, target(world))
    b_campaign = campaign(world, areas=[world.community_b], actor=world.bob)
    theirs = inspect(world, b_campaign, target(world, area=world.estate_b, name="水塔餐馆"),
                     actor=world.bob)
    client.force_login(world.alice)
    listed = client.get(f"{API}/inspections").json()
    assert [i["id"] for i in listed["items"]] == [mine.pk]
    assert client.get(f"{API}/inspections/{mine.pk}").status_code == 200
    assert client.get(f"{API}/inspections/{theirs.pk}").status_code == 404
    for who in (world.rita, world.uma):
        client.force_login(who)
        assert client.get(f"{API}/inspections").json()["count"] == 0
        assert client.get(f"{API}/inspections/{mine.pk}").status_code == 404


def test_the_list_filters(client, world):
    c, other = campaign(world), campaign(world, name="消防排查", template="消防安全检查表")
    one, two = target(world), target(world, name="第二家")
    first = inspect(world, c, one)
    inspect(world, other, two)
    client.force_login(world.gina)
    by = client.get(f"{API}/inspections", {"campaign_id": c.pk}).json()
    assert [i["id"] for i in by["items"]] == [first.pk]
    by = client.get(f"{API}/inspections", {"target_id": two.pk}).json()
    assert by["count"] == 1 and by["items"][0]["target_name"] == "第二家"
    assert client.get(f"{API}/inspections", {"grid_id": world.grid_a2.pk}).json()["count"] == 0
