"""Supporters at the same instant, on PostgreSQL with real threads (each on its own
connection, released together by core/tests/threads.run_together): the count is exact and
the topic reaches the agenda exactly once."""

import threading

import pytest

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.deliberation import services
from linli.deliberation.models import Supporter, Topic, TopicEvent, TopicState
from linli.deliberation.tests import test_topics_kit as kit
from linli.deliberation.tests.factories import topic

pytestmark = pytest.mark.postgres


def supporter(user_id: int, topic_id: int):
    def job(barrier: threading.Barrier) -> int:
        actor = User.objects.get(pk=user_id)
        t = Topic.objects.get(pk=topic_id)
        barrier.wait()
        return services.topic_support(actor=actor, topic=t).supporter_count
    return job


def test_six_supporters_at_once_qualify_the_topic_once(transactional_db, world):
    users = kit.neighbours(world, 6)
    t = topic(world, supporters_needed=3)
    outcomes = run_together(*[supporter(u.pk, t.pk) for u in users])
    assert [kind for kind, _ in outcomes] == ["ok"] * 6, outcomes
    t.refresh_from_db()
    assert t.supporter_count == 6 == Supporter.objects.filter(topic=t).count()
    assert t.state == TopicState.AGENDA
    assert TopicEvent.objects.filter(topic=t, action="qualify").count() == 1


def test_one_resident_twice_at_once_supports_once(transactional_db, world):
    (fan,) = kit.neighbours(world, 1)
    t = topic(world, supporters_needed=1)
    outcomes = run_together(supporter(fan.pk, t.pk), supporter(fan.pk, t.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert refusal.code == "already_supported"
    t.refresh_from_db()
    assert t.supporter_count == 1 and t.state == TopicState.AGENDA
    assert TopicEvent.objects.filter(topic=t, action="qualify").count() == 1
