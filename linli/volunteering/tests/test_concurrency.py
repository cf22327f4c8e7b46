"""Volunteers and confirmers acting at the same moment, on PostgreSQL with real threads.

Each job runs on its own thread and database connection, loads what it needs, waits at a
barrier and then acts, so all of them start from the same row versions.
"""

import threading
from decimal import Decimal

import pytest

from linli.accounts.models import User
from linli.core.errors import Conflict
from linli.core.tests.threads import run_together
from linli.points.models import Account, AccountKind, Entry
from linli.volunteering import services
from linli.volunteering.models import Claim, ClaimState, Event, Task, TaskState, VolunteerProfile
from linli.volunteering.services_claims import claim_create
from linli.volunteering.tests.factories import claim, task, volunteer, wish_task

pytestmark = pytest.mark.postgres


def claimer(user_id: int, task_id: int):
    def job(barrier: threading.Barrier):
        actor, t = User.objects.get(pk=user_id), Task.objects.get(pk=task_id)
        barrier.wait()
        return claim_create(actor=actor, task=t)
    return job


def confirmer(user_id: int, claim_id: int):
    def job(barrier: threading.Barrier):
        actor, c = User.objects.get(pk=user_id), Claim.objects.get(pk=claim_id)
        barrier.wait()
        return services.transition(actor=actor, obj=c, action="confirm", rating=5)
    return job


@pytest.fixture
def people(transactional_db, vw):
    return vw


def test_n_plus_one_volunteers_for_n_places_make_exactly_n_claims(people):
    w = people
    places = 3
    t = task(w, needed=places)
    crowd = [w.vera, w.vic, *(volunteer(f"v{i}", w.community_a) for i in range(places - 1))]
    outcomes = run_together(*(claimer(u.pk, t.pk) for u in crowd))
    kinds = sorted(kind for kind, _value in outcomes)
    assert kinds == ["ok"] * places + ["refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict) and refusal.code == "task_full"
    t.refresh_from_db()
    assert (t.claimed_count, t.state) == (places, TaskState.FULL)
    assert Claim.objects.filter(task=t).count() == places
    assert Event.objects.filter(task=t, action="fill").count() == 1


def test_one_volunteer_claiming_twice_at_once_takes_one_place(people):
    w = people
    t = task(w, needed=3)
    outcomes = run_together(claimer(w.vera.pk, t.pk), claimer(w.vera.pk, t.pk))
    assert sorted(kind for kind, _value in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert refusal.code == "already_claimed"
    t.refresh_from_db()
    assert (t.claimed_count, Claim.objects.filter(task=t).count()) == (1, 1)


def test_two_confirmers_at_once_confirm_once_and_pay_once(people):
    w = people
    c = claim(w, wish_task(w), state=ClaimState.REPORTED, hours="3")
    outcomes = run_together(confirmer(w.rita.pk, c.pk), confirmer(w.alice.pk, c.pk))
    assert sorted(kind for kind, _value in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict) and refusal.code == "conflict"
    c.refresh_from_db()
    assert (c.state, c.points) == (ClaimState.CONFIRMED, 30)
    assert Entry.objects.filter(key=f"volunteering.claim:{c.pk}").count() == 1
    assert Entry.objects.count() == 1
    assert Account.objects.get(kind=AccountKind.RESIDENT, owner=w.vera).balance == 30
    profile = VolunteerProfile.objects.get(user=w.vera)
    assert (profile.total_hours, profile.rating_count) == (Decimal("3"), 1)
    assert Event.objects.filter(claim=c, action="confirm").count() == 1
