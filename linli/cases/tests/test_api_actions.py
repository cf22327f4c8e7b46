"""The cases API's writes on an existing case: transitions and extensions. A refused write
leaves the case's state, version and event log exactly as they were."""

from decimal import Decimal
from typing import cast

import pytest

from linli.cases.models import Case, Extension
from linli.cases.services import extension_request
from linli.cases.tests.apitools import post_json, snapshot, walk
from linli.orgs.models import Unit
from linli.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def act(client, case, action, **data):
    return post_json(client, f"/api/cases/{case.pk}/actions/{action}", data)


def test_anonymous_cannot_act(client, world, reported):
    before = snapshot(reported)
    assert act(client, reported, "accept").status_code == 401
    assert snapshot(reported) == before


@pytest.mark.parametrize("who, status", [("rita", 403), ("bob", 404), ("uma", 404),
                                         ("gina", 403)])
def test_only_the_dispatcher_accepts(client, world, reported, who, status):
    before = snapshot(reported)
    client.force_login(getattr(world, who))
    assert act(client, reported, "accept").status_code == status
    assert snapshot(reported) == before


def test_dispatcher_accepts_and_dispatches(client, world, reported):
    client.force_login(world.alice)
    response = act(client, reported, "accept", version=1, triage="minor", priority="normal")
    assert response.status_code == 200
    data = response.json()
    assert (data["state"], data["version"], data["triage"], data["priority"]) == (
        "accepted", 2, "minor", "normal")
    data = act(client, reported, "dispatch", version=2, unit_id=world.unit_a.pk).json()
    assert (data["state"], data["version"], data["unit"]["id"]) == (
        "dispatched", 3, world.unit_a.pk)
    assert data["handle_due_at"] is not None and data["light"] == "green"
    assert Case.objects.get(pk=reported.pk).events.count() == 3


def test_dispatch_to_a_missing_unit_is_404(client, world, reported):
    case = walk(reported, world, "accepted")
    before = snapshot(case)
    client.force_login(world.alice)
    response = act(client, case, "dispatch", unit_id=999_999)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    other = cast(Unit, UnitFactory(name="水塔维修", service_areas=[world.community_b]))
    response = act(client, case, "dispatch", unit_id=other.pk)
    assert (response.status_code, response.json()["code"]) == (400, "bad_unit")
    assert snapshot(case) == before


@pytest.mark.parametrize("who, status", [("rita", 403), ("bob", 404), ("alice", 403),
                                         ("gina", 403)])
def test_only_the_unit_acknowledges(client, world, reported, who, status):
    case = walk(reported, world, "dispatched")
    before = snapshot(case)
    client.force_login(getattr(world, who))
    assert act(client, case, "acknowledge").status_code == status
    assert snapshot(case) == before
    client.force_login(world.uma)
    assert act(client, case, "acknowledge").json()["state"] == "in_progress"


@pytest.mark.parametrize("who, status", [("uma", 403), ("bob", 404), ("alice", 403)])
def test_only_the_grid_worker_or_reporter_verifies(client, world, reported, who, status):
    case = walk(reported, world, "resolved")
    before = snapshot(case)
    client.force_login(getattr(world, who))
    assert act(client, case, "verify").status_code == status
    assert snapshot(case) == before
    client.force_login(world.gina)
    data = act(client, case, "verify").json()
    assert (data["state"], data["allowed_actions"]) == ("verified", [])


def test_a_stale_form_is_refused(client, world, reported):
    case = walk(reported, world, "accepted")
    before = snapshot(case)
    client.force_login(world.alice)
    response = act(client, case, "hold", version=1, note="等待排期")
    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert snapshot(case) == before


@pytest.mark.parametrize("action, data, code", [
    ("fly", {}, "unknown_action"),
    ("reject", {}, "note_required"),
    ("close", {}, "transition_not_allowed"),
    ("advise", {"note": "x" * 2001}, "note_too_long"),
])
def test_impossible_moves_are_400(client, world, reported, action, data, code):
    before = snapshot(reported)
    client.force_login(world.alice)
    response = act(client, reported, action, **data)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert snapshot(reported) == before


def test_merge_into_a_master_the_dispatcher_sees(client, world, leak, reported):
    from linli.cases.services import case_report

    master = case_report(actor=world.gina, category=leak, area=world.building_a,
                         description="1栋水管漏水")
    foreign = case_report(actor=world.bob, category=leak, area=world.dwelling_b,
                          description="漏水")
    before = snapshot(reported)
    client.force_login(world.alice)
    assert act(client, reported, "merge", master_id=foreign.pk).status_code == 404
    assert snapshot(reported) == before
    data = act(client, reported, "merge", master_id=master.pk).json()
    assert data["state"] == "merged"
    assert Case.objects.get(pk=reported.pk).master_id == master.pk


def test_reporter_rates_the_closed_case(client, world, reported):
    case = walk(reported, world, "closed")
    client.force_login(world.alice)
    assert act(client, case, "rate", rating="satisfied").status_code == 403
    client.force_login(world.rita)
    data = act(client, case, "rate", rating="unsatisfied", comment="还在漏").json()
    assert (data["state"], data["rating"], data["version"]) == ("closed", "unsatisfied", 8)
    response = act(client, case, "rate", rating="satisfied")
    assert (response.status_code, response.json()["code"]) == (400, "already_rated")


def test_token_user_acts_like_the_session_user(client, world, reported):
    from linli.accounts.services import api_token_create

    _token, secret = api_token_create(actor=world.alice, name="app")
    response = post_json(client, f"/api/cases/{reported.pk}/actions/accept", {},
                         Authorization=f"Bearer {secret}")
    assert (response.status_code, response.json()["state"]) == (200, "accepted")


# --- extensions ------------------------------------------------------------------------

def ask(client, case, amount="2", reason="等配件"):
    return post_json(client, f"/api/cases/{case.pk}/extensions",
                     {"amount": amount, "reason": reason})


@pytest.mark.parametrize("who, status", [(None, 401), ("rita", 403), ("bob", 404),
                                         ("alice", 403)])
def test_only_the_unit_asks_for_more_time(client, world, reported, who, status):
    case = walk(reported, world, "in_progress")
    before = snapshot(case)
    if who:
        client.force_login(getattr(world, who))
    assert ask(client, case).status_code == status
    assert snapshot(case) == before and Extension.objects.count() == 0


def test_unit_asks_for_more_time(client, world, reported):
    case = walk(reported, world, "in_progress")
    client.force_login(world.uma)
    response = ask(client, case)
    assert response.status_code == 201
    data = response.json()
    assert {k: data[k] for k in ("case_id", "amount", "limit_unit", "reason", "decision",
                                  "decided_at", "decision_note")} == {
        "case_id": case.pk, "amount": "2", "limit_unit": "work_hours", "reason": "等配件",
        "decision": "pending", "decided_at": None, "decision_note": ""}
    assert ask(client, case).status_code == 409
    assert snapshot(case) == ("in_progress", 4, 5, 0)


def decide(client, extension, approve=True, note=""):
    return post_json(client, f"/api/extensions/{extension.pk}/decision",
                     {"approve": approve, "note": note})


@pytest.mark.parametrize("who, status", [(None, 401), ("rita", 403), ("bob", 404),
                                         ("uma", 403), ("gina", 403)])
def test_only_the_dispatcher_decides(client, world, reported, who, status):
    case = walk(reported, world, "in_progress")
    extension = extension_request(actor=world.uma, case=case, amount=Decimal(2), reason="等")
    before = snapshot(case)
    if who:
        client.force_login(getattr(world, who))
    assert decide(client, extension).status_code == status
    assert snapshot(case) == before
    assert Extension.objects.get().decision == "pending"


def test_dispatcher_approves_and_the_deadline_moves(client, world, reported):
    case = walk(reported, world, "in_progress")
    extension = extension_request(actor=world.uma, case=case, amount=Decimal(2), reason="等")
    assert client.get("/api/extensions").status_code == 401
    for who, expected in (("alice", [extension.pk]), ("uma", [extension.pk]), ("bob", []),
                          ("rita", [])):  # the request is a private event: not for rita
        client.force_login(getattr(world, who))
        assert [e["id"] for e in client.get("/api/extensions").json()] == expected
    client.force_login(world.alice)
    response = decide(client, extension, note="同意")
    assert response.status_code == 200
    fresh = Case.objects.get(pk=case.pk)
    assert response.json()["version"] == fresh.version == case.version + 1
    assert fresh.handle_due_at and case.handle_due_at
    assert fresh.handle_due_at > case.handle_due_at and fresh.handle_limit == Decimal(10)
    assert decide(client, extension).status_code == 409
    assert client.get("/api/extensions").json() == []
