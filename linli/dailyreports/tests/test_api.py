"""The daily reports API: every endpoint's scope (anonymous 401, other community 404,
residents 403) and each action doing its one job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case
from linli.dailyreports.models import DailyReport, Item
from linli.dailyreports.tests.factories import report
from linli.disputes.models import Dispute, Source


def call(client, user, method: str, url: str, body: dict | None = None, **headers):
    if user is not None:
        client.force_login(user)
    client.cookies["linli_language"] = "en"
    send = getattr(client, method)
    if method == "get":
        return send(url, body or {})
    return send(url, body or {}, content_type="application/json", headers=headers)


def problem(w) -> dict:
    return {"kind": "problem", "problem": {"category": w.cat.code, "area_id": w.building_a.pk,
                                           "description": "楼道堆物"}}


def conflict(w) -> dict:
    return {"kind": "conflict", "conflict": {
        "kind": "neighbour", "area_id": w.building_a.pk, "summary": "停车位争执",
        "people_involved": 3, "parties": [{"name": "王大伟", "phone": "13900000001"},
                                          {"role": "respondent", "name": "李小红"}]}}


def endpoints(w, r) -> list[tuple[str, str, dict | None]]:
    today = timezone.localdate().isoformat()
    return [("get", "/api/daily/today", None),
            ("put", "/api/daily/today", {"grid_id": w.grid_a1.pk, "patrol_done": True}),
            ("post", "/api/daily/reports", {"grid_id": w.grid_a1.pk, "patrol_done": True,
                                            "day": today}),
            ("get", "/api/daily/reports", None),
            ("get", f"/api/daily/reports/{r.pk}", None),
            ("post", "/api/daily/items", {"kind": "nothing"}),
            ("get", "/api/daily/overview", None),
            ("get", "/api/daily/month", None)]


def test_anonymous_is_401_everywhere(client, daily):
    r = report(daily)
    for method, url, body in endpoints(daily, r):
        assert call(client, None, method, url, body).status_code == 401, url


def test_a_resident_is_403_everywhere(client, daily):
    r = report(daily)
    for method, url, body in endpoints(daily, r):
        response = call(client, daily.rita, method, url, body)
        assert response.status_code == 403, (url, response.json())
    assert DailyReport.objects.count() == 1 and not Item.objects.exists()


def test_another_community_is_404(client, daily):
    w = daily
    r = report(w)
    for url in (f"/api/daily/reports/{r.pk}", f"/api/daily/overview?community_id="
                f"{w.community_a.pk}", f"/api/daily/month?community_id={w.community_a.pk}"):
        assert call(client, w.bob, "get", url).status_code == 404, url
    assert call(client, w.bob, "get", "/api/daily/reports").json()["count"] == 0
    # A grid worker of community B names a grid of A: not found.
    put = call(client, w.greta, "put", "/api/daily/today",
               {"grid_id": w.grid_a1.pk, "patrol_done": True})
    assert put.status_code == 404 and DailyReport.objects.count() == 1


def test_today_put_files_then_edits(client, daily):
    w = daily
    assert call(client, w.gina, "get", "/api/daily/today").status_code == 404
    body = {"grid_id": w.grid_a1.pk, "patrol_done": False, "route_notes": "东门"}
    first = call(client, w.gina, "put", "/api/daily/today", body)
    assert first.status_code == 201 and first.json()["route_notes"] == "东门"
    again = call(client, w.gina, "put", "/api/daily/today", body | {"patrol_done": True})
    assert again.status_code == 200 and again.json()["patrol_done"] is True
    assert call(client, w.gina, "get", "/api/daily/today").json()["id"] == first.json()["id"]


def test_a_past_or_future_day_is_refused(client, daily):
    w = daily
    today = timezone.localdate()
    for day, status, code in ((today - timedelta(days=1), 409, "day_locked"),
                              (today + timedelta(days=1), 400, "future_day")):
        response = call(client, w.gina, "post", "/api/daily/reports", {
            "grid_id": w.grid_a1.pk, "patrol_done": True, "day": day.isoformat()})
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert not DailyReport.objects.exists()


def test_items_raise_a_case_and_a_dispute_and_replay(client, daily):
    w = daily
    made = call(client, w.gina, "post", "/api/daily/items", problem(w),
                **{"Idempotency-Key": "tap-1"})
    assert made.status_code == 201, made.json()
    again = call(client, w.gina, "post", "/api/daily/items", problem(w),
                 **{"Idempotency-Key": "tap-1"})
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    assert Case.objects.count() == 1
    other = call(client, w.gina, "post", "/api/daily/items", conflict(w),
                 **{"Idempotency-Key": "tap-1"})
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_mismatch")
    sign = call(client, w.gina, "post", "/api/daily/items", conflict(w))
    assert sign.status_code == 201
    dispute = Dispute.objects.get()
    assert sign.json()["dispute_id"] == dispute.pk and dispute.source == Source.DAILY_REPORT
    report_json = call(client, w.gina, "get", "/api/daily/today").json()
    assert [i["kind"] for i in report_json["items"]] == ["problem", "conflict"]
    assert "王大伟" not in str(report_json)


def test_a_visit_item_names_a_care_plan_resident(client, daily):
    w = daily
    made = call(client, w.gina, "post", "/api/daily/items", {
        "kind": "visit", "visit": {"resident_id": w.rosa.pk, "kind": "home"}})
    assert made.status_code == 201 and made.json()["visit_id"]
    refused = call(client, w.gary, "post", "/api/daily/items", {
        "kind": "visit", "visit": {"resident_id": w.rosa.pk, "kind": "home"}})
    assert (refused.status_code, refused.json()["code"]) == (400, "not_your_care_plan")


def test_missing_details_are_refused(client, daily):
    response = call(client, daily.gina, "post", "/api/daily/items", {"kind": "problem"})
    assert (response.status_code, response.json()["code"]) == (400, "details_required")
    assert not DailyReport.objects.exists()


def test_overview_and_month_for_overseers(client, daily):
    w = daily
    report(w)
    overview = call(client, w.alice, "get", "/api/daily/overview").json()
    assert overview["community_id"] == w.community_a.pk
    assert [(g["grid_name"], g["reported"]) for g in overview["grids"]] == [
        (w.grid_a1.name, 1), (w.grid_a2.name, 0)]
    month = call(client, w.leo, "get", f"/api/daily/month?community_id={w.community_a.pk}")
    rows = {r["worker_id"]: r for r in month.json()["rows"]}
    assert set(rows) == {w.gina.pk, w.gary.pk}
    assert call(client, w.gina, "get", "/api/daily/overview").status_code == 403


@pytest.mark.parametrize("who", ["gina", "alice", "leo"])
def test_the_list_and_a_report(client, daily, who):
    w = daily
    r = report(w)
    listed = call(client, getattr(w, who), "get", "/api/daily/reports").json()
    assert [x["id"] for x in listed["items"]] == [r.pk]
    assert call(client, getattr(w, who), "get", f"/api/daily/reports/{r.pk}").status_code == 200
    assert call(client, w.gary, "get", f"/api/daily/reports/{r.pk}").status_code == 404
