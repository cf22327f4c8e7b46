"""FixMyStreet's extended statuses behind extensions=true: the value each Linli state
reads as, the status filter taking them, and plain open/closed unchanged without it."""

import pytest

from linli.cases.models import State
from linli.cases.services import case_transition
from linli.cases.tests.walking import case_in_state, report
from linli.open311.tests.conftest import BASE, both, parsed

EXTENDED = [
    (State.REPORTED, "open"),
    (State.ACCEPTED, "investigating"),
    (State.ON_HOLD, "investigating"),
    (State.DISPATCHED, "action_scheduled"),
    (State.IN_PROGRESS, "in_progress"),
    (State.REWORK, "in_progress"),
    (State.RESOLVED, "fixed"),
    (State.VERIFIED, "fixed"),
    (State.CLOSED, "fixed"),
    (State.REJECTED, "not_councils_responsibility"),
    (State.MERGED, "duplicate"),
]


def _statuses(client, **params) -> dict[str, str]:
    """service_request_id -> status, read in XML and JSON (which must agree)."""
    xml_response, data = both(client, "requests", **params)
    assert xml_response.status_code == 200, data
    return {r["service_request_id"]: r["status"] for r in data}


def _errors(client, **params) -> list[dict]:
    xml_response, data = both(client, "requests", **params)
    assert xml_response.status_code == 400
    return data


@pytest.mark.parametrize(("state", "extended"), EXTENDED)
def test_each_state_reads_as_its_extended_status(client, o311, state, extended):
    case = case_in_state(o311, state)
    _xml, data = both(client, f"requests/{case.pk}", extensions="true")
    assert data[0]["status"] == extended
    plain = parsed(client.get(f"{BASE}/requests/{case.pk}.json"))[0]
    assert plain["status"] == ("closed" if state in (State.CLOSED, State.REJECTED,
                                                       State.MERGED) else "open")


def test_closed_with_advice_is_no_further_action(client, o311):
    case = case_transition(actor=o311.alice, case=report(o311), action="advise",
                           note="请联系房东维修")
    assert _statuses(client, extensions="true")[str(case.pk)] == "no_further_action"
    assert _statuses(client)[str(case.pk)] == "closed"


def test_reopened_after_advice_then_closed_is_fixed(client, o311):
    case = case_transition(actor=o311.alice, case=report(o311), action="advise",
                           note="请联系房东维修")
    case = case_transition(actor=o311.rita, case=case, action="rate", rating="unsatisfied")
    case = case_transition(actor=o311.rita, case=case, action="reopen", note="房东不管")
    assert _statuses(client, extensions="true")[str(case.pk)] == "investigating"
    for actor, action, inputs in [("alice", "dispatch", {"unit": o311.unit_a}),
                                  ("uma", "acknowledge", {}),
                                  ("uma", "resolve", {"note": "已修好"}),
                                  ("gina", "verify", {}), ("alice", "close", {})]:
        case = case_transition(actor=getattr(o311, actor), case=case, action=action,
                               **inputs)
    assert _statuses(client, extensions="true")[str(case.pk)] == "fixed"
    assert _statuses(client, extensions="true", status="fixed") == {str(case.pk): "fixed"}
    assert _statuses(client, extensions="true", status="no_further_action") == {}


@pytest.fixture
def walked(o311):
    o311.cases = {state: case_in_state(o311, state) for state, _ in EXTENDED}
    o311.advised = case_transition(actor=o311.alice, case=report(o311), action="advise",
                                   note="请联系房东维修")
    return o311


def _ids_of(world, *states) -> set[str]:
    return {str(world.cases[s].pk) for s in states}


def test_the_status_filter_takes_extended_values(client, walked):
    found = _statuses(client, extensions="true", status="fixed")
    assert set(found) == _ids_of(walked, State.RESOLVED, State.VERIFIED, State.CLOSED)
    assert set(found.values()) == {"fixed"}
    found = _statuses(client, extensions="true", status="no_further_action")
    assert found == {str(walked.advised.pk): "no_further_action"}
    found = _statuses(client, extensions="true", status="in_progress,duplicate")
    assert set(found) == _ids_of(walked, State.IN_PROGRESS, State.REWORK, State.MERGED)
    found = _statuses(client, extensions="true",
                      status=["investigating", "NOT_COUNCILS_RESPONSIBILITY"])
    assert set(found) == _ids_of(walked, State.ACCEPTED, State.ON_HOLD, State.REJECTED)
    found = _statuses(client, extensions="true", status="action_scheduled,no_further_action")
    assert set(found) == {*_ids_of(walked, State.DISPATCHED), str(walked.advised.pk)}


def test_open_and_closed_keep_their_plain_meaning_with_extensions(client, walked):
    closed = _ids_of(walked, State.CLOSED, State.REJECTED, State.MERGED) | {
        str(walked.advised.pk)}
    everything = set(_statuses(client))  # the merged case's master too
    for extensions in ("true", "false"):
        assert set(_statuses(client, extensions=extensions, status="closed")) == closed
        assert set(_statuses(client, extensions=extensions, status="open")) == (
            everything - closed)
    # Plain "open" and an extended value together: the union.
    found = _statuses(client, extensions="true", status="closed,fixed")
    assert set(found) == closed | _ids_of(walked, State.RESOLVED, State.VERIFIED)


def test_without_extensions_an_extended_value_is_400_saying_so(client, walked):
    assert _errors(client, status="fixed") == [{
        "code": "400",
        "description": "status fixed is an extended status: send extensions=true to "
                       "filter by it."}]
    assert _errors(client, status="open,duplicate", extensions="false")[0][
        "description"].startswith("status duplicate is an extended status")


def test_an_unknown_status_is_400_and_lists_the_values(client, walked):
    data = _errors(client, status="fixed,mended", extensions="true")
    assert data == [{"code": "400", "description": (
        "status is open, closed or an extended status: open, closed, investigating, "
        "action_scheduled, in_progress, fixed, not_councils_responsibility, duplicate, "
        "no_further_action.")}]
    assert _errors(client, status="pending") == [{
        "code": "400", "description": "status is open or closed."}]


def test_notes_and_plain_reads_are_unchanged(client, o311):
    case = case_in_state(o311, State.DISPATCHED)
    _xml, data = both(client, f"requests/{case.pk}", extensions="true")
    assert data[0]["status"] == "action_scheduled"
    assert {n["status"] for n in data[0]["notes"]} == {"open"}
    _xml, plain = both(client, f"requests/{case.pk}")
    assert plain[0]["status"] == "open" and "notes" not in plain[0]
