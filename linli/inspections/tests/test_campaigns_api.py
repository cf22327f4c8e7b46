"""The campaigns API (/api/inspections/campaigns, /schedules, /templates): every endpoint
with an anonymous caller, a resident, staff of another community, a grid worker and a
dispatcher, and nothing written when refused."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from linli.core.models import AuditEntry
from linli.inspections.models import Campaign, Schedule, Template
from linli.inspections.services import schedule_create
from linli.inspections.tests.factories import GAS, campaign, inspect, target

API = "/api/inspections"


def body(world, **kw) -> dict:
    today = timezone.localdate()
    return {"name": "燃气安全排查", "template_id": Template.objects.get(name=GAS).pk,
            "area_ids": [world.grid_a1.pk, world.grid_a2.pk], "starts_on": str(today),
            "ends_on": str(today + timedelta(days=13))} | kw


def as_user(client, user):
    client.force_login(user)
    return client


def test_alice_runs_a_campaign_and_reads_it_back(client, world):
    got = as_user(client, world.alice).post(f"{API}/campaigns", body(world),
                                            content_type="application/json")
    assert got.status_code == 201, got.json()
    data = got.json()
    assert (data["topic"], data["area"]["id"], data["phase"]) == (
        "gas", world.community_a.pk, "running")
    assert [a["name"] for a in data["areas"]] == ["花楼第一网格", "花楼第二网格"]
    assert len(data["items"]) == 8 and data["items"][0]["severity"] == "general"
    assert data["progress"] == {"targets": 0, "inspected": 0, "remaining": 0, "hazards": 0,
                                "open_orders": 0}
    assert client.get(f"{API}/campaigns/{data['id']}").json()["name"] == "燃气安全排查"


@pytest.mark.parametrize(("who", "status"), [("gina", 403), ("rita", 403), ("bob", 404)])
def test_others_cannot_run_a_campaign_in_community_a(client, world, who, status):
    # gina sees her own grid only: she asks for it (a grid she cannot see is 404).
    got = as_user(client, getattr(world, who)).post(
        f"{API}/campaigns", body(world, area_ids=[world.grid_a1.pk]),
        content_type="application/json")
    assert got.status_code == status
    assert Campaign.objects.count() == 0


def test_a_campaign_with_an_area_of_b_is_404_for_alice(client, world):
    got = as_user(client, world.alice).post(
        f"{API}/campaigns", body(world, area_ids=[world.grid_a1.pk, world.grid_b1.pk]),
        content_type="application/json")
    assert got.status_code == 404
    assert Campaign.objects.count() == 0


def test_bad_input_answers_400_with_its_code(client, world):
    past = str(timezone.localdate() - timedelta(days=1))
    got = as_user(client, world.alice).post(f"{API}/campaigns", body(world, ends_on=past),
                                            content_type="application/json")
    assert (got.status_code, got.json()["code"]) == (400, "ends_before_start")
    assert Campaign.objects.count() == 0


def test_anonymous_is_401(client, world):
    assert client.get(f"{API}/campaigns").status_code == 401
    assert client.get(f"{API}/templates").status_code == 401


def test_the_list_shows_campaigns_covering_the_readers_areas(client, world):
    a = campaign(world, name="花楼排查")
    campaign(world, name="水塔排查", areas=[world.community_b], actor=world.bob)
    for who, names in [("gina", ["花楼排查"]), ("alice", ["花楼排查"]), ("bob", ["水塔排查"]),
                       ("leo", ["水塔排查", "花楼排查"]), ("rita", [])]:
        got = as_user(client, getattr(world, who)).get(f"{API}/campaigns?phase=running")
        assert sorted(c["name"] for c in got.json()["items"]) == sorted(names), who
    assert client.get(f"{API}/campaigns?phase=soon").status_code == 400
    as_user(client, world.bob)
    assert client.get(f"{API}/campaigns/{a.pk}").status_code == 404


def test_the_targets_are_the_readers_to_do(client, world):
    c = campaign(world)
    done = target(world, name="老王餐馆")
    todo = target(world, area=world.estate_a, name="李记面馆")
    target(world, area=world.grid_a2, name="二网格餐馆")
    inspection = inspect(world, c, done, fail=())
    got = as_user(client, world.gina).get(f"{API}/campaigns/{c.pk}/targets").json()
    assert [(t["name"], t["inspected"], t["inspection_id"]) for t in got["items"]] == [
        ("李记面馆", False, None), ("老王餐馆", True, inspection.pk)]
    left = client.get(f"{API}/campaigns/{c.pk}/targets?inspected=false").json()["items"]
    assert [t["target_id"] for t in left] == [todo.pk]
    detail = client.get(f"{API}/campaigns/{c.pk}").json()
    assert detail["progress"] == {"targets": 2, "inspected": 1, "remaining": 1, "hazards": 0,
                                  "open_orders": 0}
    assert as_user(client, world.alice).get(
        f"{API}/campaigns/{c.pk}").json()["progress"]["targets"] == 3


def test_patch_renames_and_extends_for_coordinators_only(client, world):
    c = campaign(world)
    later = str(c.ends_on + timedelta(days=7))
    as_user(client, world.gina)
    got = client.patch(f"{API}/campaigns/{c.pk}", {"ends_on": later},
                       content_type="application/json")
    assert got.status_code == 403
    as_user(client, world.bob)
    assert client.patch(f"{API}/campaigns/{c.pk}", {"name": "x"},
                        content_type="application/json").status_code == 404
    as_user(client, world.alice)
    got = client.patch(f"{API}/campaigns/{c.pk}", {"ends_on": later, "name": "延长"},
                       content_type="application/json")
    assert got.status_code == 200
    assert (got.json()["ends_on"], got.json()["name"]) == (later, "延长")
    assert AuditEntry.objects.filter(action="inspection.campaign_update").count() == 1


def schedule_body(world, **kw) -> dict:
    return {"name": "燃气安全排查", "template_id": Template.objects.get(name=GAS).pk,
            "area_ids": [world.community_a.pk], "ordinal": 1, "weekday": 0} | kw


def test_schedules_are_made_read_paused_and_resumed(client, world):
    as_user(client, world.alice)
    got = client.post(f"{API}/schedules", schedule_body(world), content_type="application/json")
    assert got.status_code == 201, got.json()
    made = got.json()
    assert (made["every_months"], made["duration_days"], made["is_active"]) == (1, 7, True)
    assert date.fromisoformat(made["next_on"]).weekday() == 0
    sid = made["id"]
    assert client.get(f"{API}/schedules").json()["items"][0]["id"] == sid
    paused = client.patch(f"{API}/schedules/{sid}", {"is_active": False},
                          content_type="application/json")
    assert paused.json()["is_active"] is False
    assert client.patch(f"{API}/schedules/{sid}", {"ordinal": 9},
                        content_type="application/json").json()["code"] == "bad_ordinal"
    as_user(client, world.gina)
    assert client.get(f"{API}/schedules/{sid}").status_code == 200
    assert client.patch(f"{API}/schedules/{sid}", {"is_active": True},
                        content_type="application/json").status_code == 403
    as_user(client, world.bob)
    assert client.get(f"{API}/schedules/{sid}").status_code == 404
    assert client.patch(f"{API}/schedules/{sid}", {"is_active": True},
                        content_type="application/json").status_code == 404
    assert client.post(f"{API}/schedules", schedule_body(world),
                       content_type="application/json").status_code == 404
    assert Schedule.objects.get().is_active is False


@pytest.mark.parametrize(("who", "status"), [("gina", 403), ("rita", 403)])
def test_only_coordinators_make_schedules(client, world, who, status):
    as_user(client, getattr(world, who))
    got = client.post(f"{API}/schedules", schedule_body(world, area_ids=[world.grid_a1.pk]),
                      content_type="application/json")
    assert got.status_code == status
    assert Schedule.objects.count() == 0


def test_the_schedule_list_is_scoped(client, world):
    schedule_create(actor=world.bob, name="水塔", template=Template.objects.get(name=GAS),
                    areas=[world.community_b], ordinal=1, weekday=0, every_months=1,
                    duration_days=7)
    assert as_user(client, world.alice).get(f"{API}/schedules").json()["count"] == 0
    assert as_user(client, world.bob).get(f"{API}/schedules").json()["count"] == 1


def test_the_checklists_are_read_by_inspectors(client, world):
    got = as_user(client, world.gina).get(f"{API}/templates")
    assert got.status_code == 200
    names = [t["name"] for t in got.json()]
    assert "燃气安全检查表" in names and len(names) == 5
    gas = next(t for t in got.json() if t["name"] == GAS)
    assert len(gas["items"]) == 8 and gas["topic"] == "gas"
    assert as_user(client, world.rita).get(f"{API}/templates").status_code == 403
