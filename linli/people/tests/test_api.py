"""The people API, every endpoint for: anonymous (401), the resident (own record only), a unit
member (404), staff of the other community (404), a grid worker of another grid (404), and
the right staff; refused writes change nothing."""

import pytest
from django.utils import timezone

from linli.cases.tests.apitools import post_json
from linli.cases.tests.factories import category
from linli.people.models import AccessLog, CarePlan, Resident, Visit
from linli.people.tests.conftest import KANG_ID, ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import cared_for, id_number
from linli.people.tests.pages import access_rows, as_user, registry_state

pytestmark = pytest.mark.django_db
PURPOSE = "核实低保申请材料"


def patch_json(client, url, data):
    return client.patch(url, data, content_type="application/json")


def put_json(client, url, data):
    return client.put(url, data, content_type="application/json")


def _endpoints(people) -> list[tuple[str, str, dict | None]]:
    r = people.rosa.pk
    return [
        ("get", "/api/people/residents", None),
        ("post", "/api/people/residents/search", {"q": "王秀英"}),
        ("post", "/api/people/residents", {"dwelling_id": people.dwelling_a.pk, "name": "新人",
                                           "relation": "head", "tenure": "owner"}),
        ("get", f"/api/people/residents/{r}", None),
        ("patch", f"/api/people/residents/{r}", {"name": "改名"}),
        ("post", f"/api/people/residents/{r}/move-out", {}),
        ("post", f"/api/people/residents/{r}/reveal", {"field": "phone", "purpose": PURPOSE}),
        ("post", f"/api/people/residents/{r}/consents", {"basis": "consent"}),
        ("post", f"/api/people/residents/{r}/tags", {"tag": "lonely_elderly"}),
        ("get", "/api/people/care-plans", None),
        ("put", f"/api/people/residents/{r}/care-plan", {"grid_worker_id": people.gina.pk}),
        ("get", f"/api/people/residents/{r}/visits", None),
        ("post", f"/api/people/residents/{r}/visits", {"visited_on": "2026-01-01",
                                                       "kind": "home"}),
        ("get", "/api/people/completion", None),
        ("get", "/api/people/access-log", None),
    ]


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    if method == "post":
        return post_json(client, url, body)
    return (patch_json if method == "patch" else put_json)(client, url, body)


def test_anonymous_gets_401_everywhere(client, people):
    before = registry_state()
    for method, url, body in [*_endpoints(people), ("get", "/api/people/me", None)]:
        response = _call(client, method, url, body)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"
    assert registry_state() == before and AccessLog.objects.count() == 0


@pytest.mark.parametrize("who", ["uma", "vic", "mia", "bob", "gary", "nobody"])
def test_outsiders_get_404_everywhere_and_change_nothing(client, people, who):
    as_user(client, getattr(people, who))
    before = registry_state()
    for method, url, body in _endpoints(people):
        own_lists = ("/api/people/residents", "/api/people/residents/search",
                     "/api/people/care-plans", "/api/people/completion")
        if (who in ("bob", "gary") and url in own_lists) or (
                who == "bob" and url == "/api/people/access-log"):
            continue  # their own lists: checked below
        response = _call(client, method, url, body)
        assert response.status_code == 404, (url, response.content)
    assert registry_state() == before
    # The only row: the refused reveal.
    assert access_rows() == [(who, "phone", "refused")]
    if who == "bob":  # a dispatcher reads his own community's log, not Rosa's
        assert client.get("/api/people/access-log").json()["items"] == []


@pytest.mark.parametrize("who", ["bob", "gary"])
def test_other_staff_lists_leave_rosa_out(client, people, who):
    as_user(client, getattr(people, who))
    names = [r["name"] for r in client.get("/api/people/residents").json()["items"]]
    assert "王秀英" not in names and len(names) == 1
    assert post_json(client, "/api/people/residents/search", {"q": ROSA_ID}).json() == []
    response = post_json(client, "/api/people/residents", {
        "dwelling_id": people.dwelling_a.pk, "name": "越界", "relation": "head",
        "tenure": "owner"})
    assert response.status_code == 404


def test_resident_sees_only_their_own_record(client, people):
    as_user(client, people.rita)
    before = registry_state()
    items = client.get("/api/people/residents").json()["items"]
    assert [i["id"] for i in items] == [people.rosa.pk]
    assert post_json(client, "/api/people/residents/search", {"q": KANG_ID}).json() == []
    assert items[0]["id_number"] == "4201**********" + ROSA_ID[-4:]
    assert client.get(f"/api/people/residents/{people.rosa.pk}").status_code == 200
    assert client.get(f"/api/people/residents/{people.kang.pk}").status_code == 404
    endpoints = _endpoints(people)
    for method, url, body in [endpoints[2], *endpoints[4:]]:
        response = _call(client, method, url, body)
        expected = 403 if url.endswith("/reveal") else 404
        assert response.status_code == expected, url
    assert registry_state() == before
    assert access_rows() == [("rita", "phone", "refused")]
    response = client.get("/api/people/me")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert (data["id_number"], data["phone"], data["birth_date"]) == (
        ROSA_ID, ROSA_PHONE, "1950-03-08")
    assert access_rows()[-1] == ("rita", "record", "self")


def test_me_holds_visits_and_legal_bases_too(client, people):
    """The API answers "what Linli holds about me" as fully as the page."""
    from linli.people import services

    cared_for(people.alice, people.rosa, people.gina)
    services.visit_record(actor=people.gina, resident=people.rosa,
                               visited_on=timezone.localdate(), kind="phone",
                               findings="血压偏高")
    data = as_user(client, people.rita).get("/api/people/me").json()
    assert data["visits"] == [{"visited_on": timezone.localdate().isoformat(),
                               "kind": "phone", "findings": "血压偏高"}]
    assert [(c["category"], c["basis"], c["reference"], c["withdrawn_at"])
            for c in data["consents"]] == [("care", "legal_duty", "民政发〔2024〕1号", None)]


def test_me_without_a_record_is_404(client, people):
    assert as_user(client, people.uma).get("/api/people/me").status_code == 404


def test_list_and_detail_are_masked(client, people):
    as_user(client, people.alice)
    response = post_json(client, "/api/people/residents/search", {"q": KANG_ID})
    assert [i["name"] for i in response.json()] == ["李强"]
    assert [i["name"] for i in post_json(client, "/api/people/residents/search",
                                         {"q": "13987654321"}).json()] == ["李强"]
    response = client.get("/api/people/residents", {"q": KANG_ID})
    assert response.status_code == 400 and response.json()["code"] == "number_in_url"
    items = client.get("/api/people/residents", {"q": "李"}).json()["items"]
    assert [i["name"] for i in items] == ["李强"]
    body = client.get(f"/api/people/residents/{people.rosa.pk}").json()
    assert body["id_number"] == "4201**********" + ROSA_ID[-4:]
    assert body["phone"] == "136****8888"
    assert body["age"] >= 75 and "birth_date" not in body
    assert body["dwelling_id"] == people.dwelling_a.pk and body["anonymised"] is False
    assert AccessLog.objects.count() == 0


def test_create_update_move_out(client, people):
    as_user(client, people.gina)
    number = id_number(serial=77)
    response = post_json(client, "/api/people/residents", {
        "dwelling_id": people.dwelling_a.pk, "name": "王二", "id_number": number,
        "phone": "13700007777", "relation": "child", "tenure": "owner"})
    assert response.status_code == 201
    data = response.json()
    assert data["id_number"] == "4201**********" + number[-4:] and data["gender"] == "male"
    assert data["household_id"] == people.rosa.household_id
    response = patch_json(client, f"/api/people/residents/{data['id']}",
                          {"phone": "", "tenure": "tenant"})
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["tenure"]) == ("", "tenant")
    response = post_json(client, f"/api/people/residents/{data['id']}/move-out", {})
    assert response.json()["moved_out"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("raw", ['"x"', "[1]", "1", "null"])
def test_a_body_that_is_not_an_object_moves_nobody_out(client, people, raw):
    as_user(client, people.gina)
    before = registry_state()
    response = client.post(f"/api/people/residents/{people.rosa.pk}/move-out", raw,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "not_an_object",
                               "message": "The request body must be a JSON object."}
    assert registry_state() == before
    assert Resident.objects.get(pk=people.rosa.pk).moved_out is None


def test_bad_input_is_refused_clearly(client, people):
    as_user(client, people.alice)
    before = registry_state()
    response = post_json(client, "/api/people/residents", {
        "dwelling_id": people.dwelling_a.pk, "name": "坏号", "id_number": ROSA_ID[:17] + "0",
        "relation": "head", "tenure": "owner"})
    assert response.status_code == 400 and response.json()["code"] == "bad_id_number"
    response = post_json(client, "/api/people/residents", {
        "dwelling_id": people.dwelling_a.pk, "name": "重号", "id_number": KANG_ID,
        "relation": "head", "tenure": "owner"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate_id_number"
    response = patch_json(client, f"/api/people/residents/{people.rosa.pk}",
                          {"id_number": KANG_ID})
    assert response.status_code == 409
    as_user(client, people.leo)
    response = patch_json(client, f"/api/people/residents/{people.rosa.pk}", {"name": "x"})
    assert response.status_code == 403
    assert registry_state() == before


def test_reveal_once_with_no_store(client, people):
    as_user(client, people.gina)
    url = f"/api/people/residents/{people.rosa.pk}/reveal"
    response = post_json(client, url, {"field": "id_number", "purpose": PURPOSE})
    assert response.status_code == 200
    assert response.json() == {"field": "id_number", "value": ROSA_ID}
    assert response["Cache-Control"] == "no-store"
    response = post_json(client, url, {"field": "id_number"})
    assert response.status_code == 400 and response.json()["code"] == "purpose_required"
    assert ROSA_ID not in response.content.decode()
    assert access_rows() == [("gina", "id_number", "revealed"),
                             ("gina", "id_number", "refused")]
    assert post_json(client, "/api/people/residents/999999/reveal",
                     {"field": "phone", "purpose": PURPOSE}).status_code == 404


def test_care_through_the_api(client, people):
    as_user(client, people.alice)
    base = f"/api/people/residents/{people.rosa.pk}"
    response = post_json(client, f"{base}/tags", {"tag": "subsistence"})
    assert response.status_code == 400 and response.json()["code"] == "no_legal_basis"
    assert post_json(client, f"{base}/consents", {"basis": "legal_duty"}).status_code == 201
    response = post_json(client, f"{base}/tags", {"tag": "subsistence"})
    assert response.status_code == 201 and response.json()["label"] == "***"
    assert post_json(client, f"{base}/tags", {"tag": "nope"}).status_code == 400
    response = put_json(client, f"{base}/care-plan", {"grid_worker_id": people.gary.pk})
    assert response.status_code == 400 and response.json()["code"] == "bad_grid_worker"
    response = put_json(client, f"{base}/care-plan", {
        "grid_worker_id": people.gina.pk, "emergency_contact": "女儿 13800001111"})
    assert response.status_code == 200
    plan = response.json()
    assert (plan["visit_every_days"], plan["tags"], plan["grid_worker_id"]) == (
        30, ["***"], people.gina.pk)
    assert "13800001111" not in response.content.decode()
    plans = client.get("/api/people/care-plans").json()["items"]
    assert [p["resident_id"] for p in plans] == [people.rosa.pk]
    as_user(client, people.gina)
    leak = category()
    response = post_json(client, f"{base}/visits", {
        "visited_on": timezone.localdate().isoformat(), "kind": "home", "findings": "需要维修",
        "raise_case": True, "case_category": leak.code, "case_description": "水管漏水"})
    assert response.status_code == 201
    visit = response.json()
    assert visit["findings"] == "***" and visit["case_id"] == Visit.objects.get().case_id
    assert [v["id"] for v in client.get(f"{base}/visits").json()] == [visit["id"]]
    assert CarePlan.objects.get().next_visit_due > timezone.localdate()
    rows = client.get("/api/people/completion").json()
    today, next_due = timezone.localdate(), CarePlan.objects.get().next_visit_due
    due = 1 + (next_due.month == today.month)  # the next due date, if still this month
    assert [(r["grid"], r["due"], r["in_time"]) for r in rows] == [("花楼第一网格", due, 1)]


def test_grid_worker_of_another_grid_cannot_plan_or_visit(client, people):
    cared_for(people.alice, people.rosa, people.gina)
    as_user(client, people.gary)
    before = registry_state()
    base = f"/api/people/residents/{people.rosa.pk}"
    assert put_json(client, f"{base}/care-plan",
                    {"grid_worker_id": people.gary.pk}).status_code == 404
    assert post_json(client, f"{base}/visits", {"visited_on": "2026-01-01",
                                                "kind": "home"}).status_code == 404
    assert client.get("/api/people/care-plans").json()["items"] == []
    assert registry_state() == before


def test_access_log_for_dispatchers_leaders_and_admins(client, people):
    as_user(client, people.gina)
    post_json(client, f"/api/people/residents/{people.rosa.pk}/reveal",
              {"field": "phone", "purpose": PURPOSE})
    as_user(client, people.bob)
    post_json(client, f"/api/people/residents/{people.rosa.pk}/reveal",
              {"field": "phone", "purpose": PURPOSE})
    for who in ("gina", "rita", "uma"):
        assert as_user(client, getattr(people, who)).get(
            "/api/people/access-log").status_code == 404
    # The dispatcher of Rosa's community watches who looked at her; the other one does not.
    items = as_user(client, people.alice).get("/api/people/access-log").json()["items"]
    assert [(i["actor"], i["outcome"]) for i in items] == [("bob", "refused"),
                                                           ("gina", "revealed")]
    assert as_user(client, people.bob).get("/api/people/access-log").json()["items"] == []
    items = as_user(client, people.leo).get("/api/people/access-log").json()["items"]
    assert [(i["actor"], i["outcome"], i["resident_id"]) for i in items] == [
        ("bob", "refused", people.rosa.pk), ("gina", "revealed", people.rosa.pk)]
    items = client.get("/api/people/access-log", {"outcome": "revealed"}).json()["items"]
    assert [i["actor"] for i in items] == ["gina"]
    assert ROSA_PHONE not in client.get("/api/people/access-log").content.decode()


def test_moved_out_residents_are_listed_on_request(client, people):
    as_user(client, people.alice)
    post_json(client, f"/api/people/residents/{people.kang.pk}/move-out", {})
    names = [r["name"] for r in client.get("/api/people/residents").json()["items"]]
    assert names == ["王秀英"]
    names = [r["name"] for r in client.get("/api/people/residents",
                                           {"include_moved_out": True}).json()["items"]]
    assert sorted(names) == ["李强", "王秀英"]
    assert Resident.objects.get(pk=people.kang.pk).moved_out is not None
