"""The workflow kit on a tiny test-only workflow (core/tests/kit): the check and its
refusals, the claim of the row, the event and audit entry written with a move, a clock
across a holiday, and the supervision sweep claiming each deadline once."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from linli.core import supervision
from linli.core.clocks import Light, due_and_warn
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.core.tests.kit.flow import CLOCKS, TICKETS
from linli.core.tests.kit.models import Ticket, TicketEvent
from linli.core.tests.threads import run_together
from linli.core.tests.workdays import clear_caches, statutory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user(username="alice", password="x")


@pytest.fixture
def bob():
    return get_user_model().objects.create_user(username="bob", password="x")


@pytest.fixture
def ticket():
    return Ticket.objects.create(owner="alice")


def _unchanged(ticket: Ticket) -> None:
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.state, fresh.version, fresh.updated_at) == ("open", 1, None)
    assert TicketEvent.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="ticket.").count() == 0


def test_a_move_claims_the_row_writes_one_event_and_one_audit_entry(alice, ticket):
    event = TICKETS.transition(actor=alice, obj=ticket, action="start")
    assert (ticket.state, ticket.version) == ("running", 2)
    assert (event.action, event.from_state, event.to_state) == ("start", "open", "running")
    entry = AuditEntry.objects.get(action="ticket.start")
    assert entry.changes == {"state": ["open", "running"]}
    TICKETS.transition(actor=alice, obj=ticket, action="close", note="done")
    assert (ticket.state, ticket.closed_at is not None) == ("closed", True)
    assert TicketEvent.objects.count() == 2


def test_the_wrong_role_is_refused_and_nothing_changes(bob, ticket):
    with pytest.raises(PermissionDenied):
        TICKETS.transition(actor=bob, obj=ticket, action="start")
    _unchanged(ticket)


def test_a_stale_version_is_a_conflict_and_nothing_changes(alice, ticket):
    with pytest.raises(Conflict) as refused:
        TICKETS.transition(actor=alice, obj=ticket, action="start", expected_version=7)
    assert refused.value.code == "stale"
    _unchanged(ticket)


def test_of_two_movers_holding_the_same_row_the_second_loses(alice, ticket):
    other_copy = Ticket.objects.get(pk=ticket.pk)
    TICKETS.transition(actor=alice, obj=ticket, action="start")
    with pytest.raises(Conflict) as refused:
        TICKETS.transition(actor=alice, obj=other_copy, action="start")
    assert refused.value.code == "conflict"
    assert TicketEvent.objects.count() == 1


@pytest.mark.parametrize("action, note, code", [
    ("fly", "", "unknown_action"),
    ("close", "", "transition_not_allowed"),
])
def test_unknown_actions_and_wrong_states_are_refused(alice, ticket, action, note, code):
    with pytest.raises(ValidationFailed) as refused:
        TICKETS.transition(actor=alice, obj=ticket, action=action, note=note)
    assert refused.value.code == code
    _unchanged(ticket)


@pytest.mark.parametrize("note, code", [("  ", "note_required"), ("x" * 101, "note_too_long")])
def test_notes_are_required_and_bounded(alice, ticket, note, code):
    TICKETS.transition(actor=alice, obj=ticket, action="start")
    with pytest.raises(ValidationFailed) as refused:
        TICKETS.transition(actor=alice, obj=ticket, action="close", note=note)
    assert refused.value.code == code
    assert Ticket.objects.get(pk=ticket.pk).state == "running"


def test_actions_offered_are_those_the_check_allows(alice, bob, ticket):
    assert TICKETS.actions_for(alice, ticket) == ["start"]
    assert TICKETS.actions_for(bob, ticket) == []


@pytest.fixture
def statutory_calendar(monkeypatch):
    statutory(monkeypatch)
    yield
    monkeypatch.undo()
    clear_caches()


def test_a_clock_across_national_day_runs_on_working_days_only(statutory_calendar, ticket):
    start = datetime(2026, 9, 30, 10, 0, tzinfo=SH)  # the last workday before 1-7 October
    due, warn = due_and_warn(start, Decimal(1), "work_days")
    # Seven days off stop the clock: due at the same hour on the first workday after them.
    assert due == datetime(2026, 10, 8, 10, 0, tzinfo=SH)
    assert warn == datetime(2026, 10, 8, 8, 36, tzinfo=SH)
    Ticket.objects.filter(pk=ticket.pk).update(state="running", due_at=due, warn_at=warn)
    ticket.refresh_from_db()
    assert CLOCKS.light(ticket, datetime(2026, 10, 5, 12, tzinfo=SH)) == Light.GREEN
    assert CLOCKS.light(ticket, datetime(2026, 10, 8, 9, tzinfo=SH)) == Light.YELLOW
    assert CLOCKS.light(ticket, due + timedelta(minutes=1)) == Light.RED
    assert CLOCKS.running_due(ticket) == due
    assert list(Ticket.objects.filter(CLOCKS.overdue_q(due + timedelta(minutes=1)))) == [
        ticket]


def _overdue_tickets(count: int) -> tuple[list[Ticket], datetime]:
    due = datetime(2026, 3, 2, 9, tzinfo=SH)
    tickets = [Ticket.objects.create(owner="alice", state="running", due_at=due)
               for _ in range(count)]
    return tickets, due + timedelta(minutes=1)


def _notice(row, clock, now):
    TicketEvent.objects.create(ticket_id=row["pk"], action="supervise",
                               from_state=row["state"], to_state=row["state"], at=now)


def test_the_sweep_fires_once_per_deadline(monkeypatch):
    monkeypatch.setattr(supervision, "BATCH", 2)
    tickets, now = _overdue_tickets(5)
    assert supervision.supervise_overdue(Ticket, CLOCKS, _notice, now=now) == 5
    assert supervision.supervise_overdue(Ticket, CLOCKS, _notice, now=now) == 0
    moved = now + timedelta(hours=1)  # an extension: a new deadline
    Ticket.objects.filter(pk=tickets[0].pk).update(due_at=moved)
    assert supervision.supervise_overdue(Ticket, CLOCKS, _notice,
                                         now=moved + timedelta(minutes=1)) == 1
    assert TicketEvent.objects.filter(action="supervise").count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_fire_once_per_deadline():
    tickets, now = _overdue_tickets(20)

    def sweep(barrier):
        barrier.wait()
        return supervision.supervise_overdue(Ticket, CLOCKS, _notice, now=now)

    outcomes = run_together(sweep, sweep)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert sum(fired for _, fired in outcomes) == 20
    per_ticket = {t.pk: t.events.filter(action="supervise").count() for t in tickets}
    assert set(per_ticket.values()) == {1}
