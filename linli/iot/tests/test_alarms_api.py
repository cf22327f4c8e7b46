"""The alarms API (/api/iot/alarms): the list with its filters, one alarm with its
timeline and allowed actions, and the moves; for the anonymous, the other community's
dispatcher (bob), a resident (rita), a leader (leo) and the right people (the grid worker,
the owner unit, the dispatcher). A refusal writes nothing."""

import pytest

from linli.accounts.services import api_token_create
from linli.cases.tests.apitools import post_json
from linli.core.models import AuditEntry
from linli.iot.models import Alarm, AlarmEvent, AlarmState
from linli.iot.tests.alarms_world import alarms_world, raise_alarm

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    w = alarms_world(world)
    w.open_a = raise_alarm(w.cover, "open")
    w.help = raise_alarm(w.button, "help")
    return w


def bearer(user) -> dict:
    _token, secret = api_token_create(actor=user, name="app")
    return {"Authorization": f"Bearer {secret}"}


def written(alarm: Alarm) -> tuple:
    fresh = Alarm.objects.get(pk=alarm.pk)
    return (fresh.state, fresh.version, AlarmEvent.objects.filter(alarm=alarm).count(),
            AuditEntry.objects.filter(action__startswith="alarm.").count())


def _act(client, alarm: Alarm, action: str, note: str = "", version: int | None = None,
         **headers):
    return post_json(client, f"/api/iot/alarms/{alarm.pk}/act",
                     {"action": action, "note": note, "expected_version": version},
                     **headers)


def test_anonymous_is_401(client, w):
    before = written(w.open_a)
    for response in (client.get("/api/iot/alarms"), client.get(f"/api/iot/alarms/{w.open_a.pk}"),
                     _act(client, w.open_a, "acknowledge")):
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert written(w.open_a) == before


@pytest.mark.parametrize("who", ["bob", "rita", "nobody"])
def test_out_of_scope_is_404_and_the_list_is_empty(client, w, who):
    client.force_login(getattr(w, who))
    before = written(w.open_a)
    listing = client.get("/api/iot/alarms").json()
    assert w.open_a.pk not in {a["id"] for a in listing["items"]}
    response = client.get(f"/api/iot/alarms/{w.open_a.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    response = _act(client, w.open_a, "acknowledge")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert written(w.open_a) == before


def test_a_leader_reads_without_actions_and_is_403_on_a_move(client, w):
    client.force_login(w.leo)
    data = client.get(f"/api/iot/alarms/{w.open_a.pk}").json()
    assert data["allowed_actions"] == [] and data["state"] == "active"
    before = written(w.open_a)
    response = _act(client, w.open_a, "acknowledge")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert written(w.open_a) == before


@pytest.mark.parametrize("who", ["gina", "uma", "alice"])
def test_the_right_people_acknowledge_then_clear_with_a_token(client, w, who):
    headers = bearer(getattr(w, who))
    data = client.get(f"/api/iot/alarms/{w.open_a.pk}", headers=headers).json()
    assert data["allowed_actions"] == ["acknowledge", "clear"]
    assert data["light"] == "green" and data["case_id"] == w.open_a.case_id
    assert [e["action"] for e in data["events"]] == ["raise", "case"]
    response = _act(client, w.open_a, "acknowledge", version=data["version"], **headers)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "acknowledged" and data["allowed_actions"] == ["clear"]
    assert data["light"] is None and data["acknowledged_at"]
    response = _act(client, w.open_a, "clear", "井盖已复位", data["version"], **headers)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "cleared" and data["allowed_actions"] == []
    assert data["events"][-1]["note"] == "井盖已复位"
    assert data["events"][-1]["actor"]["id"] == getattr(w, who).pk


def test_refusals_name_their_reason_and_write_nothing(client, w):
    client.force_login(w.gina)
    version = Alarm.objects.get(pk=w.open_a.pk).version
    before = written(w.open_a)
    for action, note, seen, status, code in [
            ("clear", "", version, 400, "note_required"),
            ("clear", "x" * 2001, version, 400, "invalid"),
            ("recover", "", version, 400, "invalid"),
            ("acknowledge", "", version - 1, 409, "stale")]:
        response = _act(client, w.open_a, action, note, seen)
        assert (response.status_code, response.json()["code"]) == (status, code), action
    assert written(w.open_a) == before
    assert _act(client, w.open_a, "acknowledge", version=version).status_code == 200
    # A second acknowledge from a page loaded before the first: a clear conflict.
    response = _act(client, w.open_a, "acknowledge", version=version)
    assert (response.status_code, response.json()["code"]) == (409, "stale")
    # Without a version: the state no longer allows it.
    response = _act(client, w.open_a, "acknowledge")
    assert (response.status_code, response.json()["code"]) == (400, "transition_not_allowed")
    assert Alarm.objects.get(pk=w.open_a.pk).state == AlarmState.ACKNOWLEDGED


def test_the_list_filters_and_pages(client, w):
    client.force_login(w.alice)
    data = client.get("/api/iot/alarms").json()
    assert data["count"] == 2
    assert [a["id"] for a in data["items"]] == [w.help.pk, w.open_a.pk]  # emergency first
    help_row = data["items"][0]
    assert help_row["is_emergency"] and help_row["place"] == "花楼小区1栋1单元101"
    items = client.get("/api/iot/alarms?emergency=false").json()["items"]
    assert [a["id"] for a in items] == [w.open_a.pk]
    assert client.get("/api/iot/alarms?state=cleared").json()["count"] == 0
    assert client.get("/api/iot/alarms?page_size=1&page=2").json()["items"][0]["id"] == \
        w.open_a.pk
    for bad in ("state=closed", "kind=toaster", "period=1y", "community=0"):
        response = client.get(f"/api/iot/alarms?{bad}")
        assert (response.status_code, response.json()["code"]) == (400, "invalid"), bad


def test_a_help_press_names_the_resident_masked(client, w):
    client.force_login(w.gina)
    data = client.get(f"/api/iot/alarms/{w.help.pk}").json()
    assert data["help"]["who"] == "王*国" and data["help"]["place"] == "花楼小区1栋1单元101"
    assert "王建国" not in str(data)
    assert client.get(f"/api/iot/alarms/{w.open_a.pk}").json()["help"] is None
