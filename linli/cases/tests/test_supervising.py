"""Supervision by hand (督办): urge, notice and its answer, reassign, escalate — when they
are possible, what they write, who hears of them, the notice's reminder, and what a
refusal leaves untouched. The table's cell-by-cell checks (roles, notes, stale versions)
are in test_transitions.py."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation

from linli.accounts import scope
from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, CaseEvent, State
from linli.cases.notify import case_event_notify
from linli.cases.selectors import CaseFilters, case_list
from linli.cases.services import case_transition
from linli.cases.supervision import supervise_overdue
from linli.cases.tests.factories import category
from linli.cases.tests.walking import (
    case_in_state,
    more_actors,
    noticed_case,
    report,
    second_unit,
    snapshot,
)
from linli.cases.workflow import CASES
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.notifications.models import Notification

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai, a working day
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(world):
    world = more_actors(world)
    # The street supervises the property unit: leo (street leader) hears of its cases.
    world.unit_a.supervisor_area = world.street
    world.unit_a.save()
    world.sam = UserFactory(username="sam")  # the street's dispatcher
    assign(world.sam, Role.DISPATCHER, world.street)
    return world


def calm_case(world, state: str = State.IN_PROGRESS) -> Case:
    """A normal-priority case (3 working days to handle): on time for days."""
    cat = category("L2001", name_zh="路灯不亮", priority="normal", accept_limit=None,
                   handle_limit=None, limit_unit="")
    case = report(world, cat=cat)
    case = case_transition(actor=world.alice, case=case, action="accept")
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    if state == State.IN_PROGRESS:
        case = case_transition(actor=world.uma, case=case, action="acknowledge")
    return case


def _set(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment


def heard(case: Case, action: str) -> dict[str, set[str]]:
    """Run the notify task for the case's latest `action` event: kind -> usernames."""
    event = case.events.filter(action=action).order_by("-id").first()
    assert event is not None
    case_event_notify(event.pk)
    out: dict[str, set[str]] = {}
    for kind, name in Notification.objects.filter(source_key=f"case_event:{event.pk}"
                                                  ).values_list("kind", "recipient__username"):
        out.setdefault(kind, set()).add(name)
    return out


def act(world, who: str, case: Case, action: str, **data: Any) -> Case:
    return case_transition(actor=getattr(world, who), case=case, action=action, **data)


# --- when --------------------------------------------------------------------------------

def test_an_on_time_normal_case_is_not_supervised(people, clock):
    case = calm_case(people)
    assert not {"urge", "notice", "reassign", "escalate"} & set(
        CASES.actions_for(people.alice, case))
    before = snapshot(case)
    with translation.override("en"), pytest.raises(ValidationFailed) as refusal:
        act(people, "alice", case, "urge")
    assert refusal.value.code == "not_supervisable"
    assert "overdue, nearly due, urgent or an emergency" in refusal.value.message
    assert snapshot(case) == before


def test_a_normal_case_past_its_deadline_is_supervised(people, clock):
    case = calm_case(people)
    clock.move_to(_set(case.handle_due_at) + timedelta(minutes=5))
    assert {"urge", "notice", "reassign", "escalate"} <= set(
        CASES.actions_for(people.alice, case))
    after = act(people, "alice", case, "urge")
    assert after.state == State.IN_PROGRESS


def test_a_yellow_case_is_supervised(people, clock):
    case = calm_case(people)
    clock.move_to(_set(case.handle_warn_at) + timedelta(minutes=5))
    assert "urge" in CASES.actions_for(people.alice, case)


def test_an_urgent_case_is_sensitive_and_supervised_on_time(people, clock):
    case = case_in_state(people, State.DISPATCHED)  # the leak category is urgent
    assert case.priority == "urgent"
    assert "notice" in CASES.actions_for(people.alice, case)


def test_an_acceptance_overdue_case_can_be_urged_and_escalated_but_gets_no_notice(people,
                                                                                   clock):
    case = case_in_state(people, State.REPORTED)
    clock.move_to(_set(case.accept_due_at) + timedelta(minutes=5))
    actions = CASES.actions_for(people.leo, case)
    assert {"urge", "escalate"} <= set(actions)
    assert not {"notice", "reassign"} & set(actions)  # no unit holds it to answer


@pytest.mark.parametrize("state", [State.CLOSED, State.REJECTED, State.MERGED,
                                   State.RESOLVED, State.VERIFIED])
def test_a_finished_case_is_refused_with_a_clear_message(people, clock, state):
    case = case_in_state(people, state)
    before = snapshot(case)
    for action in ("urge", "notice", "reassign", "escalate"):
        with translation.override("en"), pytest.raises(ValidationFailed) as refusal:
            act(people, "alice", case, action, note="请尽快处理", respond_by=timezone.now() + DAY,
                unit=second_unit(people))
        assert refusal.value.code == "transition_not_allowed"
        assert "that action is not possible now" in refusal.value.message
    assert snapshot(case) == before


def test_the_street_leader_and_dispatcher_supervise_every_community_of_the_street(people,
                                                                                  clock):
    case = case_in_state(people, State.IN_PROGRESS)
    act(people, "leo", case, "urge")
    act(people, "sam", case, "urge", note="请加快")
    assert case.events.filter(action="urge").count() == 2


def test_another_communitys_dispatcher_and_the_unit_may_not_supervise(people, clock):
    case = case_in_state(people, State.IN_PROGRESS)
    before = snapshot(case)
    for who in ("bob", "uma", "gina", "ada"):
        with pytest.raises(PermissionDenied):
            act(people, who, case, "urge")
    assert snapshot(case) == before


# --- urge --------------------------------------------------------------------------------

def test_urge_is_an_internal_event_heard_by_the_unit_and_its_supervisor(people, clock):
    case = case_in_state(people, State.IN_PROGRESS)
    after = act(people, "alice", case, "urge")
    event = after.events.get(action="urge")
    assert (event.is_public, event.note, event.actor) == (False, "", people.alice)
    assert event.data["unit_id"] == people.unit_a.pk
    assert heard(after, "urge") == {"case.urged": {"uma", "una", "alma", "sam", "leo"}}
    entry = AuditEntry.objects.filter(action="case.urge").get()
    assert entry.changes["unit_id"] == people.unit_a.pk


# --- notice and its answer --------------------------------------------------------------

@pytest.mark.parametrize(("respond_in", "code"), [
    (None, "respond_by_required"), (-timedelta(hours=1), "respond_by_too_soon"),
    (timedelta(minutes=10), "respond_by_too_soon"), (timedelta(days=31), "respond_by_too_far"),
])
def test_a_notice_needs_a_sensible_answer_time(people, clock, respond_in, code):
    case = case_in_state(people, State.IN_PROGRESS)
    before = snapshot(case)
    respond_by = None if respond_in is None else timezone.now() + respond_in
    with pytest.raises(ValidationFailed) as refusal:
        act(people, "alice", case, "notice", note="请说明进展", respond_by=respond_by)
    assert refusal.value.code == code
    assert snapshot(case) == before


def test_a_notice_waits_for_the_units_answer_and_is_heard_by_unit_and_supervisor(people,
                                                                                  clock):
    case = case_in_state(people, State.IN_PROGRESS)
    due = timezone.now() + DAY
    after = act(people, "alice", case, "notice", note="请说明进展", respond_by=due)
    assert (after.notice_due_at, after.notice_issued_at) == (due, timezone.now())
    assert heard(after, "notice") == {"case.notice": {"uma", "una", "alma", "sam", "leo"}}
    # Only one notice waits at a time.
    with pytest.raises(ValidationFailed) as refusal:
        act(people, "leo", after, "notice", note="再次督办", respond_by=due + DAY)
    assert refusal.value.code == "notice_open"
    assert "notice" not in CASES.actions_for(people.leo, after)

    answered = act(people, "uma", after, "answer_notice", note="已联系业主，明天上门")
    assert (answered.notice_due_at, answered.notice_answered_late) == (None, False)
    assert answered.events.get(action="answer_notice").data["late"] is False
    assert heard(answered, "answer_notice") == {
        "case.notice_answered": {"alice", "alma", "sam", "leo"}}
    assert "answer_notice" not in CASES.actions_for(people.uma, answered)


def test_a_late_answer_is_flagged(people, clock):
    case = noticed_case(people, State.IN_PROGRESS, respond_in=timedelta(hours=2))
    clock.shift(timedelta(hours=3))
    answered = act(people, "uma", case, "answer_notice", note="刚看到")
    assert answered.notice_answered_late is True
    assert answered.events.get(action="answer_notice").data["late"] is True


def test_answering_without_a_notice_is_refused(people, clock):
    case = case_in_state(people, State.IN_PROGRESS)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refusal:
        act(people, "uma", case, "answer_notice", note="无")
    assert refusal.value.code == "no_notice"
    assert snapshot(case) == before


def test_an_unanswered_notice_is_reminded_once_when_its_time_passes(people, clock):
    case = noticed_case(people, State.IN_PROGRESS, respond_in=timedelta(hours=2))
    due = case.notice_due_at
    assert due is not None
    supervise_overdue(now=due - timedelta(minutes=1))
    assert not case.events.filter(action="notice_overdue").exists()
    supervise_overdue(now=due + timedelta(minutes=1))
    supervise_overdue(now=due + timedelta(minutes=2))
    event = case.events.get(action="notice_overdue")
    assert (event.actor, event.is_public, event.data["unit_id"]) == (
        None, False, people.unit_a.pk)
    assert heard(case, "notice_overdue") == {
        "case.notice_overdue": {"uma", "una", "alice", "alma", "sam", "leo"}}
    assert AuditEntry.objects.filter(action="case.notice_overdue").count() == 1


def test_an_answered_notice_is_not_reminded(people, clock):
    case = noticed_case(people, State.IN_PROGRESS, respond_in=timedelta(hours=2))
    due = case.notice_due_at
    assert due is not None
    act(people, "uma", case, "answer_notice", note="已处理")
    supervise_overdue(now=due + timedelta(minutes=1))
    assert not CaseEvent.objects.filter(case=case, action="notice_overdue").exists()


# --- reassign ----------------------------------------------------------------------------

def test_reassign_to_the_same_a_foreign_or_an_inactive_unit_is_refused(people, clock):
    case = case_in_state(people, State.IN_PROGRESS)
    idle = second_unit(people)
    idle.is_active = False
    idle.save()
    before = snapshot(case)
    for unit, code in [(people.unit_a, "same_unit"), (people.unit_b, "bad_unit"),
                       (idle, "bad_unit"), (None, "bad_unit")]:
        with pytest.raises(ValidationFailed) as refusal:
            act(people, "alice", case, "reassign", note="改派", unit=unit)
        assert refusal.value.code == code
    assert snapshot(case) == before


def test_reassign_gives_the_case_afresh_to_the_new_unit(people, clock):
    case = noticed_case(people, State.IN_PROGRESS)
    new = second_unit(people)
    ivy: Any = UserFactory(username="ivy")
    assign(ivy, Role.UNIT_MEMBER, people.community_a, unit=new)
    started, due = case.handle_started_at, case.handle_due_at
    assert started is not None and due is not None
    clock.shift(timedelta(hours=2))
    after = act(people, "alice", case, "reassign", note="物业无力处理，改派维修队", unit=new)
    assert (after.state, after.unit, after.acknowledged_at) == (State.DISPATCHED, new, None)
    assert after.handle_started_at == timezone.now() > started
    assert after.handle_due_at is not None and after.handle_due_at > due
    assert after.notice_due_at is None  # the old unit can no longer answer it
    event = after.events.get(action="reassign")
    assert (event.data["unit_id"], event.data["unit"]) == (people.unit_a.pk, new.name)
    # The old unit loses the case; the new one sees it.
    assert not case_list(actor=people.uma).filter(pk=case.pk).exists()
    assert case_list(actor=ivy).filter(pk=case.pk).exists()
    assert heard(after, "reassign") == {"case.assigned": {"ivy"},
                                        "case.reassigned": {"uma", "una", "alma", "sam",
                                                            "leo"}}
    assert AuditEntry.objects.filter(action="case.reassign").count() == 1


# --- escalate ----------------------------------------------------------------------------

def test_escalate_marks_the_case_for_the_street(people, clock):
    case = case_in_state(people, State.IN_PROGRESS)
    after = act(people, "alice", case, "escalate", note="涉及多户，需街道协调")
    assert (after.escalated_at, after.escalated_by, after.escalation_reason) == (
        timezone.now(), people.alice, "涉及多户，需街道协调")
    assert heard(after, "escalate") == {"case.escalated": {"leo", "sam", "uma", "una"}}
    escalated = case_list(actor=people.leo, filters=CaseFilters(escalated=True))
    assert list(escalated.values_list("pk", flat=True)) == [case.pk]
    assert not case_list(actor=people.leo, filters=CaseFilters(escalated=False)).filter(
        pk=case.pk).exists()
    before = snapshot(after)
    with pytest.raises(ValidationFailed) as refusal:
        act(people, "leo", after, "escalate", note="再次上报")
    assert refusal.value.code == "already_escalated"
    assert snapshot(after) == before


def test_a_stale_supervision_form_changes_nothing(people, clock):
    case = case_in_state(people, State.IN_PROGRESS)
    before = snapshot(case)
    with pytest.raises(Exception) as conflict:
        case_transition(actor=people.alice, case=case, action="urge",
                        expected_version=case.version - 1)
    assert getattr(conflict.value, "code", "") == "stale"
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_notice_left_open_does_not_follow_the_case_into_a_new_dispatch(people, clock):
    case = noticed_case(people, State.RESOLVED)
    for who, action, data in [("gina", "verify", {}), ("alice", "close", {}),
                              ("rita", "rate", {"rating": "unsatisfied"}),
                              ("rita", "reopen", {"note": "还在漏"}),
                              ("alice", "dispatch", {"unit": people.unit_a})]:
        case = act(people, who, case, action, **data)
    assert (case.state, case.notice_due_at) == (State.DISPATCHED, None)


def test_whoever_reassigned_a_case_may_not_verify_it(people, clock):
    case = case_in_state(people, State.IN_PROGRESS, dispatcher=people.alma)
    new = second_unit(people)
    case = act(people, "alice", case, "reassign", note="改派", unit=new)
    people.ivy = UserFactory(username="ivy")
    assign(people.ivy, Role.UNIT_MEMBER, people.community_a, unit=new)
    case = act(people, "ivy", case, "acknowledge")
    case = act(people, "ivy", case, "resolve", note="已修好")
    assign(people.alice, Role.GRID_WORKER, people.grid_a1)
    scope.forget(people.alice)
    with pytest.raises(PermissionDenied):
        act(people, "alice", case, "verify")
