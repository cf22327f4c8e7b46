"""Every grade rule (三色预警) through registration: thresholds, violence, petition risk, a
repeat between the same parties within 90 days and a vulnerable party (care tag) each
raising one level, never past red; the rules are data; every grade change is an event."""

from datetime import timedelta

import pytest

from linli.disputes import services
from linli.disputes.models import Event, Grade, GradeRule
from linli.disputes.services import PartyInput
from linli.disputes.tests.factories import dispute, outsiders
from linli.people.tests.factories import cared_for, resident

pytestmark = pytest.mark.django_db


def vulnerable(world):
    person = resident(world.alice, world.dwelling_a, name="刘桂芬")
    cared_for(world.alice, person, world.gina)
    return person


def test_a_vulnerable_party_raises_one_level(world):
    person = vulnerable(world)
    d = dispute(world, parties=[PartyInput(resident_id=person.pk), *outsiders("马强")[:1]])
    assert d.grade == Grade.YELLOW and "vulnerable" in d.grade_reasons
    assert d.parties.get(resident=person).is_vulnerable


def test_a_vulnerable_party_raises_yellow_to_red(world):
    person = vulnerable(world)
    d = dispute(world, people_involved=6,
                parties=[PartyInput(resident_id=person.pk), *outsiders("马强")[:1]])
    assert d.grade == Grade.RED


def test_a_repeat_raises_yellow_to_red_and_red_stays_red(world):
    first = dispute(world, people_involved=6)
    again = dispute(world, people_involved=6, now=first.registered_at + timedelta(days=89))
    assert again.grade == Grade.RED and "repeat_within_90" in again.grade_reasons
    red = dispute(world, violence_threat=True, now=first.registered_at + timedelta(days=1))
    assert red.grade == Grade.RED


def test_repeat_and_vulnerable_stack(world):
    person = vulnerable(world)
    parties = [PartyInput(resident_id=person.pk), *outsiders("马强")[:1]]
    first = dispute(world, parties=parties)
    again = dispute(world, parties=parties, now=first.registered_at + timedelta(days=10))
    assert (first.grade, again.grade) == (Grade.YELLOW, Grade.RED)


def test_other_parties_are_no_repeat(world):
    first = dispute(world)
    other = dispute(world, parties=outsiders("郑一", "钱二"),
                    now=first.registered_at + timedelta(days=5))
    assert other.grade == Grade.GREEN


def test_rules_are_data(world):
    GradeRule.objects.filter(condition="people_at_least", outcome="yellow").update(threshold=3)
    assert dispute(world, people_involved=3).grade == Grade.YELLOW
    GradeRule.objects.filter(condition="vulnerable").update(is_active=False)
    person = vulnerable(world)
    assert dispute(world, parties=[PartyInput(resident_id=person.pk)]).grade == Grade.GREEN


def test_every_grade_change_is_an_event(world):
    d = dispute(world)
    services.dispute_regrade(actor=world.alice, dispute=d, grade=Grade.YELLOW, note="人数增加")
    services.dispute_regrade(actor=world.alice, dispute=d, grade=Grade.GREEN, note="已缓和")
    grades = [(e.action, e.data.get("grade") or e.data.get("to"))
              for e in Event.objects.filter(dispute=d).order_by("id")]
    assert grades == [("register", "green"), ("regrade", "yellow"), ("regrade", "green")]


def test_a_rule_needs_a_threshold_exactly_where_it_counts():
    from django.core.exceptions import ValidationError

    for rule in (GradeRule(condition="people_at_least", outcome="yellow"),
                 GradeRule(condition="violence", threshold=3, outcome="red")):
        with pytest.raises(ValidationError):
            rule.clean()
    GradeRule(condition="repeat_within", threshold=90, outcome="raise").clean()


def test_a_frequent_party_finds_the_latest_dispute_with_both(world):
    """One party in many earlier disputes with others: the repeat is counted from the last
    dispute between both, and the lookup reads the same few statements however many
    disputes the frequent party had (bench/disputes.py: it used to load each as rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from linli.disputes.grading import last_between, party_keys

    now = timezone.now()
    both = dispute(world, parties=outsiders("王大伟", "李小红"), now=now - timedelta(days=60))
    for i, other in enumerate(["赵六", "钱七", "孙八"]):
        dispute(world, parties=outsiders("王大伟", other), now=now - timedelta(days=10 - i))
    keys = party_keys(both.parties.all())
    with CaptureQueriesContext(connection) as queries:
        assert last_between(keys, before=now) == both
    assert len(queries) == 3
    again = dispute(world, parties=outsiders("王大伟", "李小红"), now=now)
    assert "repeat_within_90" in again.grade_reasons
    assert dispute(world, parties=outsiders("王大伟", "周九"), now=now).grade == Grade.GREEN
