"""The volunteering API: every endpoint for anonymous (401), someone of the other community
(404), someone of the community in the wrong role (403) and the right person (OK). A denied
write changes nothing: the snapshot of every volunteering table and the ledger is equal."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from linli.points.models import Entry
from linli.volunteering.models import (
    Claim,
    ClaimState,
    Event,
    Task,
    TaskState,
    VolunteerProfile,
    Wish,
    WishState,
)
from linli.volunteering.tests.factories import claim, task, window, wish, wish_task

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    return (sorted(Wish.objects.values_list("pk", "state")),
            sorted(Task.objects.values_list("pk", "state", "claimed_count")),
            sorted(Claim.objects.values_list("pk", "state", "reported_hours", "rating")),
            Event.objects.count(), Entry.objects.count(),
            sorted(VolunteerProfile.objects.values_list("user", "total_hours", "availability")))


def call(client, user, method: str, url: str, body: dict | None):
    if user is not None:
        client.force_login(user)
    client.cookies["linli_language"] = "en"  # messages compared by their msgids
    send = getattr(client, method)
    if method == "get":
        return send(url)
    return send(url, body or {}, content_type="application/json")


def _times() -> dict:
    start, end = window()
    return {"starts_at": start.isoformat(), "ends_at": end.isoformat()}


@dataclass
class Endpoint:
    name: str
    method: str
    url: Callable        # (world, made object) -> url
    body: Callable       # world -> body
    make: Callable       # world -> the object the url names (or None)
    ok: str              # the right person
    ok_status: int
    wrong: str | None    # same community, wrong role (403)
    other: str | None    # the other community (404)


def _posted(w):
    return wish(w)


def _open(w):
    return task(w, needed=2)


def _claim_in(state: str, on_wish: bool = False):
    def make(w):
        return claim(w, wish_task(w) if on_wish else task(w), state=state, hours="2")
    return make


def _none(w):
    return None


def _empty(w):
    return {}


ENDPOINTS = [
    Endpoint("wish create", "post", lambda w, o: "/api/volunteering/wishes",
             lambda w: {"area_id": w.dwelling_a.pk, "category": "errands",
                        "description": "帮我买菜", **_times()},
             _none, "rita", 201, "vic", "bob"),
    Endpoint("wish detail", "get", lambda w, o: f"/api/volunteering/wishes/{o.pk}", _empty,
             _posted, "alice", 200, None, "bob"),
    Endpoint("wish publish", "post", lambda w, o: f"/api/volunteering/wishes/{o.pk}/publish",
             lambda w: {"title": "陪同就医", "volunteers_needed": 2}, _posted, "alice", 201,
             "rita", "bob"),
    Endpoint("wish decline", "post", lambda w, o: f"/api/volunteering/wishes/{o.pk}/decline",
             lambda w: {"note": "请联系物业"}, _posted, "gina", 200, "rita", "bob"),
    Endpoint("wish cancel", "post", lambda w, o: f"/api/volunteering/wishes/{o.pk}/cancel",
             _empty, _posted, "rita", 200, "alice", "bob"),
    Endpoint("task create", "post", lambda w, o: "/api/volunteering/tasks",
             lambda w: {"area_id": w.grid_a1.pk, "title": "巡逻", "kind": "patrol",
                        "volunteers_needed": 3, **_times()},
             _none, "alice", 201, "rita", "bob"),
    Endpoint("task detail", "get", lambda w, o: f"/api/volunteering/tasks/{o.pk}", _empty,
             _open, "vic", 200, None, "val"),
    Endpoint("task action", "post", lambda w, o: f"/api/volunteering/tasks/{o.pk}/actions/start",
             _empty, _open, "alice", 200, "vic", "bob"),
    Endpoint("task claim", "post", lambda w, o: f"/api/volunteering/tasks/{o.pk}/claim",
             _empty, _open, "vic", 201, "rita", "val"),
    Endpoint("task claims", "get", lambda w, o: f"/api/volunteering/tasks/{o.task_id}/claims",
             _empty, _claim_in(ClaimState.CLAIMED), "alice", 200, None, "bob"),
    Endpoint("claim detail", "get", lambda w, o: f"/api/volunteering/claims/{o.pk}", _empty,
             _claim_in(ClaimState.CLAIMED), "vera", 200, None, "val"),
    Endpoint("check in", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/check-in",
             _empty, _claim_in(ClaimState.CLAIMED), "vera", 200, "alice", "bob"),
    Endpoint("check out", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/check-out",
             _empty, _claim_in(ClaimState.CHECKED_IN), "vera", 200, "alice", "bob"),
    Endpoint("report", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/report",
             lambda w: {"hours": "1.5"}, _claim_in(ClaimState.CLAIMED), "vera", 200, "gina",
             "bob"),
    Endpoint("confirm", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/confirm",
             lambda w: {"rating": 5}, _claim_in(ClaimState.REPORTED, on_wish=True), "rita",
             200, "vera", "bob"),
    Endpoint("reject", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/reject",
             lambda w: {"note": "没有来"}, _claim_in(ClaimState.REPORTED), "alice", 200,
             "vera", "bob"),
    Endpoint("withdraw", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/withdraw",
             _empty, _claim_in(ClaimState.CLAIMED), "vera", 200, "alice", "bob"),
    Endpoint("rate", "post", lambda w, o: f"/api/volunteering/claims/{o.pk}/rate",
             lambda w: {"rating": 4}, _claim_in(ClaimState.CONFIRMED), "gina", 200, "vera",
             "bob"),
    Endpoint("profile update", "put", lambda w, o: "/api/volunteering/profiles/me",
             lambda w: {"skills": ["errands"], "availability": "周末",
                        "grid_id": w.grid_a1.pk}, _none, "vic", 200, "rita", None),
    Endpoint("volunteer search", "get",
             lambda w, o: f"/api/volunteering/profiles?grid_id={w.grid_a1.pk}", _empty, _none,
             "alice", 200, "rita", "bob"),
    Endpoint("profile detail", "get", lambda w, o: f"/api/volunteering/profiles/{w.vic.pk}",
             _empty, _none, "alice", 200, None, "bob"),
    Endpoint("honour list", "get",
             lambda w, o: f"/api/volunteering/honour?community_id={w.community_a.pk}", _empty,
             _none, "rita", 200, None, "bob"),
    Endpoint("skills", "get", lambda w, o: "/api/volunteering/skills", _empty, _none,
             "rita", 200, None, None),
    Endpoint("my profile", "get", lambda w, o: "/api/volunteering/profiles/me", _empty, _none,
             "vic", 200, None, None),
    Endpoint("wish list", "get", lambda w, o: "/api/volunteering/wishes", _empty, _posted,
             "rita", 200, None, None),
    Endpoint("task list", "get", lambda w, o: "/api/volunteering/tasks", _empty, _open,
             "vic", 200, None, None),
    Endpoint("claim list", "get", lambda w, o: "/api/volunteering/claims?to_confirm=true",
             _empty, _claim_in(ClaimState.REPORTED), "alice", 200, None, None),
]
IDS = [e.name for e in ENDPOINTS]


def _run(client, w, endpoint: Endpoint, who: str | None):
    obj = endpoint.make(w)
    before = snapshot()
    user = getattr(w, who) if who else None
    response = call(client, user, endpoint.method, endpoint.url(w, obj), endpoint.body(w))
    return response, before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401_and_nothing_changes(client, vw, endpoint):
    response, before = _run(client, vw, endpoint, None)
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.other], ids=lambda e: e.name)
def test_the_other_community_gets_404_and_nothing_changes(client, vw, endpoint):
    response, before = _run(client, vw, endpoint, endpoint.other)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.wrong], ids=lambda e: e.name)
def test_the_wrong_role_gets_403_and_nothing_changes(client, vw, endpoint):
    response, before = _run(client, vw, endpoint, endpoint.wrong)
    assert response.status_code == 403, response.json()
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_right_person_succeeds(client, vw, endpoint):
    response, _before = _run(client, vw, endpoint, endpoint.ok)
    assert response.status_code == endpoint.ok_status, response.json()


# --- what the successful calls return and do --------------------------------------------

def test_a_wish_posted_through_the_api(client, vw):
    response = call(client, vw.rita, "post", "/api/volunteering/wishes", {
        "area_id": vw.dwelling_a.pk, "category": "errands", "description": "帮我买菜",
        "address": "1栋", **_times()})
    data = response.json()
    assert {k: data[k] for k in ("state", "category", "description", "area_id", "area_name",
                                 "address", "community_id", "task_id", "requester")} == {
        "state": "posted", "category": "errands", "description": "帮我买菜",
        "area_id": vw.dwelling_a.pk, "area_name": "101", "address": "1栋",
        "community_id": vw.community_a.pk, "task_id": None, "requester": str(vw.rita)}


def test_a_full_task_answers_409_task_full(client, vw):
    t = task(vw, needed=1)
    claim(vw, t)
    response = call(client, vw.vic, "post", f"/api/volunteering/tasks/{t.pk}/claim", None)
    assert (response.status_code, response.json()) == (409, {
        "code": "task_full", "message": "This task is full: all 1 places are taken."})


def test_confirming_through_the_api_pays_and_lists_what_is_left(client, vw):
    c = claim(vw, wish_task(vw), state=ClaimState.REPORTED, hours="2.5")
    listed = call(client, vw.rita, "get", "/api/volunteering/claims?to_confirm=true", None)
    assert [row["id"] for row in listed.json()["items"]] == [c.pk]
    assert listed.json()["items"][0]["allowed_actions"] == ["confirm", "reject"]
    data = call(client, vw.rita, "post", f"/api/volunteering/claims/{c.pk}/confirm",
                {"rating": 5, "comment": "好"}).json()
    assert (data["state"], data["confirmed_hours"], data["points"], data["rating"],
            data["allowed_actions"]) == ("confirmed", "2.5", 20, 5, [])
    again = call(client, vw.rita, "get", "/api/volunteering/claims?to_confirm=true", None)
    assert again.json()["items"] == []


def test_bad_hours_and_a_replayed_confirmation_change_nothing(client, vw):
    c = claim(vw, task(vw))
    before = snapshot()
    response = call(client, vw.vera, "post", f"/api/volunteering/claims/{c.pk}/report",
                    {"hours": "-2"})
    assert (response.status_code, response.json()["code"]) == (400, "bad_hours")
    assert snapshot() == before
    c = claim(vw, task(vw), user=vw.vic, state=ClaimState.CONFIRMED)
    before = snapshot()
    response = call(client, vw.alice, "post", f"/api/volunteering/claims/{c.pk}/confirm", {})
    assert (response.status_code, response.json()["code"]) == (400, "transition_not_allowed")
    assert snapshot() == before


def test_the_honour_list_through_the_api(client, vw):
    claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="2")
    claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="1.5")
    claim(vw, task(vw), user=vw.vic, state=ClaimState.CONFIRMED, hours="5")
    rows = call(client, vw.rita, "get",
                f"/api/volunteering/honour?community_id={vw.community_a.pk}", None).json()
    assert [(r["rank"], r["volunteer_id"], Decimal(r["hours"]), r["tasks"]) for r in rows] == [
        (1, vw.vic.pk, Decimal("5"), 1), (2, vw.vera.pk, Decimal("3.5"), 2)]
    bad = call(client, vw.rita, "get",
               f"/api/volunteering/honour?community_id={vw.community_a.pk}&month=2026-13", None)
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_month")


def test_lists_hold_only_what_the_caller_may_see(client, vw):
    task(vw)
    task(vw, actor=vw.bob, area=vw.community_b)
    draft = task(vw, publish=False)
    seen = {row["id"] for row in call(client, vw.vic, "get", "/api/volunteering/tasks",
                                      None).json()["items"]}
    assert seen == set(Task.objects.filter(community=vw.community_a, state=TaskState.PUBLISHED)
                       .values_list("pk", flat=True))
    assert draft.pk not in seen
    wish(vw)
    assert call(client, vw.bob, "get", "/api/volunteering/wishes", None).json()["items"] == []
    assert Wish.objects.filter(state=WishState.POSTED).count() == 1
