"""Two people acting on one case at the same moment: exactly one wins, the other is told
there was a conflict, and the event log holds one entry.

The PostgreSQL tests run real threads, each on its own database connection, released at
the same instant by a barrier after each has loaded the case, so both start from the same
version. The SQLite test shows the same conditional-update rule in one thread with a stale
copy of the case.
"""

import threading
from decimal import Decimal
from typing import Any

import pytest

from linli.accounts.models import User
from linli.cases.models import Case, CaseEvent, Extension, IdempotencyKey, State
from linli.cases.services import case_report_outcome, case_transition, extension_request
from linli.cases.tests.walking import case_in_state, leak_category, more_actors, snapshot
from linli.core.errors import Conflict
from linli.core.tests.threads import Outcome, run_together
from linli.orgs.models import Unit


def mover(user_id: int, case_id: int, action: str, **data):
    def job(barrier: threading.Barrier):
        actor = User.objects.get(pk=user_id)
        case = Case.objects.get(pk=case_id)
        inputs: dict[str, Any] = {key: (Unit.objects.get(pk=value) if key == "unit" else value)
                  for key, value in data.items()}
        barrier.wait()
        return case_transition(actor=actor, case=case, action=action,
                               expected_version=case.version, **inputs)
    return job


def one_winner(outcomes: list[Outcome]) -> None:
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict), refusal
    assert refusal.code in ("conflict", "stale")


@pytest.fixture
def people(transactional_db, world):
    return more_actors(world)


# --- PostgreSQL: real concurrency --------------------------------------------------------

@pytest.mark.postgres
def test_two_dispatchers_accept_at_once_one_wins(people):
    world = people
    case = case_in_state(world, State.REPORTED)
    outcomes = run_together(mover(world.alice.pk, case.pk, "accept"),
                            mover(world.alma.pk, case.pk, "accept"))
    one_winner(outcomes)
    case.refresh_from_db()
    assert (case.state, case.version) == (State.ACCEPTED, 2)
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


@pytest.mark.postgres
def test_two_dispatchers_dispatch_at_once_one_wins(people):
    world = people
    other = Unit.objects.create(name="花楼维修", kind="repair")
    other.service_areas.set([world.community_a])
    case = case_in_state(world, State.ACCEPTED)
    outcomes = run_together(mover(world.alice.pk, case.pk, "dispatch", unit=world.unit_a.pk),
                            mover(world.alma.pk, case.pk, "dispatch", unit=other.pk))
    one_winner(outcomes)
    winner = next(value for kind, value in outcomes if kind == "ok")
    case.refresh_from_db()
    assert (case.state, case.version) == (State.DISPATCHED, 3)
    assert (case.unit_id, case.dispatched_by_id) == (winner.unit_id, winner.dispatched_by_id)
    events = CaseEvent.objects.filter(case=case, action="dispatch")
    assert [e.actor_id for e in events] == [case.dispatched_by_id]


@pytest.mark.postgres
def test_two_unit_members_acknowledge_at_once_one_wins(people):
    world = people
    case = case_in_state(world, State.DISPATCHED)
    outcomes = run_together(mover(world.uma.pk, case.pk, "acknowledge"),
                            mover(world.una.pk, case.pk, "acknowledge"))
    one_winner(outcomes)
    case.refresh_from_db()
    assert (case.state, case.version) == (State.IN_PROGRESS, 4)
    assert CaseEvent.objects.filter(case=case, action="acknowledge").count() == 1


@pytest.mark.postgres
def test_the_same_report_sent_twice_at_once_makes_one_case(people):
    world = people
    cat = leak_category(world)

    def send(barrier):
        rita = User.objects.get(pk=world.rita.pk)
        barrier.wait()
        return case_report_outcome(actor=rita, category=cat, area=world.dwelling_a,
                                   description="厨房水管漏水", idempotency_key="retry-1")

    outcomes = run_together(send, send)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert outcomes[0][1].case.pk == outcomes[1][1].case.pk
    # Whichever lost the race answers as a replay (the API's 200), not as a new case.
    assert sorted(reported.replayed for _, reported in outcomes) == [False, True]
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert CaseEvent.objects.filter(action="report").count() == 1


@pytest.mark.postgres
def test_two_members_asking_for_more_time_at_once_make_one_request(people):
    world = people
    case = case_in_state(world, State.IN_PROGRESS)

    def ask(user_id):
        def job(barrier):
            actor, fresh = User.objects.get(pk=user_id), Case.objects.get(pk=case.pk)
            barrier.wait()
            return extension_request(actor=actor, case=fresh, amount=Decimal(4),
                                     reason="缺配件")
        return job

    outcomes = run_together(ask(world.uma.pk), ask(world.una.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Extension.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, action="extension_request").count() == 1


# --- SQLite (and PostgreSQL): the rule in one thread ------------------------------------------

def test_a_move_from_a_stale_copy_is_a_conflict_and_writes_nothing(world):
    case = case_in_state(world, State.REPORTED)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    case_transition(actor=world.alice, case=theirs, action="accept")
    before = snapshot(case)
    # The copy still says "reported, version 1": the table allows the move, the row not.
    for version in (None, 1):
        with pytest.raises(Conflict) as conflict:
            case_transition(actor=world.alice, case=mine, action="reject", note="重复",
                            expected_version=version)
        assert conflict.value.code == "conflict"
        assert snapshot(case) == before


def test_a_fresh_read_with_the_old_version_is_stale_not_impossible(world):
    case = case_in_state(world, State.REPORTED)
    case_transition(actor=world.alice, case=Case.objects.get(pk=case.pk), action="accept")
    fresh = Case.objects.get(pk=case.pk)
    before = snapshot(case)
    with pytest.raises(Conflict) as conflict:
        case_transition(actor=world.alice, case=fresh, action="reject", note="重复",
                        expected_version=1)
    assert conflict.value.code == "stale"
    assert snapshot(case) == before
