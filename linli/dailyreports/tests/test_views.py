"""The daily report pages through the Django test client: who may open what, and each
page doing its one job."""

import pytest
from django.utils import timezone

from linli.cases.models import Case
from linli.cases.tests.viewtools import body, jpeg, login_as
from linli.dailyreports.models import DailyReport, Item, ItemKind
from linli.dailyreports.tests.factories import report
from linli.disputes.models import Dispute
from linli.people.models import Visit

PAGES = ["/daily/", "/daily/add/problem/", "/daily/add/conflict/", "/daily/add/visit/",
         "/daily/add/nothing/", "/daily/community/", "/daily/community/month/",
         "/daily/reports/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (
        302, "/accounts/login/")


@pytest.mark.parametrize(("who", "url", "status"), [
    ("gina", "/daily/", 200), ("gina", "/daily/add/problem/", 200),
    ("gina", "/daily/add/conflict/", 200), ("gina", "/daily/add/visit/", 200),
    ("gina", "/daily/add/nothing/", 200), ("gina", "/daily/add/other/", 404),
    ("gina", "/daily/community/", 403), ("gina", "/daily/reports/", 200),
    ("rita", "/daily/", 403), ("rita", "/daily/add/problem/", 403),
    ("rita", "/daily/community/", 403), ("rita", "/daily/community/month/", 403),
    ("rita", "/daily/reports/", 403),
    ("alice", "/daily/", 302), ("alice", "/daily/add/problem/", 403),
    ("alice", "/daily/community/", 200), ("alice", "/daily/community/month/", 200),
    ("alice", "/daily/reports/", 200), ("leo", "/daily/community/month/", 200),
])
def test_who_opens_what(client, daily, who, url, status):
    assert login_as(client, getattr(daily, who)).get(url).status_code == status


def test_other_community_is_not_found(client, daily):
    w = daily
    login_as(client, w.bob)
    assert client.get(f"/daily/community/?community={w.community_a.pk}").status_code == 404
    assert client.get(f"/daily/community/month/?community={w.community_a.pk}"
                      ).status_code == 404
    assert client.get(f"/daily/community/?community={w.community_b.pk}").status_code == 200


def test_a_report_page_for_its_worker_and_overseers_only(client, daily):
    w = daily
    r = report(w)
    for who, status in (("gina", 200), ("alice", 200), ("leo", 200), ("bob", 404),
                        ("gary", 404), ("rita", 403)):
        assert login_as(client, getattr(w, who)).get(f"/daily/reports/{r.pk}/"
                                                     ).status_code == status, who


def test_filing_the_patrol_and_editing_it(client, daily):
    w = daily
    login_as(client, w.gina)
    form = {"grid": w.grid_a1.pk, "patrol_done": "1", "route_notes": "一圈", "idem": "t1"}
    assert client.post("/daily/", form).status_code == 302
    assert client.post("/daily/", form).status_code == 302  # a double tap replays
    client.post("/daily/", form | {"idem": "t2", "route_notes": "两圈"})
    row = DailyReport.objects.get()
    assert row.patrol_done and row.route_notes == "两圈"
    refused = client.post("/daily/", form | {"idem": "t3", "grid": w.grid_b1.pk})
    assert refused.status_code == 400 and DailyReport.objects.get().grid == w.grid_a1


def test_a_problem_with_a_photo_becomes_a_case(client, daily):
    w = daily
    login_as(client, w.gina)
    response = client.post("/daily/add/problem/", {
        "idem": "p1", "category": w.cat.code, "area": w.building_a.pk,
        "description": "楼道灯坏了", "photos": [jpeg()]})
    assert response.status_code == 302, body(response)
    item = Item.objects.get()
    assert item.kind == ItemKind.PROBLEM and item.case == Case.objects.get()
    assert item.case.photos.count() == 1
    page = body(client.get("/daily/"))
    assert f"/cases/{item.case_id}/" in page


def test_a_refused_problem_keeps_its_photo_and_writes_nothing(client, daily):
    w = daily
    login_as(client, w.gina)
    response = client.post("/daily/add/problem/", {
        "idem": "p2", "category": w.cat.code, "area": w.building_a.pk, "description": "",
        "photos": [jpeg()]})
    assert response.status_code == 400
    assert 'name="held_photo"' in body(response)
    assert not (DailyReport.objects.exists() or Case.objects.exists())


def test_a_conflict_sign_becomes_a_dispute_with_masked_parties(client, daily):
    w = daily
    login_as(client, w.gina)
    response = client.post("/daily/add/conflict/", {
        "idem": "c1", "kind": "neighbour", "area": w.building_a.pk, "summary": "噪音扰民争执",
        "people_involved": 2, "party1_name": "王大伟", "party1_phone": "13900000001",
        "party2_name": "李小红"})
    assert response.status_code == 302, body(response)
    dispute = Dispute.objects.get()
    assert Item.objects.get().dispute == dispute and dispute.parties.count() == 2
    page = body(client.get("/daily/"))
    assert dispute.number in page and "王大伟" not in page


def test_a_care_visit_and_nothing_to_report(client, daily):
    w = daily
    login_as(client, w.gina)
    page = body(client.get("/daily/add/visit/"))
    assert "王*英" in page and "王秀英" not in page
    response = client.post("/daily/add/visit/", {"idem": "v1", "resident": w.rosa.pk,
                                                 "kind": "home", "findings": "安好"})
    assert response.status_code == 302, body(response)
    assert Item.objects.get().visit == Visit.objects.get()
    nothing = client.post("/daily/add/nothing/", {"idem": "n1"})
    assert nothing.status_code == 400  # there is something already


def test_the_community_day_and_month(client, daily):
    w = daily
    report(w)
    login_as(client, w.alice)
    page = body(client.get("/daily/community/"))
    assert "1 of 2 grid workers have reported" in page
    assert 'data-worker="gary"' in page and "not reported" in page
    month = body(client.get(f"/daily/community/month/?month={timezone.localdate():%Y-%m}"))
    assert f"worker={w.gina.pk}&grid={w.grid_a1.pk}" in month


def test_a_registry_resident_as_a_party(client, daily):
    w = daily
    login_as(client, w.gina)
    page = body(client.get("/daily/add/conflict/"))
    assert "王*英" in page and "王秀英" not in page
    response = client.post("/daily/add/conflict/", {
        "idem": "c2", "kind": "family", "area": w.building_a.pk, "summary": "赡养问题争执",
        "people_involved": 2, "party1_resident": w.rosa.pk, "party2_name": "王小明"})
    assert response.status_code == 302, body(response)
    parties = Dispute.objects.get().parties.order_by("position")
    assert [p.resident_id for p in parties] == [w.rosa.pk, None]


def test_the_home_tiles(client, daily):
    w = daily
    assert 'id="tile-daily-today"' in body(login_as(client, w.gina).get("/"))
    assert 'id="tile-daily-community"' in body(login_as(client, w.alice).get("/"))
    assert 'id="daily-home"' not in body(login_as(client, w.rita).get("/"))
