"""Closing a vote: the count, the result by its rule, and the 公示 period that follows.

Nothing is counted before the close. `vote_close` takes the vote row (the kit's claim, an
UPDATE that waits for every cast in flight), then counts the ballots and writes the result;
`vote_stand` lets a result stand once its period has ended with no objection open or upheld.
The sweep (`tasks.votes_sweep`) calls both on time; each is safe to run twice.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linli.core.workcalendar import deadline
from linli.core.workflow import system_move
from linli.deliberation.models import (
    Ballot,
    Electorate,
    Matter,
    ObjectionState,
    Rules,
    Stance,
    Threshold,
    Topic,
    TopicState,
    Vote,
    VoteState,
)
from linli.deliberation.rules import MAJORITY, TWO_THIRDS, Rule, Share, Tally, outcome
from linli.deliberation.services.topics import topic_adopted
from linli.deliberation.workflow import VOTES


def community_rules(vote_or_area) -> Rules:
    """The community's rules, or the defaults when it has set none."""
    area = getattr(vote_or_area, "area", vote_or_area)
    community = area.ancestor_of_kind("community")
    found = Rules.objects.filter(community=community).first() if community else None
    return found or Rules()


def rule_of(vote: Vote) -> Rule:
    quorum = Share.parse(vote.quorum) if vote.quorum else None
    if vote.threshold == Threshold.OWNERS:
        rules = community_rules(vote)
        share = rules.owners_major if vote.matter == Matter.MAJOR else rules.owners_ordinary
        return Rule(quorum=None, threshold=Share.parse(share), base="cast", owners=True,
                    participation=Share.parse(rules.owners_participation))
    if vote.threshold == Threshold.CUSTOM:
        return Rule(quorum, Share.parse(vote.custom_share), vote.custom_base)
    if vote.threshold == Threshold.TWO_THIRDS_CAST:
        return Rule(quorum, TWO_THIRDS, "cast")
    if vote.threshold == Threshold.TWO_THIRDS_ELECTORATE:
        return Rule(quorum, TWO_THIRDS, "electorate")
    return Rule(quorum, MAJORITY, "cast")


def tally_of(vote: Vote) -> Tally:
    counts: dict[int, list] = defaultdict(lambda: [0, Decimal(0)])
    participants, area = 0, Decimal(0)
    for choices, weight in Ballot.objects.filter(vote=vote).values_list("choices", "weight"):
        participants += 1
        area += weight
        for option_id in choices:
            counts[option_id][0] += 1
            counts[option_id][1] += weight
    return Tally(electorate=vote.electorate_count, electorate_area=vote.electorate_area,
                 participants=participants, participant_area=area,
                 options={k: (v[0], v[1]) for k, v in counts.items()})


def deciding_options(vote: Vote) -> list[int]:
    stance = Stance.CHOICE if vote.multiple else Stance.FOR
    return list(vote.options.filter(stance=stance).values_list("pk", flat=True))


def result_of(vote: Vote) -> dict:
    rule, tally = rule_of(vote), tally_of(vote)
    decided = outcome(rule, tally, deciding_options(vote))
    return {
        "electorate": tally.electorate, "electorate_area": str(tally.electorate_area),
        "participants": tally.participants, "participant_area": str(tally.participant_area),
        "options": [{"id": o.pk, "label": o.label, "stance": o.stance,
                     "count": tally.options.get(o.pk, (0, 0))[0],
                     "area": str(tally.options.get(o.pk, (0, Decimal(0)))[1])}
                    for o in vote.options.all()],
        "rule": {"quorum": str(rule.quorum or ""), "threshold": str(rule.threshold),
                 "base": rule.base, "owners": rule.owners,
                 "participation": str(rule.participation or "")},
        **decided,
    }


@transaction.atomic
def vote_close(vote: Vote, now=None) -> Vote:
    """Count and publish. The claim's UPDATE comes first: it waits for casts in flight, and
    casts that come after it find the vote closed."""
    now = now or timezone.now()
    VOTES.system_move(vote, "close", now)
    vote.refresh_from_db()
    result = result_of(vote)
    days = vote.publicity_days
    ends = deadline(now, Decimal(days), "work_days") if days else now
    Vote.objects.filter(pk=vote.pk).update(result=result, passed=result["passed"],
                                           publicity_ends_at=ends)
    vote.refresh_from_db()
    return vote


def _decide_topic(vote: Vote, now) -> None:
    topic: Topic | None = vote.topic
    if topic is not None and topic.state == TopicState.VOTING:
        system_move(topic, "adopt" if vote.passed else "reject", now, data={"vote": vote.pk})
        if vote.passed:
            topic.refresh_from_db()
            topic_adopted(topic, now)  # points for whoever raised it, by the earning rules


@transaction.atomic
def vote_stand(vote: Vote, now=None) -> bool:
    """The result stands when the period has ended and no objection is open or upheld.
    Returns False (nothing done) otherwise."""
    now = now or timezone.now()
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != VoteState.PUBLICITY or vote.publicity_ends_at is None:
        return False
    if now < vote.publicity_ends_at or vote.objections.exclude(
            state=ObjectionState.DISMISSED).exists():
        return False
    VOTES.system_move(vote, "stand", now)
    vote.refresh_from_db()
    _decide_topic(vote, now)
    _after_stand(vote, now)
    return True


def _after_stand(vote: Vote, now) -> None:
    """A convention version adopted by the vote comes into force (conventions service)."""
    version = vote.convention
    if version is not None and vote.passed:
        from linli.deliberation.services.conventions import version_adopted

        version_adopted(version, now)


__all__ = ["Electorate", "community_rules", "result_of", "rule_of", "vote_close",
           "vote_stand"]
