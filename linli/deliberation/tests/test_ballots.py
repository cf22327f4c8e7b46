"""Casting, recording and counting ballots through the real services (SQLite and
PostgreSQL): one ballot per elector, a frozen electorate, hidden results, secret ballots."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core.errors import ApplicationError, ValidationFailed
from linli.deliberation import services
from linli.deliberation.electorate import elector_for
from linli.deliberation.models import (
    Ballot,
    Channel,
    Electorate,
    Member,
    Participation,
    Stance,
    Threshold,
    TopicState,
    VoteState,
)
from linli.deliberation.tests.factories import (
    CHILD,
    body,
    dwellings,
    option,
    person,
    topic,
    vote,
    voter,
)
from linli.deliberation.workflow import VOTES


@pytest.fixture
def homes(world):
    """Four dwellings of building A with a household each: rita's own 101 aside."""
    return dwellings(world.entrance_a, 4)


def household_vote(world, homes, **fields):
    users = [voter(world.alice, d, f"h{i}") for i, d in enumerate(homes)]
    return vote(world, **fields), users


def test_one_ballot_per_household_online(world, homes):
    v, (hu, *_rest) = household_vote(world, homes)
    spouse = voter(world.alice, homes[0], "h0b", relation="spouse")
    ballot = services.ballot_cast(actor=hu, vote=v, choices=[option(v).pk])
    assert len(ballot.receipt) == 10 and ballot.elector is None  # secret by default
    with pytest.raises(ApplicationError) as caught:
        services.ballot_cast(actor=spouse, vote=v, choices=[option(v, Stance.AGAINST).pk])
    assert caught.value.code == "already_voted" and caught.value.status == 409
    assert Ballot.objects.filter(vote=v).count() == 1


def test_a_paper_ballot_for_a_household_that_voted_online_is_refused(world, homes):
    v, (hu, *_rest) = household_vote(world, homes)
    services.ballot_cast(actor=hu, vote=v, choices=[option(v).pk])
    elector = elector_for(v, hu)
    assert elector is not None
    with pytest.raises(ApplicationError) as caught:
        services.ballot_record_paper(actor=world.gina, vote=v, elector=elector,
                                     choices=[option(v, Stance.AGAINST).pk])
    assert caught.value.code == "already_voted"
    assert "online" in str(caught.value) or "网上" in str(caught.value)
    assert Ballot.objects.filter(vote=v).count() == 1


def test_outside_the_electorate_after_the_close_and_options_not_offered(world, homes):
    v, (hu, *_rest) = household_vote(world, homes)
    outsider = voter(world.bob, world.dwelling_b, "outsider")
    with pytest.raises(ApplicationError) as caught:
        services.ballot_cast(actor=outsider, vote=v, choices=[option(v).pk])
    assert caught.value.status == 403
    child = voter(world.alice, homes[1], "kid", born=CHILD, relation="child")
    with pytest.raises(ApplicationError):
        services.ballot_cast(actor=child, vote=v, choices=[option(v).pk])
    other = vote(world, question="另一件事")
    for choices in ([], [option(other).pk], ["x"], [option(v).pk, option(v).pk],
                    [option(v).pk, option(v, Stance.AGAINST).pk]):
        with pytest.raises(ValidationFailed):
            services.ballot_cast(actor=hu, vote=v, choices=choices)
    later = timezone.now() + timedelta(days=8)
    with pytest.raises(ValidationFailed) as closed:
        services.ballot_cast(actor=hu, vote=v, choices=[option(v).pk], now=later)
    assert closed.value.code == "vote_closed"
    assert not Participation.objects.filter(vote=v).exists()


def test_the_electorate_is_frozen_when_the_vote_opens(world, homes):
    residents = [person(world.alice, d, f"委员{i}") for i, d in enumerate(homes)]
    council = body(world, members=residents[:3])
    v = vote(world, area=world.community_a, electorate=Electorate.MEMBERS, body=council,
             threshold=Threshold.TWO_THIRDS_ELECTORATE)
    assert v.electorate_count == 3
    Member.objects.create(body=council, resident=residents[3], name="新委员",
                          joined_on=timezone.localdate())
    v.refresh_from_db()
    assert v.electors.count() == 3 and v.electorate_count == 3


def test_an_empty_electorate_or_a_bad_share_cannot_open(world, homes):
    empty = vote(world, area=world.estate_b, opened=False, actor=world.bob)
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        VOTES.transition(actor=world.bob, obj=empty, action="open")
    assert caught.value.code == "empty_electorate"
    voter(world.alice, homes[0], "h0")
    bad = vote(world, opened=False, threshold=Threshold.CUSTOM, custom_share=">=4/3")
    with pytest.raises(ValidationFailed) as share, transaction.atomic():
        VOTES.transition(actor=world.alice, obj=bad, action="open")
    assert share.value.code == "bad_share"
    bad.refresh_from_db()
    assert bad.state == VoteState.DRAFT and not bad.electors.exists()


def test_owners_need_floor_areas(world):
    homes = dwellings(world.entrance_a, 2, floor_area=None)
    voter(world.alice, homes[0], "o1")
    v = vote(world, opened=False, electorate=Electorate.OWNERS, threshold=Threshold.OWNERS)
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        VOTES.transition(actor=world.alice, obj=v, action="open")
    assert caught.value.code == "floor_area_missing"


def test_results_are_counted_only_at_the_close_and_secret_ballots_keep_no_link(world, homes):
    t = topic(world, state=TopicState.AGENDA)
    v, users = household_vote(world, homes, topic=t)
    t.refresh_from_db()
    assert t.state == TopicState.VOTING
    for user, stance in zip(users, [Stance.FOR, Stance.FOR, Stance.FOR, Stance.AGAINST],
                            strict=True):
        services.ballot_cast(actor=user, vote=v, choices=[option(v, stance).pk])
    v.refresh_from_db()
    assert v.result == {} and v.passed is None
    assert not Ballot.objects.filter(vote=v, elector__isnull=False).exists()
    closed = services.vote_close(v, now=v.closes_at)
    assert closed.state == VoteState.PUBLICITY and closed.passed is True
    assert closed.result["participants"] == 4 and closed.result["electorate"] == 4
    counts = {o["stance"]: o["count"] for o in closed.result["options"]}
    assert counts == {"for": 3, "against": 1, "abstain": 0}
    assert closed.publicity_ends_at and closed.closed_at
    assert closed.publicity_ends_at > closed.closed_at
    assert services.vote_stand(closed, now=closed.closed_at) is False
    assert services.vote_stand(closed, now=closed.publicity_ends_at) is True
    t.refresh_from_db()
    assert t.state == TopicState.ADOPTED


def test_open_ballots_can_be_changed_until_the_close(world, homes):
    v, (hu, *_rest) = household_vote(world, homes, secret=False, changeable=True)
    ballot = services.ballot_cast(actor=hu, vote=v, choices=[option(v).pk])
    assert ballot.elector is not None
    services.ballot_change(actor=hu, vote=v, choices=[option(v, Stance.AGAINST).pk])
    ballot.refresh_from_db()
    assert ballot.choices == [option(v, Stance.AGAINST).pk]


def test_a_secret_ballot_is_changed_only_with_its_receipt(world, homes):
    v, (hu, *_rest) = household_vote(world, homes, changeable=True)
    ballot = services.ballot_cast(actor=hu, vote=v, choices=[option(v).pk])
    with pytest.raises(ApplicationError):
        services.ballot_change(actor=hu, vote=v, choices=[option(v, Stance.AGAINST).pk],
                               receipt="WRONG12345")
    services.ballot_change(actor=hu, vote=v, choices=[option(v, Stance.AGAINST).pk],
                           receipt=ballot.receipt.lower())
    ballot.refresh_from_db()
    assert ballot.choices == [option(v, Stance.AGAINST).pk]


def test_owners_vote_weighs_floor_area(world):
    big = dwellings(world.entrance_a, 1, floor_area=Decimal("300.00"), prefix="B")
    small = dwellings(world.entrance_a, 3, floor_area=Decimal("100.00"), prefix="S")
    users = [voter(world.alice, d, f"own{i}") for i, d in enumerate(big + small)]
    voter(world.alice, small[0], "tenant", tenure="tenant", relation="other")
    v = vote(world, electorate=Electorate.OWNERS, threshold=Threshold.OWNERS)
    assert v.electorate_count == 4 and v.electorate_area == Decimal("600.00")
    # The big flat and one small say yes: 2 of 3 participants, 400 of 500 m².
    for user, stance in zip(users[:3], [Stance.FOR, Stance.FOR, Stance.AGAINST], strict=True):
        services.ballot_cast(actor=user, vote=v, choices=[option(v, stance).pk])
    closed = services.vote_close(v, now=v.closes_at)
    assert closed.result["participant_area"] == "500.00"
    # participation: 3 of 4 owners (≥ 2/3) and 500 of 600 m² (≥ 2/3); yes: 2 of 3 and
    # 400 of 500 m² — more than half of both.
    assert closed.passed is True


def test_a_cancelled_vote_puts_its_topic_back_on_the_agenda(world, homes):
    t = topic(world, state=TopicState.AGENDA)
    v, _users = household_vote(world, homes, topic=t)
    with transaction.atomic():
        VOTES.transition(actor=world.alice, obj=v, action="cancel", note="选项写错了")
    t.refresh_from_db()
    assert t.state == TopicState.AGENDA


def test_a_paper_ballot_records_who_entered_it(world, homes):
    residents = [person(world.alice, d, f"户主{i}") for i, d in enumerate(homes)]
    v = vote(world)
    elector = v.electors.get(household=residents[0].household)
    ballot = services.ballot_record_paper(actor=world.gina, vote=v, elector=elector,
                                          choices=[option(v).pk], channel=Channel.DOOR)
    done = Participation.objects.get(elector=elector)
    assert done.recorded_by == world.gina and done.channel == Channel.DOOR
    assert ballot.channel == Channel.DOOR
    with pytest.raises(ApplicationError):
        services.ballot_record_paper(actor=world.rita, vote=v, elector=v.electors.all()[1],
                                     choices=[option(v).pk])


def test_participation_cannot_be_written_twice_even_by_hand(world, homes):
    residents = [person(world.alice, d, f"户主{i}") for i, d in enumerate(homes)]
    v = vote(world)
    elector = v.electors.get(household=residents[0].household)
    now = timezone.now()
    Participation.objects.create(vote=v, elector=elector, channel=Channel.ONLINE, at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(vote=v, elector=elector, channel=Channel.PAPER, at=now)
