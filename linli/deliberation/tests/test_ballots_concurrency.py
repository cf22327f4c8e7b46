"""Ballots cast at the same instant, on PostgreSQL with real threads (each on its own
connection, released together by core/tests/threads.run_together; at most eight at once,
the connection pool's size): the tally is exact,
one household casts once, and the close counts every ballot that got in and no other."""

import threading

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.deliberation import services
from linli.deliberation.models import Ballot, Participation, Stance, Vote, VoteState
from linli.deliberation.tests.factories import dwellings, option, vote, voter

pytestmark = pytest.mark.postgres


def caster(user_id: int, vote_id: int, option_id: int):
    def job(barrier: threading.Barrier) -> str:
        actor = User.objects.get(pk=user_id)
        v = Vote.objects.get(pk=vote_id)
        barrier.wait()
        return services.ballot_cast(actor=actor, vote=v, choices=[option_id]).receipt
    return job


def closer(vote_id: int):
    def job(barrier: threading.Barrier) -> str:
        v = Vote.objects.get(pk=vote_id)
        barrier.wait()
        return services.vote_close(v, now=timezone.now()).state
    return job


def test_eight_households_at_once_are_all_counted(transactional_db, world):
    homes = dwellings(world.entrance_a, 8)
    users = [voter(world.alice, d, f"c{i}") for i, d in enumerate(homes)]
    v = vote(world)
    yes, no = option(v).pk, option(v, Stance.AGAINST).pk
    jobs = [caster(u.pk, v.pk, yes if i % 3 else no) for i, u in enumerate(users)]
    outcomes = run_together(*jobs)
    assert [kind for kind, _ in outcomes] == ["ok"] * 8, outcomes
    closed = services.vote_close(Vote.objects.get(pk=v.pk), now=timezone.now())
    counts = {o["stance"]: o["count"] for o in closed.result["options"]}
    assert counts == {"for": 5, "against": 3, "abstain": 0}
    assert closed.result["participants"] == 8 == Participation.objects.filter(vote=v).count()


def test_two_members_of_one_household_at_once_cast_one_ballot(transactional_db, world):
    home = dwellings(world.entrance_a, 1)[0]
    first = voter(world.alice, home, "mum")
    second = voter(world.alice, home, "dad", relation="spouse")
    v = vote(world)
    outcomes = run_together(caster(first.pk, v.pk, option(v).pk),
                            caster(second.pk, v.pk, option(v, Stance.AGAINST).pk))
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert refusal.code == "already_voted"
    assert Ballot.objects.filter(vote=v).count() == 1


def test_the_close_counts_exactly_the_ballots_that_got_in(transactional_db, world):
    homes = dwellings(world.entrance_a, 7)
    users = [voter(world.alice, d, f"r{i}") for i, d in enumerate(homes)]
    v = vote(world)
    jobs = [caster(u.pk, v.pk, option(v).pk) for u in users]
    outcomes = run_together(closer(v.pk), *jobs)
    assert outcomes[0] == ("ok", VoteState.PUBLICITY), outcomes[0]
    accepted = sum(1 for kind, _ in outcomes[1:] if kind == "ok")
    refused = [value for kind, value in outcomes[1:] if kind == "refused"]
    assert all(r.code == "vote_not_open" for r in refused), refused
    closed = Vote.objects.get(pk=v.pk)
    assert closed.result["participants"] == accepted == Ballot.objects.filter(vote=v).count()
