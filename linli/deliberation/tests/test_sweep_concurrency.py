"""Two sweeps at the same instant on PostgreSQL (real threads, each on its own
connection): every vote is closed once, reminded once and stands once; neither run
fails."""

import threading
from datetime import timedelta

import pytest

from linli.core.tests.threads import run_together
from linli.deliberation import services
from linli.deliberation.models import Vote, VoteEvent, VoteState
from linli.deliberation.services.sweep import votes_sweep
from linli.deliberation.tests.factories import dwellings, option, vote, voter
from linli.notifications.models import Notification

pytestmark = pytest.mark.postgres


def sweeper(now):
    def job(barrier: threading.Barrier) -> int:
        barrier.wait()
        return votes_sweep(now=now)
    return job


def test_two_sweeps_at_once_move_each_vote_once(transactional_db, world):
    homes = dwellings(world.entrance_a, 2)
    users = [voter(world.alice, d, f"w{i}") for i, d in enumerate(homes)]
    due = [vote(world, question=f"表决{i}", closes_in=timedelta(hours=2)) for i in range(3)]
    soon = vote(world, question="即将截止", closes_in=timedelta(hours=30))
    for v in due:
        services.ballot_cast(actor=users[0], vote=v, choices=[option(v).pk])
    now = due[0].closes_at + timedelta(hours=7)  # soon: 23 h before its close
    outcomes = run_together(sweeper(now), sweeper(now))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sum(value for _, value in outcomes) == 4  # three closes and one reminder
    for v in due:
        assert Vote.objects.get(pk=v.pk).state == VoteState.PUBLICITY
        assert VoteEvent.objects.filter(vote=v, action="close").count() == 1
    sent = Notification.objects.filter(source_key=f"deliberation_vote_reminder:{soon.pk}")
    assert sent.count() == 2
    ends = Vote.objects.get(pk=due[0].pk).publicity_ends_at
    assert ends is not None
    later = ends + timedelta(days=1)
    outcomes = run_together(sweeper(later), sweeper(later))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sum(value for _, value in outcomes) == 4  # three stand, "soon" closes
    assert all(VoteEvent.objects.filter(vote=v, action="stand").count() == 1 for v in due)
