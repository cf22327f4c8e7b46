"""Two actors at once on one dispute: exactly one move wins, the other is told of the
conflict and nothing of theirs is written; two sweepers at once raise one notice per
deadline. PostgreSQL, real threads."""

import threading
from datetime import timedelta

import pytest

from linli.accounts.models import User
from linli.core.errors import Conflict
from linli.core.tests.threads import run_together
from linli.disputes import services
from linli.disputes.models import (
    Dispute,
    Event,
    Grade,
    GradeRule,
    Kind,
    KindLimit,
    RegistrationKey,
    Source,
    State,
)
from linli.disputes.shipped import ship_defaults
from linli.disputes.supervision import agreement_reminders, supervise_overdue
from linli.disputes.tests.factories import dispute, in_state, mediator, outsiders
from linli.orgs.models import Area

pytestmark = pytest.mark.postgres


def mover(user_id: int, dispute_id: int, action: str, **inputs):
    def job(barrier: threading.Barrier):
        actor = User.objects.get(pk=user_id)
        d = Dispute.objects.get(pk=dispute_id)
        barrier.wait()
        return services.dispute_transition(actor=actor, dispute=d, action=action, **inputs)
    return job


def test_two_coordinators_accept_at_once_one_wins(transactional_db, world):
    mia = mediator(world)
    d = dispute(world)
    outcomes = run_together(mover(world.alice.pk, d.pk, "accept"),
                            mover(mia.pk, d.pk, "accept"))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict)
    assert Event.objects.filter(dispute=d, action="accept").count() == 1
    d.refresh_from_db()
    assert d.state == State.ACCEPTED and d.version == 2


def test_withdraw_and_accept_at_once_one_wins(transactional_db, world):
    d = dispute(world)
    outcomes = run_together(mover(world.alice.pk, d.pk, "accept"),
                            mover(world.gina.pk, d.pk, "withdraw", note="当事人撤回"))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert Event.objects.filter(dispute=d).exclude(action="register").count() == 1


def sweeper(fn, now):
    def job(barrier: threading.Barrier):
        barrier.wait()
        return fn(now=now)
    return job


def test_two_sweepers_escalate_once(transactional_db, world):
    mia = mediator(world)
    d = in_state(world, State.ACCEPTED, mia=mia)
    late = d.mediate_due_at + timedelta(hours=1)
    outcomes = run_together(sweeper(supervise_overdue, late), sweeper(supervise_overdue, late))
    assert sorted(value for _, value in outcomes) == [0, 1], outcomes
    assert Event.objects.filter(dispute=d, action="escalate").count() == 1


def test_two_sweepers_remind_once(transactional_db, world):
    mia = mediator(world)
    d = in_state(world, State.AGREED, mia=mia)
    late = d.agreement.performance_due_at + timedelta(hours=1)
    outcomes = run_together(sweeper(agreement_reminders, late),
                            sweeper(agreement_reminders, late))
    assert sorted(value for _, value in outcomes) == [0, 1], outcomes
    assert Event.objects.filter(dispute=d, action="performance_due").count() == 1


def registrar(user_id: int, area_id: int, key: str):
    """One tap of a double-tapped register button: the same key and the same request."""
    def job(barrier: threading.Barrier):
        actor, area = User.objects.get(pk=user_id), Area.objects.get(pk=area_id)
        barrier.wait()
        return services.dispute_register_outcome(
            actor=actor, area=area, kind=Kind.NEIGHBOUR, summary="楼上漏水，楼下要求赔偿",
            people_involved=2, source=Source.WALK_IN, parties=outsiders(),
            idempotency_key=key)
    return job


def test_a_double_registration_at_once_makes_one_dispute(transactional_db, world):
    ship_defaults(GradeRule, KindLimit)
    job = registrar(world.gina.pk, world.building_a.pk, "tap-1")
    outcomes = run_together(job, job)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    answers = [value for _, value in outcomes]
    assert answers[0].dispute == answers[1].dispute
    assert sorted(a.replayed for a in answers) == [False, True]
    assert Dispute.objects.count() == RegistrationKey.objects.count() == 1
    assert Event.objects.filter(action="register").count() == 1
    assert Dispute.objects.get().grade == Grade.GREEN
