"""The votes API: anonymous 401, another community 404, wrong role 403, bad input 400 with
nothing changed, the right role 200/201, on every operation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.deliberation.electorate import elector_for as _elector_for
from linli.deliberation.models import Ballot, Participation, Stance, Vote, VoteState
from linli.deliberation.tests.factories import dwellings, option, vote, voter


def elector_for(v, user):
    found = _elector_for(v, user)
    assert found is not None
    return found

pytestmark = pytest.mark.django_db
API = "/api/deliberation/votes"


@pytest.fixture
def homes(world):
    return dwellings(world.entrance_a, 3)


@pytest.fixture
def open_vote(world, homes):
    users = [voter(world.alice, d, f"h{i}") for i, d in enumerate(homes)]
    return vote(world), users


def send(client, method, path, data=None):
    call = getattr(client, method)
    if method == "get":
        return call(f"{API}{path}")
    return call(f"{API}{path}", data or {}, content_type="application/json")


def operations(v):
    e = v.electors.first().pk
    return [("get", "", None), ("post", "", {}), ("get", f"/{v.pk}", None),
            ("patch", f"/{v.pk}", {}), ("get", f"/{v.pk}/electorate-preview", None),
            ("post", f"/{v.pk}/actions/cancel", {"note": "x"}),
            ("post", f"/{v.pk}/ballot", {"choices": [option(v).pk]}),
            ("put", f"/{v.pk}/ballot", {"choices": [option(v).pk]}),
            ("get", f"/{v.pk}/electors", None),
            ("post", f"/{v.pk}/electors/{e}/paper-ballot", {"choices": [option(v).pk]}),
            ("get", f"/{v.pk}/participants", None)]


def test_anonymous_is_401(client, world, open_vote):
    v, _users = open_vote
    for method, path, data in operations(v):
        assert send(client, method, path, data).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, world, open_vote):
    v, _users = open_vote
    client.force_login(world.bob)
    for method, path, data in operations(v)[2:]:
        assert send(client, method, path, data).status_code == 404, path
    v.refresh_from_db()
    assert v.state == VoteState.OPEN and not Ballot.objects.exists()


def test_wrong_role_is_403(client, world, open_vote):
    v, (hu, *_rest) = open_vote
    client.force_login(hu)
    e = v.electors.first().pk
    for method, path, data in [
            ("post", f"/{v.pk}/actions/cancel", {"note": "x"}),
            ("get", f"/{v.pk}/electors", None), ("get", f"/{v.pk}/electorate-preview", None),
            ("post", f"/{v.pk}/electors/{e}/paper-ballot", {"choices": [option(v).pk]}),
            ("get", f"/{v.pk}/participants", None),
            ("post", "", {"area_id": world.estate_a.pk, "question": "问",
                          "electorate": "households",
                          "closes_at": (timezone.now() + timedelta(days=3)).isoformat()})]:
        assert send(client, method, path, data).status_code == 403, path
    client.force_login(world.gina)  # staff, not an organiser
    assert send(client, "post", f"/{v.pk}/actions/cancel", {"note": "x"}).status_code == 403
    assert send(client, "get", f"/{v.pk}/electors").status_code == 200


def test_create_patch_preview_open(client, world, homes):
    for i, d in enumerate(homes):
        voter(world.alice, d, f"h{i}")
    client.force_login(world.alice)
    closes = (timezone.now() + timedelta(days=5)).isoformat()
    body = {"area_id": world.estate_a.pk, "question": "是否同意加装电梯？",
            "electorate": "households", "closes_at": closes}
    for bad in ({"threshold": "custom", "custom_share": ">=3/2"}, {"quorum": "x"},
                {"kind": "choices", "choices": ["一"]}, {"topic_id": 987654}):
        answer = send(client, "post", "", body | bad)
        assert answer.status_code == 400, bad
    assert not Vote.objects.exists()
    made = send(client, "post", "", body)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["state"] == "draft" and data["allowed_actions"] == ["open", "cancel"]
    vid = data["id"]
    patched = send(client, "patch", f"/{vid}", {"question": "新问题", "expected_version": 1})
    assert patched.status_code == 200 and patched.json()["question"] == "新问题"
    assert send(client, "patch", f"/{vid}", {"question": "旧",
                                             "expected_version": 1}).status_code == 409
    preview = send(client, "get", f"/{vid}/electorate-preview").json()
    assert preview["count"] == 3 and preview["refusal"] is None and preview["rule_words"]
    assert send(client, "post", f"/{vid}/actions/open", {}).status_code == 200
    assert send(client, "patch", f"/{vid}", {"question": "x"}).status_code == 400
    assert send(client, "post", f"/{vid}/actions/explode", {}).status_code == 400
    assert send(client, "get", "?state=open").json()["count"] == 1
    assert send(client, "get", "?state=bogus").status_code == 400


def test_an_empty_electorate_cannot_open(client, world):
    client.force_login(world.bob)
    body = {"area_id": world.estate_b.pk, "question": "问", "electorate": "households",
            "closes_at": (timezone.now() + timedelta(days=5)).isoformat()}
    vid = send(client, "post", "", body).json()["id"]
    assert send(client, "get", f"/{vid}/electorate-preview").json()["refusal"]["code"] == \
        "empty_electorate"
    answer = send(client, "post", f"/{vid}/actions/open", {})
    assert answer.status_code == 400 and answer.json()["code"] == "empty_electorate"


def test_ballots(client, world, open_vote):
    v, (hu, hu2, _hu3) = open_vote
    spouse = voter(world.alice, v.electors.first().household.dwelling, "spouse",
                   relation="spouse")
    outsider = voter(world.bob, world.dwelling_b, "outsider")
    client.force_login(outsider)
    assert send(client, "post", f"/{v.pk}/ballot",
                {"choices": [option(v).pk]}).status_code == 404  # not their place
    client.force_login(world.rita)  # lives in the estate, no registry record
    assert send(client, "post", f"/{v.pk}/ballot",
                {"choices": [option(v).pk]}).status_code == 403
    client.force_login(hu)
    assert send(client, "post", f"/{v.pk}/ballot", {"choices": [987654]}).status_code == 400
    me = send(client, "get", f"/{v.pk}").json()["me"]
    assert me == {"in_electorate": True, "voted": False, "channel": "", "at": None}
    cast = send(client, "post", f"/{v.pk}/ballot", {"choices": [option(v).pk]})
    assert cast.status_code == 201 and len(cast.json()["receipt"]) == 10
    detail = send(client, "get", f"/{v.pk}").json()
    assert detail["me"]["voted"] and detail["turnout"] == 1
    assert send(client, "put", f"/{v.pk}/ballot",
                {"choices": [option(v).pk]}).status_code == 400  # not changeable
    household_of_spouse = _elector_for(v, spouse)
    if household_of_spouse is not None and household_of_spouse == elector_for(v, hu):
        client.force_login(spouse)
        assert send(client, "post", f"/{v.pk}/ballot",
                    {"choices": [option(v).pk]}).status_code == 409
    client.force_login(world.gina)
    electors = send(client, "get", f"/{v.pk}/electors").json()
    assert electors["count"] == 3 and sum(e["voted"] for e in electors["items"]) == 1
    target = elector_for(v, hu2)
    paper = send(client, "post", f"/{v.pk}/electors/{target.pk}/paper-ballot",
                 {"choices": [option(v, Stance.AGAINST).pk], "channel": "door"})
    assert paper.status_code == 201
    again = send(client, "post", f"/{v.pk}/electors/{elector_for(v, hu).pk}/paper-ballot",
                 {"choices": [option(v).pk]})
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    bad = send(client, "post", f"/{v.pk}/electors/{target.pk}/paper-ballot",
               {"choices": [option(v).pk], "channel": "pigeon"})
    assert bad.status_code == 400
    parts = send(client, "get", f"/{v.pk}/participants").json()
    assert parts["count"] == 2 and "choices" not in parts["items"][0]
    assert Participation.objects.filter(vote=v).count() == 2


def test_after_the_close(client, world, open_vote):
    v, (hu, *_rest) = open_vote
    Vote.objects.filter(pk=v.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(hu)
    answer = send(client, "post", f"/{v.pk}/ballot", {"choices": [option(v).pk]})
    assert answer.status_code == 400 and answer.json()["code"] == "vote_closed"


def test_changeable_secret_ballot_needs_its_receipt(client, world, homes):
    hu = voter(world.alice, homes[0], "h0")
    v = vote(world, changeable=True)
    client.force_login(hu)
    receipt = send(client, "post", f"/{v.pk}/ballot", {"choices": [option(v).pk]}).json()
    assert "change" in receipt["message"] or "修改" in receipt["message"]
    against = [option(v, Stance.AGAINST).pk]
    assert send(client, "put", f"/{v.pk}/ballot",
                {"choices": against, "receipt": "WRONG"}).status_code == 404
    assert send(client, "put", f"/{v.pk}/ballot",
                {"choices": against, "receipt": receipt["receipt"]}).status_code == 200
    assert Ballot.objects.get(vote=v).choices == against
