"""The demo's deliberation: the parking topic through a council meeting and a two-thirds
vote to an adopted decision being carried out, an open household vote that `resident`
has not voted in yet, an adopted convention with a draft, and topics in the other states —
made by the real services, notifying nobody."""

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.deliberation.electorate import elector_for
from linli.deliberation.models import (
    Ballot,
    Convention,
    Meeting,
    MeetingState,
    Topic,
    TopicState,
    Vote,
    VoteState,
)
from linli.deliberation.services.meetings import meeting_quorate
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_deliberation_walks_a_topic_to_a_decision_and_leaves_a_vote_open(demo):
    from linli.library.models import Need

    # Topics raised from survey needs (the surveys' demo) are not this demo's.
    from_needs = Need.objects.filter(topic__isnull=False).values("topic_id")
    states = dict(Topic.objects.exclude(pk__in=from_needs).values_list("title", "state"))
    assert sorted(states.values()) == sorted([
        TopicState.ADOPTED, TopicState.VOTING, TopicState.RAISED, TopicState.REFERRED,
        TopicState.DECLINED, TopicState.RAISED])
    parking = Topic.objects.get(state=TopicState.ADOPTED)
    council_vote = parking.votes.get()
    assert council_vote.state == VoteState.STANDS and council_vote.passed is True
    assert council_vote.electorate_count == 37
    counts = {o["stance"]: o["count"] for o in council_vote.result["options"]}
    assert counts == {"for": 27, "against": 5, "abstain": 2}
    assert parking.progress.count() == 2
    assert parking.comments.filter(hidden_at__isnull=False).count() == 1
    meeting = Meeting.objects.get(state=MeetingState.HELD)
    assert meeting_quorate(meeting).met and meeting.attendance.count() == 31

    lift = Vote.objects.get(state=VoteState.OPEN)
    assert lift.closes_at > timezone.now() and lift.result == {}
    assert Ballot.objects.filter(vote=lift, elector__isnull=False).count() == 0  # secret
    resident = User.objects.get(username="resident")
    mine = elector_for(lift, resident)
    assert mine is not None and not hasattr(mine, "participation")

    convention = Convention.objects.get()
    assert convention.adopted is not None and convention.versions.count() == 2
    assert Topic.objects.get(state=TopicState.REFERRED).case_id is not None
    assert Meeting.objects.filter(state=MeetingState.PLANNED,
                                  starts_at__gt=timezone.now()).exists()
    assert not Notification.objects.filter(link__startswith="/deliberation/").exists()
