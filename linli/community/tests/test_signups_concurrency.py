"""Sign-ups at the same instant, on PostgreSQL with real threads (each on its own
connection; at most eight at once, the connection pool's size): never above capacity, the
rest wait, and a cancellation promotes exactly one."""

import threading

import pytest

from linli.accounts.models import User
from linli.community import services
from linli.community.models import Activity, SignUp
from linli.community.tests.factories import activity, homes, resident_user
from linli.core.tests.threads import run_together
from linli.people.models import Resident

pytestmark = pytest.mark.postgres


def signer(user_id: int, activity_id: int):
    def job(barrier: threading.Barrier) -> str:
        actor = User.objects.get(pk=user_id)
        act = Activity.objects.get(pk=activity_id)
        person = Resident.objects.get(user=actor)
        barrier.wait()
        return services.signup_create(actor=actor, activity=act, resident=person).state
    return job


def test_eight_at_once_for_five_places(transactional_db, world):
    users = [resident_user(world.alice, d, f"s{i}")
             for i, d in enumerate(homes(world.entrance_a, 8))]
    act = activity(world, capacity=5)
    outcomes = run_together(*[signer(u.pk, act.pk) for u in users])
    assert sorted(value for _kind, value in outcomes) == ["confirmed"] * 5 + ["waiting"] * 3
    assert Activity.objects.get(pk=act.pk).taken == 5


def test_the_same_person_from_two_phones_at_once(transactional_db, world):
    user = resident_user(world.alice, world.dwelling_a, "twice")
    act = activity(world, capacity=5)
    outcomes = run_together(signer(user.pk, act.pk), signer(user.pk, act.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert SignUp.objects.count() == 1 and Activity.objects.get(pk=act.pk).taken == 1


def test_two_cancellations_at_once_promote_two_in_order(transactional_db, world):
    users = [resident_user(world.alice, d, f"c{i}")
             for i, d in enumerate(homes(world.entrance_a, 5))]
    act = activity(world, capacity=2)
    signups = [services.signup_create(actor=u, activity=act, resident=Resident.objects.get(
        user=u)) for u in users]

    def canceller(index: int):
        def job(barrier: threading.Barrier) -> str:
            actor = User.objects.get(pk=users[index].pk)
            row = SignUp.objects.get(pk=signups[index].pk)
            barrier.wait()
            return services.signup_cancel(actor=actor, signup=row).state
        return job

    outcomes = run_together(canceller(0), canceller(1))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    states = [SignUp.objects.get(pk=s.pk).state for s in signups]
    assert states == ["cancelled", "cancelled", "confirmed", "confirmed", "waiting"]
    assert Activity.objects.get(pk=act.pk).taken == 2
