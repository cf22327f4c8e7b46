"""The supervision sweeper (督办): one notice per deadline, however often or from however
many places it runs."""

import threading
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from linli.cases.models import Case, CaseEvent
from linli.cases.services import case_report, case_transition, extension_decide, extension_request
from linli.cases.supervision import supervise_overdue
from linli.core import supervision as core_supervision
from linli.core.models import AuditEntry
from linli.notifications.models import Notification

MINUTE = timedelta(minutes=1)


def _due(case, field: str = "handle_due_at") -> datetime:
    value = getattr(case, field)
    assert value is not None
    return value


def _supervisions(case) -> list[dict]:
    return [e.data for e in CaseEvent.objects.filter(case=case, action="supervise")]


def _in_progress(world, case):
    case = case_transition(actor=world.alice, case=case, action="accept")
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    return case_transition(actor=world.uma, case=case, action="acknowledge")


@pytest.mark.django_db
def test_nothing_fires_before_the_deadline(world, reported):
    assert supervise_overdue(now=reported.accept_due_at - MINUTE) == 0
    assert supervise_overdue(now=reported.accept_due_at) == 0  # due, not yet past
    assert _supervisions(reported) == []


@pytest.mark.django_db
def test_acceptance_deadline_fires_once_even_when_swept_twice(world, reported):
    reported.refresh_from_db()  # the due time as stored (UTC), as the sweeper reads it
    later = reported.accept_due_at + MINUTE
    assert supervise_overdue(now=later) == 1
    assert supervise_overdue(now=later + MINUTE) == 0
    assert _supervisions(reported) == [
        {"deadline": "accept", "due_at": reported.accept_due_at.isoformat()}]
    event = CaseEvent.objects.get(case=reported, action="supervise")
    assert (event.actor, event.is_public, event.from_state, event.to_state, event.at) == (
        None, False, "reported", "reported", later)
    case = Case.objects.get(pk=reported.pk)
    assert case.accept_supervised_for == reported.accept_due_at
    assert (case.version, case.state) == (reported.version, "reported")  # no stale forms
    entry = AuditEntry.objects.get(action="case.supervised")
    assert (entry.object_type, entry.object_id, entry.area_path) == (
        "cases.case", str(reported.pk), reported.area_path)


@pytest.mark.django_db
def test_handling_deadline_fires_once(world, reported):
    case = _in_progress(world, reported)
    assert supervise_overdue(now=_due(case) + MINUTE) == 1
    assert supervise_overdue(now=_due(case) + 2 * MINUTE) == 0
    assert _supervisions(case) == [
        {"deadline": "handle", "due_at": _due(case).isoformat()}]


@pytest.mark.django_db
def test_fires_again_after_an_extension_moves_the_deadline_and_it_passes(world, reported):
    case = _in_progress(world, reported)
    first_due = _due(case)
    assert supervise_overdue(now=first_due + MINUTE) == 1
    extension = extension_request(actor=world.uma, case=case, amount=Decimal("8"),
                                  reason="等配件")
    case = extension_decide(actor=world.alice, extension=extension, approve=True)
    assert _due(case) > first_due
    assert supervise_overdue(now=first_due + 2 * MINUTE) == 0
    assert supervise_overdue(now=_due(case) + MINUTE) == 1
    assert supervise_overdue(now=_due(case) + 2 * MINUTE) == 0
    assert [d["due_at"] for d in _supervisions(case)] == [
        first_due.isoformat(), _due(case).isoformat()]


@pytest.mark.django_db
def test_rework_gets_a_fresh_deadline_and_a_fresh_notice(world, reported):
    case = _in_progress(world, reported)
    assert supervise_overdue(now=_due(case) + MINUTE) == 1
    case = case_transition(actor=world.uma, case=case, action="resolve", note="已修")
    case = case_transition(actor=world.gina, case=case, action="fail", note="仍在漏",
                           now=_due(case) + 2 * MINUTE)
    assert supervise_overdue(now=_due(case) + MINUTE) == 1
    assert [d["deadline"] for d in _supervisions(case)] == ["handle", "handle"]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["accepted", "resolved", "closed", "on_hold", "rejected"])
def test_cases_not_waiting_on_a_deadline_are_left_alone(world, reported, state):
    steps: dict[str, list[tuple[str, str, dict]]] = {
        "accepted": [("alice", "accept", {})],
        "rejected": [("alice", "reject", {"note": "不受理"})],
        "on_hold": [("alice", "accept", {}), ("alice", "hold", {"note": "等资金"})],
    }
    if state in steps:
        case = reported
        for who, action, data in steps[state]:
            case = case_transition(actor=getattr(world, who), case=case, action=action, **data)
    else:
        case = _in_progress(world, reported)
        case = case_transition(actor=world.uma, case=case, action="resolve", note="已修")
        if state == "closed":
            case = case_transition(actor=world.gina, case=case, action="verify")
            case = case_transition(actor=world.alice, case=case, action="close")
    far = _due(case, "accept_due_at") + timedelta(days=60)
    assert supervise_overdue(now=far) == 0
    assert _supervisions(case) == []


@pytest.mark.django_db
def test_a_backlog_is_swept_in_batches(world, leak, monkeypatch):
    monkeypatch.setattr(core_supervision, "BATCH", 2)
    cases = [case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                         description=f"漏水 {i}") for i in range(5)]
    latest = max(_due(c, "accept_due_at") for c in cases)
    assert supervise_overdue(now=latest + MINUTE) == 5
    assert CaseEvent.objects.filter(action="supervise").count() == 5


@pytest.mark.django_db
def test_the_notice_reaches_the_inbox_after_commit(world, reported,
                                                   django_capture_on_commit_callbacks):
    case = _in_progress(world, reported)
    with django_capture_on_commit_callbacks(execute=True):
        supervise_overdue(now=_due(case) + MINUTE)
    notes = Notification.objects.filter(kind="case.supervised")
    assert sorted(n.recipient.username for n in notes) == ["alice", "uma"]


@pytest.mark.django_db
def test_the_in_process_scheduler_sweeps_every_minute(settings, world, leak, monkeypatch):
    import django.db
    from django.utils import timezone

    from linli.core import scheduler

    assert settings.CELERY_BEAT_SCHEDULE["cases.supervise_overdue"] == {
        "task": "cases.supervise_overdue", "schedule": 60}
    old = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                      description="上个月的漏水", now=timezone.now() - timedelta(days=30))
    # The loop closes stale connections; here that would end the test's own transaction.
    monkeypatch.setattr(django.db, "close_old_connections", lambda: None)
    stop, run_due = threading.Event(), scheduler.run_due

    def run_once(next_run, now):
        ran = run_due(next_run, now)
        stop.set()
        return ran

    monkeypatch.setattr(scheduler, "run_due", run_once)
    scheduler.run_forever(stop, tick=0.01)
    assert [d["deadline"] for d in _supervisions(old)] == ["accept"]


@pytest.mark.postgres
def test_two_sweepers_at_once_fire_once_per_case(transactional_db, world, leak):
    from django.db import connection

    cases = [case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                         description=f"漏水 {i}") for i in range(30)]
    now = max(_due(c, "accept_due_at") for c in cases) + MINUTE
    barrier = threading.Barrier(2)
    fired: list[int] = []
    errors: list[BaseException] = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            fired.append(supervise_overdue(now=now))
        except BaseException as exc:  # reported below: a thread cannot fail the test
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(fired) == 30
    assert CaseEvent.objects.filter(action="supervise").count() == 30
    per_case = {c.pk: CaseEvent.objects.filter(case=c, action="supervise").count()
                for c in cases}
    assert set(per_case.values()) == {1}
    assert AuditEntry.objects.filter(action="case.supervised").count() == 30
    # Each event told alice once: the notify task after commit ran in the sweeper thread.
    assert Notification.objects.filter(kind="case.supervised", recipient=world.alice
                                       ).count() == 30
