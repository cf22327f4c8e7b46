"""Two staff opening the same month at once, on PostgreSQL with real threads: one rating,
one default sheet, the other a clear conflict."""

import threading

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.community import services
from linli.community.models import Criterion, Rating
from linli.core.tests.threads import run_together
from linli.orgs.models import Area

pytestmark = pytest.mark.postgres


def opener(user_id: int, community_id: int):
    def job(barrier: threading.Barrier) -> int:
        actor = User.objects.get(pk=user_id)
        community = Area.objects.get(pk=community_id)
        barrier.wait()
        return services.rating_create(actor=actor, community=community,
                                      month=timezone.localdate().replace(day=1)).pk
    return job


def test_the_same_month_opened_twice_at_once_is_one_rating(transactional_db, world):
    outcomes = run_together(opener(world.alice.pk, world.community_a.pk),
                            opener(world.leo.pk, world.community_a.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert refusal.code == "rating_exists"
    assert Rating.objects.count() == 1
    assert Criterion.objects.filter(community=world.community_a).count() == 3
