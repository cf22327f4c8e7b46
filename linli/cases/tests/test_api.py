"""The cases API: reporting (channels, idempotency, bad input), listing with filters, and
the read endpoints, each for anonymous, resident, staff of the other community and staff of
this one."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.services import api_token_create
from linli.cases.models import Case, CaseEvent, IdempotencyKey
from linli.cases.services import case_report, extension_request
from linli.cases.tests.apitools import post_json, walk
from linli.cases.tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(world, leak):
    return {"category": leak.code, "area_id": world.dwelling_a.pk,
            "description": "楼道水管漏水", "address": "花楼小区1栋"}


def bearer(user) -> dict:
    _token, secret = api_token_create(actor=user, name="app")
    return {"Authorization": f"Bearer {secret}"}


# --- report ----------------------------------------------------------------------------

def test_anonymous_cannot_report(client, body):
    response = post_json(client, "/api/cases", body)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Case.objects.count() == 0


def test_resident_reports_from_the_web(client, world, body, leak):
    client.force_login(world.rita)
    response = post_json(client, "/api/cases", body)
    assert response.status_code == 201
    data = response.json()
    case = Case.objects.get()
    assert data["id"] == case.pk
    assert {k: data[k] for k in ("state", "version", "category", "category_name", "title",
                                  "area_id", "area_name", "address", "priority", "triage",
                                  "channel", "unit", "rating", "is_public", "light",
                                  "allowed_actions")} == {
        "state": "reported", "version": 1, "category": "L1003", "category_name": "管道漏水",
        "title": "管道漏水", "area_id": world.dwelling_a.pk, "area_name": "101",
        "address": "花楼小区1栋", "priority": "urgent", "triage": "major",
        "channel": "resident_web", "unit": None, "rating": "", "is_public": True,
        "light": "green", "allowed_actions": []}
    assert data["suggested_unit"] == {"id": world.unit_a.pk, "name": "花楼物业"}
    assert data["handle_due_at"] is None and data["accept_due_at"] is not None
    assert case.reporter == world.rita and case.events.count() == 1


def test_staff_of_the_other_community_cannot_report_here(client, world, body):
    client.force_login(world.bob)
    assert post_json(client, "/api/cases", body).status_code == 404
    assert Case.objects.count() == 0


def test_dispatcher_enters_a_hotline_report(client, world, body):
    client.force_login(world.alice)
    response = post_json(client, "/api/cases", {**body, "channel": "hotline"})
    assert response.status_code == 201
    assert response.json()["channel"] == "hotline"
    assert response.json()["allowed_actions"] == ["accept", "reject", "advise", "merge"]


def test_resident_cannot_claim_the_hotline(client, world, body):
    client.force_login(world.rita)
    response = post_json(client, "/api/cases", {**body, "channel": "hotline"})
    assert response.status_code == 403
    assert response.json()["code"] == "hotline_dispatchers_only"
    assert post_json(client, "/api/cases", {**body, "channel": "iot"}).status_code == 400
    assert Case.objects.count() == 0


def test_grid_worker_reports_on_patrol(client, world, body):
    client.force_login(world.gina)
    response = post_json(client, "/api/cases", body)
    assert response.status_code == 201
    assert response.json()["channel"] == "grid_patrol"


def test_token_reports_come_through_the_api_channel(client, world, body):
    response = post_json(client, "/api/cases", body, **bearer(world.rita))
    assert response.status_code == 201
    assert response.json()["channel"] == "api"
    response = post_json(client, "/api/cases", body, **bearer(world.gina))
    assert response.json()["channel"] == "grid_patrol"
    assert list(Case.objects.order_by("pk").values_list("reporter__username", flat=True)) == [
        "rita", "gina"]


def test_a_bad_token_is_refused(client, body):
    response = post_json(client, "/api/cases", body, Authorization="Bearer lnl_nope_nope")
    assert response.status_code == 401
    assert Case.objects.count() == 0


def test_idempotent_report_creates_one_case(client, world, body):
    client.force_login(world.rita)
    first = post_json(client, "/api/cases", body, **{"Idempotency-Key": "k-1"})
    again = post_json(client, "/api/cases", body, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize("who, extra", [("rita", {}), ("alice", {"channel": "hotline"})])
def test_a_replay_answers_200_with_the_body_of_the_first_201(client, world, body, who, extra):
    client.force_login(getattr(world, who))
    first = post_json(client, "/api/cases", {**body, **extra}, **{"Idempotency-Key": "k-1"})
    again = post_json(client, "/api/cases", {**body, **extra}, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.content == first.content
    assert first.json()["suggested_unit"] == {"id": world.unit_a.pk, "name": "花楼物业"}


def test_a_report_is_answered_without_reading_the_case_back(client, world, body):
    client.force_login(world.rita)
    with CaptureQueriesContext(connection) as queries:
        response = post_json(client, "/api/cases", body, **{"Idempotency-Key": "k-1"})
    assert response.status_code == 201
    assert [q["sql"] for q in queries if 'FROM "cases_case"' in q["sql"]] == []
    # In UTC, as a read-back gave it, although the working calendar counts in local time.
    assert response.json()["accept_due_at"].endswith("Z")


def test_same_key_with_another_body_is_a_conflict(client, world, body):
    client.force_login(world.rita)
    post_json(client, "/api/cases", body, **{"Idempotency-Key": "k-1"})
    response = post_json(client, "/api/cases", {**body, "description": "另一件事"},
                         **{"Idempotency-Key": "k-1"})
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_mismatch"
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_keys_belong_to_their_user(client, world, body):
    post_json(client, "/api/cases", body, **{"Idempotency-Key": "k-1"}, **bearer(world.rita))
    response = post_json(client, "/api/cases", body, **{"Idempotency-Key": "k-1"},
                         **bearer(world.gina))
    assert response.status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.parametrize("change, code", [
    ({"category": "L1"}, "bad_category"),       # a group, not a leaf
    ({"category": "nope"}, "bad_category"),
    ({"description": "   "}, "empty_description"),
    ({"priority": "whenever"}, "invalid"),
])
def test_bad_reports_are_refused(client, world, body, change, code):
    client.force_login(world.rita)
    response = post_json(client, "/api/cases", {**body, **change})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Case.objects.count() == 0


def test_missing_fields_are_named(client, world):
    client.force_login(world.rita)
    response = post_json(client, "/api/cases", {"description": "x"})
    assert response.status_code == 400
    assert {d["field"] for d in response.json()["details"]} == {"payload.category",
                                                                "payload.area_id"}


def test_bad_json_is_a_clear_400(client, world):
    client.force_login(world.rita)
    response = client.post("/api/cases", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_json"
    assert Case.objects.count() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=latin-1"])
def test_json_under_another_content_type_is_a_415(client, world, body, content_type):
    client.force_login(world.rita)
    response = client.post("/api/cases", json.dumps(body), content_type=content_type)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "Content-Type: application/json" in response.json()["message"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8",
                                          "application/merge-patch+json"])
def test_json_content_types_are_read(client, world, body, content_type):
    client.force_login(world.rita)
    response = client.post("/api/cases", json.dumps(body), content_type=content_type)
    assert response.status_code == 201 and Case.objects.count() == 1


@pytest.mark.parametrize("char", [*map(chr, range(0x00, 0x09)), "\x0b", "\x0c",
                                  *map(chr, range(0x0e, 0x20)), "\x7f"],
                         ids=lambda char: f"U+{ord(char):04X}")
def test_control_characters_in_text_are_refused(client, world, body, char):
    client.force_login(world.rita)
    client.cookies["linli_language"] = "en"
    response = post_json(client, "/api/cases", {**body, "description": f"漏水{char}了"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "control_characters", "message": "description contains a control character.",
        "details": [{"field": "description",
                     "message": "description contains a control character."}]}
    assert Case.objects.count() == 0


def test_tab_newline_and_carriage_return_stay_allowed(client, world, body):
    client.force_login(world.rita)
    response = post_json(client, "/api/cases", {**body, "description": "一楼\t漏水\r\n二楼也漏"})
    assert response.status_code == 201
    assert Case.objects.get().description == "一楼\t漏水\r\n二楼也漏"


def test_control_characters_in_a_query_are_refused(client, world):
    client.force_login(world.alice)
    response = client.get("/api/cases", {"q": "漏\x00水"})
    assert (response.status_code, response.json()["code"]) == (400, "control_characters")


def test_an_oversized_body_is_a_clear_413(client, world, body, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(world.rita)
    response = post_json(client, "/api/cases", {**body, "description": "漏" * 2000})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert Case.objects.count() == 0


# --- list ------------------------------------------------------------------------------

def report(world, cat, *, actor=None, area=None, days_ago=0, **kwargs) -> Case:
    return case_report(actor=actor or world.rita, category=cat, area=area or world.dwelling_a,
                       description=kwargs.pop("description", "问题"),
                       now=timezone.now() - timedelta(days=days_ago), **kwargs)


def ids(response) -> list[int]:
    assert response.status_code == 200
    return [item["id"] for item in response.json()["items"]]


def test_anonymous_cannot_list(client):
    assert client.get("/api/cases").status_code == 401


def test_list_is_scoped_and_paginated(client, world, leak):
    mine = [report(world, leak) for _ in range(3)]
    theirs = report(world, leak, actor=world.bob, area=world.dwelling_b)
    client.force_login(world.rita)
    page = client.get("/api/cases?page_size=2&page=2").json()
    assert page["count"] == 3 and [c["id"] for c in page["items"]] == [mine[0].pk]
    client.force_login(world.alice)
    assert ids(client.get("/api/cases")) == [c.pk for c in reversed(mine)]
    client.force_login(world.bob)
    assert ids(client.get("/api/cases")) == [theirs.pk]
    client.force_login(world.uma)  # nothing dispatched to her unit yet
    assert ids(client.get("/api/cases")) == []


def test_list_filters(client, world, leak):
    bins = category("03005", name_zh="垃圾箱异常", triage="minor", priority="normal")
    old = report(world, leak, days_ago=40, description="老问题")
    handled = walk(report(world, leak, area=world.grid_a2), world, "in_progress")
    fresh = report(world, bins, actor=world.gina, area=world.estate_a, title="垃圾箱坏了")
    client.force_login(world.alice)
    get = client.get
    assert ids(get("/api/cases?state=in_progress")) == [handled.pk]
    assert ids(get("/api/cases?state=in_progress&state=reported")) == [
        fresh.pk, handled.pk, old.pk]
    assert ids(get("/api/cases?state=in_progress,accepted")) == [handled.pk]
    assert ids(get("/api/cases?category=03005")) == [fresh.pk]
    assert ids(get("/api/cases?category=L1")) == [handled.pk, old.pk]   # group: its leaves
    assert ids(get(f"/api/cases?area_id={world.grid_a2.pk}")) == [handled.pk]
    assert ids(get(f"/api/cases?unit_id={world.unit_a.pk}")) == [handled.pk]
    assert ids(get("/api/cases?overdue=true")) == [old.pk]
    assert ids(get("/api/cases?overdue=false")) == [fresh.pk, handled.pk]
    since = timezone.localdate() - timedelta(days=1)
    assert ids(get(f"/api/cases?since={since}")) == [fresh.pk, handled.pk]
    assert ids(get(f"/api/cases?until={since}")) == [old.pk]
    assert ids(get("/api/cases?q=老问题")) == [old.pk]
    assert ids(get("/api/cases?q=垃圾箱坏")) == [fresh.pk]
    client.force_login(world.gina)
    assert ids(get("/api/cases?mine=true")) == [fresh.pk]


def test_bad_filter_values_are_400(client, world):
    client.force_login(world.alice)
    assert client.get("/api/cases?since=yesterday").status_code == 400
    assert client.get("/api/cases?page=0").status_code == 400


# --- read ------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", "/events", "/duplicates", "/suggested-units"])
def test_reads_are_scoped(client, world, reported, suffix):
    url = f"/api/cases/{reported.pk}{suffix}"
    assert client.get(url).status_code == 401
    client.force_login(world.bob)
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    for user in (world.rita, world.alice, world.gina):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(world.uma)  # not dispatched to her unit yet
    assert client.get(url).status_code == 404


def test_detail_offers_the_actions_of_the_caller(client, world, reported):
    client.force_login(world.alice)
    assert client.get(f"/api/cases/{reported.pk}").json()["allowed_actions"] == [
        "accept", "reject", "advise", "merge"]
    case = walk(reported, world, "dispatched")
    client.force_login(world.uma)
    data = client.get(f"/api/cases/{case.pk}").json()
    assert (data["state"], data["version"], data["unit"]) == (
        "dispatched", 3, {"id": world.unit_a.pk, "name": "花楼物业"})
    assert data["allowed_actions"] == ["acknowledge", "return"]


def test_residents_see_only_public_events(client, world, reported):
    case = walk(reported, world, "in_progress")
    extension_request(actor=world.uma, case=case, amount=Decimal(2), reason="等配件")
    client.force_login(world.rita)
    assert [e["action"] for e in client.get(f"/api/cases/{case.pk}/events").json()] == [
        "report", "accept", "dispatch", "acknowledge"]
    client.force_login(world.alice)
    events = client.get(f"/api/cases/{case.pk}/events").json()
    assert [e["action"] for e in events] == [
        "report", "accept", "dispatch", "acknowledge", "extension_request"]
    assert events[2]["data"]["unit"] == "花楼物业"
    assert datetime.fromisoformat(events[2]["data"]["handle_due_at"]) == case.handle_due_at
    assert events[4]["is_public"] is False and events[4]["note"] == "等配件"


def test_duplicates_hide_private_cases_from_residents(client, world, leak, reported):
    public = report(world, leak, actor=world.gina, area=world.building_a)
    private = report(world, leak, actor=world.gina, area=world.entrance_a, is_public=False)
    elsewhere = report(world, leak, actor=world.bob, area=world.dwelling_b)
    client.force_login(world.rita)
    found = client.get(f"/api/cases/{reported.pk}/duplicates").json()
    assert found == [{"id": public.pk, "state": "reported", "title": "管道漏水",
                      "category": "L1003", "category_name": "管道漏水",
                      "reported_at": found[0]["reported_at"]}]
    client.force_login(world.alice)
    assert [c["id"] for c in client.get(f"/api/cases/{reported.pk}/duplicates").json()] == [
        private.pk, public.pk]
    assert elsewhere.pk not in {c["id"] for c in found}


def test_suggested_units(client, world, reported):
    client.force_login(world.alice)
    assert client.get(f"/api/cases/{reported.pk}/suggested-units").json() == {
        "suggested": {"id": world.unit_a.pk, "name": "花楼物业"},
        "units": [{"id": world.unit_a.pk, "name": "花楼物业"}]}


def test_categories_tree(client, world, leak):
    category("L1009", name_zh="停用", is_active=False)
    assert client.get("/api/categories").status_code == 401
    client.force_login(world.rita)
    tree = client.get("/api/categories").json()
    assert [(g["code"], g["is_leaf"]) for g in tree] == [("L1", False)]
    assert tree[0]["children"] == [{
        "code": "L1003", "name": "管道漏水", "name_zh": "管道漏水", "name_en": "Pipe leak",
        "is_leaf": True, "triage": "major", "priority": "urgent", "accept_limit": "1.00",
        "handle_limit": "8.00", "limit_unit": "work_hours", "is_public": True,
        "children": []}]


def test_a_session_write_without_the_csrf_token_is_a_clear_403(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.rita)
    response = browser.post("/api/cases", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert Case.objects.count() == 0
