"""The votes' clock (`votes_sweep`): closes on time, twice is harmless, reminds once those
who have not voted, lets results stand after the 公示 period, not with an objection open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.models import Stance, TopicState, VoteEvent, VoteState
from linli.deliberation.services.sweep import votes_sweep
from linli.deliberation.tests.factories import dwellings, option, topic, vote, voter
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def electors(world):
    homes = dwellings(world.entrance_a, 3)
    return [voter(world.alice, d, f"s{i}") for i, d in enumerate(homes)]


def test_the_sweep_closes_on_time_and_twice_is_harmless(world, electors):
    v = vote(world, closes_in=timedelta(days=3))
    services.ballot_cast(actor=electors[0], vote=v, choices=[option(v).pk])
    assert votes_sweep(now=v.closes_at - timedelta(days=2)) == 0
    assert votes_sweep(now=v.closes_at) == 1
    v.refresh_from_db()
    assert v.state == VoteState.PUBLICITY and v.result["participants"] == 1
    assert v.passed is True and v.publicity_ends_at
    assert v.publicity_ends_at > v.closes_at
    assert votes_sweep(now=v.closes_at + timedelta(minutes=1)) == 0
    assert VoteEvent.objects.filter(vote=v, action="close").count() == 1


def test_closing_soon_is_sent_once_to_those_who_have_not_voted(world, electors):
    v = vote(world, closes_in=timedelta(days=3))
    services.ballot_cast(actor=electors[0], vote=v, choices=[option(v).pk])
    assert votes_sweep(now=v.closes_at - timedelta(hours=25)) == 0
    assert votes_sweep(now=v.closes_at - timedelta(hours=23)) == 1
    assert votes_sweep(now=v.closes_at - timedelta(hours=22)) == 0
    v.refresh_from_db()
    assert v.reminded_at is not None
    sent = Notification.objects.filter(source_key=f"deliberation_vote_reminder:{v.pk}")
    assert {n.recipient_id for n in sent} == {electors[1].pk, electors[2].pk}


def test_results_stand_when_the_period_ends_but_not_with_an_objection_open(world, electors):
    t = topic(world, state=TopicState.AGENDA)
    first = vote(world, topic=t, closes_in=timedelta(days=1))
    second = vote(world, question="是否同意更换物业？", closes_in=timedelta(days=1))
    for v in (first, second):
        services.ballot_cast(actor=electors[0], vote=v, choices=[option(v).pk])
        services.ballot_cast(actor=electors[1], vote=v, choices=[option(v, Stance.AGAINST).pk])
        services.ballot_cast(actor=electors[2], vote=v, choices=[option(v).pk])
    now = first.closes_at + timedelta(minutes=1)
    assert votes_sweep(now=now) == 2
    second.refresh_from_db()
    services.objection_raise(actor=electors[1], vote=second, text="有户未投票", now=now)
    first.refresh_from_db()
    assert first.publicity_ends_at and second.publicity_ends_at
    later = max(first.publicity_ends_at, second.publicity_ends_at)
    assert votes_sweep(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    t.refresh_from_db()
    assert first.state == VoteState.STANDS and t.state == TopicState.ADOPTED
    assert second.state == VoteState.PUBLICITY
    assert votes_sweep(now=later) == 0


def test_the_sweep_skips_a_vote_another_run_closed(world, electors):
    v = vote(world, closes_in=timedelta(hours=1))
    services.vote_close(v, now=timezone.now())
    assert votes_sweep(now=v.closes_at) == 0
    assert VoteEvent.objects.filter(vote=v, action="close").count() == 1
