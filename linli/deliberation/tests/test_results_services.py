"""Results through the real services: receipts, objections in the 公示 period (dismissed →
the result stands; upheld → void and the topic back on the agenda; after the period
refused), the rule in words, the published count and the vote's notifications."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.deliberation import selectors_results as results
from linli.deliberation import services
from linli.deliberation.models import (
    Objection,
    ObjectionState,
    Stance,
    TopicState,
    Vote,
    VoteEvent,
    VoteState,
)
from linli.deliberation.notify_votes import vote_event_notify
from linli.deliberation.tests.factories import dwellings, option, topic, vote, voter
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db
STANCES = (Stance.FOR, Stance.FOR, Stance.FOR, Stance.AGAINST)


def voting(world, stances=STANCES, prefix="h", **fields):
    """An open household vote of estate A with a ballot per stance (one household each)."""
    homes = dwellings(world.entrance_a, len(stances), prefix=prefix)
    users = [voter(world.alice, d, f"{prefix}{i}") for i, d in enumerate(homes)]
    v = vote(world, **fields)
    ballots = [services.ballot_cast(actor=u, vote=v, choices=[option(v, s).pk])
               for u, s in zip(users, stances, strict=True)]
    return v, users, ballots


def closed(world, stances=STANCES, prefix="h", **fields):
    v, users, ballots = voting(world, stances, prefix, **fields)
    return services.vote_close(v, now=timezone.now()), users, ballots


# --- receipts ----------------------------------------------------------------------------

def test_a_receipt_says_recorded_before_the_close_and_counted_after(world):
    v, _users, ballots = voting(world)
    before = results.receipt_check(v, ballots[0].receipt.lower())
    assert before.status == "recorded" and before.choices == []
    assert results.receipt_check(v, "ZZZZZZZZZZ").status == "unknown"
    v = services.vote_close(v, now=timezone.now())
    after = results.receipt_check(v, f" {ballots[3].receipt.lower()} ")
    assert after.status == "counted" and after.choices == ["反对"]
    other = vote(world, question="另一件事")
    assert results.receipt_check(other, ballots[0].receipt).status == "unknown"


def test_the_published_count_names_nobody_for_a_secret_vote(world):
    v, _users, ballots = closed(world)
    published = list(results.ballots_published(v))
    assert sorted(b.receipt for b in published) == sorted(b.receipt for b in ballots)
    assert all(b.elector_id is None for b in published)
    assert all(p.choices == [] for p in results.participants(v))
    assert len(results.participants(v)) == 4


def test_an_open_vote_lists_participants_with_their_choices(world):
    v, _users, _ballots = closed(world, secret=False)
    shown = results.participants(v)
    assert sorted(c for p in shown for c in p.choices) == sorted(["同意", "同意", "同意", "反对"])


def test_nothing_is_published_before_the_close(world):
    v, _users, _ballots = voting(world)
    assert not results.result_published(v)
    assert list(results.ballots_published(v)) == [] and results.participants(v) == []


# --- the rule in words -------------------------------------------------------------------------

def test_result_lines_explain_each_measure():
    v = Vote(question="q", multiple=False, result={
        "electorate": 37, "electorate_area": "0", "participants": 30,
        "participant_area": "0", "quorum_met": True, "carried": [1], "passed": True,
        "rule": {"quorum": "", "threshold": ">=2/3", "base": "electorate", "owners": False,
                 "participation": ""},
        "options": [{"id": 1, "label": "同意", "stance": "for", "count": 25, "area": "0"},
                    {"id": 2, "label": "反对", "stance": "against", "count": 5, "area": "0"}]})
    (line,) = results.result_lines(v)
    assert line.ok and "25" in line.text and "37" in line.text and "2/3" in line.text
    v.result["options"][0]["count"] = 24
    (short,) = results.result_lines(v)
    assert not short.ok and "24" in short.text and "25" in short.text


def test_result_lines_for_owners_show_headcount_and_area(world):
    homes = dwellings(world.entrance_a, 3, floor_area=Decimal("100.00"), prefix="O")
    users = [voter(world.alice, d, f"own{i}") for i, d in enumerate(homes)]
    from linli.deliberation.models import Electorate, Threshold
    v = vote(world, electorate=Electorate.OWNERS, threshold=Threshold.OWNERS)
    for user in users:
        services.ballot_cast(actor=user, vote=v, choices=[option(v).pk])
    v = services.vote_close(v, now=timezone.now())
    lines = results.result_lines(v)
    assert len(lines) == 4 and all(line.ok for line in lines)
    assert sum("300.00" in line.text for line in lines) == 2  # the area, twice


# --- objections ---------------------------------------------------------------------------------

def test_a_dismissed_objection_lets_the_result_stand_once_the_period_ends(
        world, django_capture_on_commit_callbacks):
    t = topic(world, state=TopicState.AGENDA)
    v, users, _ballots = closed(world, topic=t)
    with django_capture_on_commit_callbacks(execute=True):  # the organisers told after it
        objection = services.objection_raise(actor=users[3], vote=v, text="计票有误")
    told = Notification.objects.get(source_key=f"deliberation_objection:{objection.pk}")
    assert told.recipient == world.alice and "计票有误" not in told.body
    assert services.vote_stand(v, now=v.publicity_ends_at) is False  # an objection is open
    services.objection_answer(actor=world.alice, objection=objection, uphold=False,
                              answer="已复核，计票无误。", now=v.publicity_ends_at)
    v.refresh_from_db()
    t.refresh_from_db()
    assert v.state == VoteState.STANDS and t.state == TopicState.ADOPTED
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED and objection.answered_by == world.alice


def test_dismissed_during_the_period_waits_for_its_end(world):
    v, _users, _ballots = closed(world)
    objection = services.objection_raise(actor=world.rita, vote=v, text="程序有问题")
    services.objection_answer(actor=world.alice, objection=objection, uphold=False,
                              answer="程序合规。")
    v.refresh_from_db()
    assert v.state == VoteState.PUBLICITY


def test_an_upheld_objection_voids_the_vote_and_puts_the_topic_back(world):
    t = topic(world, state=TopicState.AGENDA)
    v, users, _ballots = closed(world, topic=t)
    objection = services.objection_raise(actor=users[0], vote=v, text="有户未收到通知")
    services.objection_answer(actor=world.alice, objection=objection, uphold=True,
                              answer="属实，重新表决。")
    v.refresh_from_db()
    t.refresh_from_db()
    assert v.state == VoteState.VOID and v.ended_at and t.state == TopicState.AGENDA
    assert VoteEvent.objects.filter(vote=v, action="void").exists()
    with pytest.raises(ValidationFailed):
        services.objection_raise(actor=users[1], vote=v, text="再提")


def test_objections_outside_the_period_or_by_outsiders_are_refused(world):
    v, users, _ballots = voting(world)
    with pytest.raises(ValidationFailed) as early:
        services.objection_raise(actor=users[0], vote=v, text="太早")
    assert early.value.code == "not_in_publicity"
    v = services.vote_close(v, now=timezone.now())
    assert v.publicity_ends_at
    with pytest.raises(ValidationFailed) as late:
        services.objection_raise(actor=users[0], vote=v, text="太晚",
                                 now=v.publicity_ends_at + timedelta(minutes=1))
    assert late.value.code == "publicity_ended"
    with pytest.raises(PermissionDenied):
        services.objection_raise(actor=world.bob, vote=v, text="外人")
    with pytest.raises(ValidationFailed) as empty:
        services.objection_raise(actor=users[0], vote=v, text="   ")
    assert empty.value.code == "text_required"
    with pytest.raises(ValidationFailed):
        services.objection_raise(actor=users[0], vote=v, text="长" * 2001)
    assert not Objection.objects.exists()


def test_only_organisers_answer_and_only_once(world):
    v, users, _ballots = closed(world)
    objection = services.objection_raise(actor=users[0], vote=v, text="有疑问")
    for someone in (world.gina, world.rita, users[1]):
        with pytest.raises(PermissionDenied):
            services.objection_answer(actor=someone, objection=objection, uphold=True,
                                      answer="x")
    with pytest.raises(ValidationFailed):
        services.objection_answer(actor=world.alice, objection=objection, uphold=False,
                                  answer="")
    services.objection_answer(actor=world.leo, objection=objection, uphold=False, answer="否")
    with pytest.raises(ApplicationError) as twice:
        services.objection_answer(actor=world.alice, objection=objection, uphold=True,
                                  answer="是")
    assert twice.value.code == "already_answered"
    v.refresh_from_db()
    assert v.state == VoteState.PUBLICITY


# --- notifications --------------------------------------------------------------------------------

def _sent(v, action):
    event = VoteEvent.objects.filter(vote=v, action=action).latest("pk")
    vote_event_notify(event.pk)
    vote_event_notify(event.pk)  # a retried task notifies nobody twice
    return Notification.objects.filter(source_key=f"deliberation_vote_event:{event.pk}")


def test_the_electors_and_organisers_hear_of_the_vote_without_choices(world):
    v, users, _ballots = voting(world, stances=(Stance.FOR, Stance.AGAINST))
    opened = _sent(v, "open")
    assert {n.recipient_id for n in opened} == {u.pk for u in users}
    assert opened.count() == 2 and "是否同意加装电梯" in opened[0].title
    v = services.vote_close(v, now=timezone.now())
    published = _sent(v, "close")
    assert {n.recipient_id for n in published} == {*(u.pk for u in users), world.alice.pk}
    assert all("同意" not in n.body.replace("是否同意", "") for n in published)
    services.vote_stand(v, now=v.publicity_ends_at)
    assert {n.recipient_id for n in _sent(v, "stand")} == {u.pk for u in users}


def test_a_household_is_told_through_its_adult_members(world):
    home = dwellings(world.entrance_a, 1, prefix="F")[0]
    parent = voter(world.alice, home, "parent")
    spouse = voter(world.alice, home, "spouse", relation="spouse")
    from linli.deliberation.tests.factories import CHILD
    voter(world.alice, home, "kid", born=CHILD, relation="child")
    v = vote(world)
    assert {u.pk for u in results.elector_users(v)} == {parent.pk, spouse.pk}
