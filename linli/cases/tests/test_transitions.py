"""The transition table, cell by cell: every (state, action) pair, every role.

Allowed moves go to the table's target, stamp the table's timestamp, bump the version by
one and write exactly one event; every other move is refused and changes nothing. The
rules of single actions (rating, reopening, merging, extensions ...) are in
test_transition_rules.py.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from linli.accounts import scope
from linli.accounts.models import Role
from linli.accounts.tests.factories import assign
from linli.cases.models import Case, Rating, State
from linli.cases.services import case_transition
from linli.cases.tests.walking import (
    case_in_state,
    more_actors,
    noticed_case,
    report,
    second_unit,
    snapshot,
)
from linli.cases.transitions import SUPERVISION_ACTIONS, TRANSITIONS, Who
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.workflow import SYSTEM

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai, a working day

RIGHT = {Who.DISPATCHER: "alice", Who.UNIT: "uma", Who.VERIFIER: "gina",
         Who.REPORTER: "rita", Who.SUPERVISOR: "alice"}
WRONG = {
    Who.DISPATCHER: ["rex", "rita", "bob", "uma", "gina", "leo", "ada", "nobody"],
    Who.UNIT: ["alice", "bob", "rita", "rex", "gina", "ulla", "leo", "ada", "nobody"],
    Who.VERIFIER: ["alice", "bob", "uma", "rex", "gwen", "leo", "ada", "nobody"],
    Who.REPORTER: ["rex", "alice", "bob", "gina", "uma", "leo", "ada", "nobody"],
    # leo, the street's leader, supervises too (test_supervising.py).
    Who.SUPERVISOR: ["rex", "rita", "bob", "uma", "ulla", "gina", "ada", "nobody"],
}
# The moves people take; the system's (a device's case routed, a repeat alarm) are
# tested with the IoT services that make them (linli/iot/tests).
MOVES = {action: move for action, move in TRANSITIONS.items() if move.who != SYSTEM}
ALLOWED = [(state, action) for state in State.values
           for action, move in MOVES.items() if state in move.sources]
# One state each action may start from, in the order of the State choices.
HOME = {action: next(s for s in State.values if s in move.sources)
        for action, move in MOVES.items()}
NOTED = [action for action, move in MOVES.items() if move.needs_note]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(world):
    return more_actors(world)


def inputs(world, action: str) -> dict:
    """What each action needs besides the note."""
    if action == "dispatch":
        return {"unit": world.unit_a}
    if action == "rate":
        return {"rating": Rating.SATISFIED}
    if action == "merge":
        return {"master": report(world, description="楼上也在漏水")}
    if action == "notice":
        return {"respond_by": timezone.now() + timedelta(days=1)}
    if action == "reassign":
        return {"unit": second_unit(world)}
    return {}


def case_for(world, state: str, action: str) -> Case:
    """A case in `state`; answering a notice needs a notice waiting, and supervising a case
    not yet accepted needs its acceptance overdue (reported a week ago)."""
    if action == "answer_notice":
        return noticed_case(world, state)
    if action in SUPERVISION_ACTIONS and state == State.REPORTED:
        with time_machine.travel(timezone.now() - timedelta(days=7), tick=False):
            return case_in_state(world, state)
    return case_in_state(world, state)


def at_home(world, action: str) -> Case:
    """A case where `action` is allowed; reopening also needs an unsatisfied rating."""
    case = case_for(world, HOME[action], action)
    if action == "reopen":
        case = case_transition(actor=world.rita, case=case, action="rate",
                               rating=Rating.UNSATISFIED)
    return case


def right_actor(world, case: Case, who: str):
    """The person the table names; nobody is a case's unit member before it has a unit."""
    if who == Who.UNIT and case.unit_id is None:
        return None
    return getattr(world, RIGHT[who])


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_an_allowed_action_moves_the_case_as_the_table_says(people, clock, state, action):
    world, move = people, TRANSITIONS[action]
    case = case_for(world, state, action)
    if action == "reopen":
        case = case_transition(actor=world.rita, case=case, action="rate",
                               rating=Rating.UNSATISFIED)
    version, events = case.version, case.events.count()
    clock.shift(timedelta(minutes=10))
    now = timezone.now()
    note = "现场已处理" if move.needs_note else ""
    actor = right_actor(world, case, move.who)

    after = case_transition(actor=actor, case=case, action=action, note=note,
                            expected_version=version, **inputs(world, action))

    assert after.state == (move.target or state)
    assert after.version == version + 1
    if move.stamp:
        assert getattr(after, move.stamp) == now
    assert after.events.count() == events + 1
    event = after.events.latest("id")
    assert (event.action, event.from_state, event.to_state) == (
        action, state, move.target or state)
    assert (event.actor, event.at, event.note) == (actor, now, note)


@pytest.mark.parametrize("state", State.values)
def test_actions_the_table_does_not_allow_are_refused_and_change_nothing(people, clock,
                                                                         state):
    world = people
    case = case_in_state(world, state)
    refused = [a for a, move in MOVES.items() if state not in move.sources]
    data = {action: inputs(world, action) for action in refused}
    before = snapshot(case)
    for action in refused:
        actor = right_actor(world, case, TRANSITIONS[action].who)
        if actor is None:
            # Unit actions on a case no unit holds: there is no right actor, and whoever
            # tries is refused for their role before the state is even looked at.
            with pytest.raises(PermissionDenied):
                case_transition(actor=world.uma, case=case, action=action, note="说明",
                                **data[action])
            continue
        with pytest.raises(ValidationFailed) as refusal:
            case_transition(actor=actor, case=case, action=action, note="说明",
                            expected_version=case.version, **data[action])
        assert refusal.value.code == "transition_not_allowed", action
        assert snapshot(case) == before, action
    assert snapshot(case) == before


def test_an_impossible_move_says_why_in_words(world, clock):
    case = case_in_state(world, State.REPORTED)
    with translation.override("en"), pytest.raises(ValidationFailed) as refusal:
        case_transition(actor=world.alice, case=case, action="close")
    assert refusal.value.message == ("This case is reported; that action is not possible "
                                     "now.")


@pytest.mark.parametrize("action", list(MOVES))
def test_wrong_roles_are_denied_and_change_nothing(people, clock, action):
    world, move = people, TRANSITIONS[action]
    case = at_home(world, action)
    data = inputs(world, action)
    before = snapshot(case)
    for name in WRONG[move.who]:
        with pytest.raises(PermissionDenied):
            case_transition(actor=getattr(world, name), case=case, action=action,
                            note="说明", expected_version=case.version, **data)
        assert snapshot(case) == before, name
    with pytest.raises(PermissionDenied):
        case_transition(actor=AnonymousUser(), case=case, action=action, note="说明", **data)
    assert snapshot(case) == before
    # The refusals were about the role: the right person may.
    version = case.version
    after = case_transition(actor=right_actor(world, case, move.who), case=case,
                            action=action, note="说明", **data)
    assert after.version == version + 1


@pytest.mark.parametrize("action", ["verify", "fail"])
def test_whoever_dispatched_may_not_verify_even_as_the_grid_worker(people, clock, action):
    world = people
    assign(world.alice, Role.GRID_WORKER, world.grid_a1)
    scope.forget(world.alice)
    mine = case_in_state(world, State.RESOLVED)
    before = snapshot(mine)
    with pytest.raises(PermissionDenied):
        case_transition(actor=world.alice, case=mine, action=action, note="核查")
    assert snapshot(mine) == before
    # A case her colleague dispatched she verifies as the grid worker.
    theirs = case_in_state(world, State.RESOLVED, dispatcher=world.alma)
    after = case_transition(actor=world.alice, case=theirs, action=action, note="核查")
    assert after.state == TRANSITIONS[action].target


def test_the_reporter_may_verify_their_own_case(world, clock):
    case = case_in_state(world, State.RESOLVED)
    after = case_transition(actor=world.rita, case=case, action="verify")
    assert after.state == State.VERIFIED


@pytest.mark.parametrize("action", NOTED)
@pytest.mark.parametrize("note", ["", "  \n "])
def test_a_note_is_required_where_the_table_says(people, clock, action, note):
    world = people
    case = at_home(world, action)
    data = inputs(world, action)
    before = snapshot(case)
    actor = right_actor(world, case, TRANSITIONS[action].who)
    with pytest.raises(ValidationFailed) as refusal:
        case_transition(actor=actor, case=case, action=action, note=note, **data)
    assert refusal.value.code == "note_required"
    assert snapshot(case) == before


def test_a_note_longer_than_2000_characters_is_refused(world, clock):
    case = case_in_state(world, State.REPORTED)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refusal:
        case_transition(actor=world.alice, case=case, action="reject", note="长" * 2001)
    assert refusal.value.code == "note_too_long"
    assert snapshot(case) == before


@pytest.mark.parametrize("action", list(MOVES))
def test_a_stale_version_is_a_conflict_and_changes_nothing(people, clock, action):
    world = people
    case = at_home(world, action)
    data = inputs(world, action)
    before = snapshot(case)
    actor = right_actor(world, case, TRANSITIONS[action].who)
    for version in (case.version - 1, case.version + 1):
        with pytest.raises(Conflict) as conflict:
            case_transition(actor=actor, case=case, action=action, note="说明",
                            expected_version=version, **data)
        assert conflict.value.code == "stale"
        assert snapshot(case) == before


def test_every_state_is_reachable_and_every_action_appears_in_the_table():
    targets = {move.target for move in TRANSITIONS.values()} - {None}
    assert targets | {State.REPORTED} == set(State.values)
    assert all(move.sources <= set(State.values) for move in TRANSITIONS.values())


@pytest.mark.parametrize("action", [a for a, m in TRANSITIONS.items() if m.who == SYSTEM])
def test_the_systems_moves_are_refused_to_everyone(people, action):
    world = people
    case = report(world)
    for name in ("alice", "uma", "leo", "ada"):
        with pytest.raises(PermissionDenied):
            case_transition(actor=getattr(world, name), case=case, action=action)
