"""The results API: anonymous 401, another community 404, wrong role 403, bad input 400
with nothing changed, right role 200/201 on every operation; the result and the published
count hidden before the close, staff included."""

import pytest
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.models import Objection, ObjectionState, VoteState
from linli.deliberation.tests.factories import vote
from linli.deliberation.tests.test_results_services import closed, voting

pytestmark = pytest.mark.django_db
API = "/api/deliberation/votes"


def post(client, path, data):
    return client.post(f"{API}{path}", data, content_type="application/json")


def operations(v, objection):
    return [("get", f"/{v.pk}/result", None), ("get", f"/{v.pk}/ballots", None),
            ("get", f"/{v.pk}/receipt?code=ABCDEFGHJK", None),
            ("get", f"/{v.pk}/objections", None),
            ("post", f"/{v.pk}/objections", {"text": "有疑问"}),
            ("post", f"/{v.pk}/objections/{objection.pk}/answer",
             {"uphold": False, "answer": "否"})]


def call(client, method, path, body):
    return client.get(f"{API}{path}") if method == "get" else post(client, path, body)


@pytest.fixture
def published(world):
    v, users, ballots = closed(world)
    objection = services.objection_raise(actor=users[0], vote=v, text="计票有误")
    return v, users, ballots, objection


def test_anonymous_is_401_everywhere(client, published):
    v, _users, _ballots, objection = published
    for method, path, body in operations(v, objection):
        assert call(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world, published):
    v, _users, _ballots, objection = published
    client.force_login(world.bob)
    for method, path, body in operations(v, objection):
        assert call(client, method, path, body).status_code == 404, path
    assert Objection.objects.count() == 1
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN


def test_wrong_roles_are_403(client, world, published):
    v, users, _ballots, objection = published
    client.force_login(users[1])  # a voter does not answer objections
    answer = post(client, f"/{v.pk}/objections/{objection.pk}/answer",
                  {"uphold": True, "answer": "是"})
    assert answer.status_code == 403
    client.force_login(world.gina)  # a grid worker neither, nor lives there
    assert post(client, f"/{v.pk}/objections", {"text": "x"}).status_code == 403
    assert post(client, f"/{v.pk}/objections/{objection.pk}/answer",
                {"uphold": True, "answer": "是"}).status_code == 403
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN and Objection.objects.count() == 1


def test_the_result_is_hidden_before_the_close_for_staff_too(client, world):
    v, users, ballots = voting(world)
    for who in (world.alice, world.leo, users[0]):
        client.force_login(who)
        for path in (f"/{v.pk}/result", f"/{v.pk}/ballots"):
            answer = client.get(f"{API}{path}")
            assert answer.status_code == 400 and answer.json()["code"] == "not_closed", path
            assert "count" not in answer.content.decode()
    receipt = client.get(f"{API}/{v.pk}/receipt", {"code": ballots[0].receipt.lower()})
    assert receipt.status_code == 200
    assert receipt.json()["status"] == "recorded" and receipt.json()["choices"] == []


def test_the_result_ballots_and_receipts_after_the_close(client, world, published):
    v, _users, ballots, _objection = published
    client.force_login(world.rita)
    result = client.get(f"{API}/{v.pk}/result").json()
    assert result["participants"] == 4 and result["passed"] is True
    assert result["state"] == VoteState.PUBLICITY and result["objections_open"] == 1
    assert {o["label"]: o["count"] for o in result["options"]} == {"同意": 3, "反对": 1,
                                                                   "弃权": 0}
    assert result["lines"] and result["lines"][0]["ok"] is True
    page = client.get(f"{API}/{v.pk}/ballots").json()
    assert page["count"] == 4 and all(b["voter"] is None for b in page["items"])
    assert {b["receipt"] for b in page["items"]} == {b.receipt for b in ballots}
    mine = client.get(f"{API}/{v.pk}/receipt", {"code": ballots[3].receipt}).json()
    assert mine["status"] == "counted" and mine["choices"] == ["反对"]
    unknown = client.get(f"{API}/{v.pk}/receipt", {"code": "ZZZZZZZZZZ"}).json()
    assert unknown["status"] == "unknown" and unknown["choices"] == []
    assert client.get(f"{API}/{v.pk}/receipt", {"code": "X" * 40}).status_code == 400
    assert client.get(f"{API}/{v.pk}/receipt", {"code": "   "}).status_code == 400


def test_raising_and_answering_objections(client, world, published):
    v, users, _ballots, objection = published
    client.force_login(users[2])
    made = post(client, f"/{v.pk}/objections", {"text": "有户未收到通知"})
    assert made.status_code == 201 and made.json()["mine"] is True
    listed = client.get(f"{API}/{v.pk}/objections").json()
    assert listed["count"] == 2 and [o["mine"] for o in listed["items"]] == [False, True]
    for bad in ({"text": ""}, {"text": "长" * 2001}, {}):
        assert post(client, f"/{v.pk}/objections", bad).status_code == 400
    assert Objection.objects.filter(vote=v).count() == 2
    client.force_login(world.alice)
    assert post(client, f"/{v.pk}/objections/{objection.pk}/answer",
                {"uphold": True, "answer": ""}).status_code == 400
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN
    done = post(client, f"/{v.pk}/objections/{objection.pk}/answer",
                {"uphold": True, "answer": "属实，重新表决"})
    assert done.status_code == 200 and done.json()["state"] == ObjectionState.UPHELD
    v.refresh_from_db()
    assert v.state == VoteState.VOID
    again = post(client, f"/{v.pk}/objections/{objection.pk}/answer",
                 {"uphold": False, "answer": "否"})
    assert again.status_code == 400 and again.json()["code"] == "already_answered"


def test_objections_on_a_vote_not_in_publicity_are_400(client, world):
    v, users, _ballots = voting(world)
    client.force_login(users[0])
    answer = post(client, f"/{v.pk}/objections", {"text": "太早"})
    assert answer.status_code == 400 and answer.json()["code"] == "not_in_publicity"
    cancelled = vote(world, question="取消的表决", opened=False)
    client.force_login(world.alice)
    assert client.get(f"{API}/{cancelled.pk}/result").json()["code"] == "not_closed"
    assert not Objection.objects.exists()
    assert timezone.now()  # the clock is real: the vote stays open
