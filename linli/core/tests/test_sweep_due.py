"""`supervision.sweep_due`: the supervision claim for any deadline column, not only a
clock's (an agreement's performance check), and `system_move` carrying event details."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from linli.core import supervision
from linli.core.tests.kit.models import Ticket
from linli.core.workflow import SYSTEM, Workflow, move

SH = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 3, 2, 9, tzinfo=SH)
pytestmark = pytest.mark.django_db


def _sweep(now, fired: list, qs=None, **kwargs):
    def hook(row, when):
        fired.append((row["pk"], row["due"], row.get("owner")))
    return supervision.sweep_due(qs if qs is not None else Ticket.objects.all(),
                                 due="due_at", claimed="supervised_for", hook=hook, now=now,
                                 **kwargs)


def test_a_timer_fires_once_per_deadline_whatever_the_state(monkeypatch):
    monkeypatch.setattr(supervision, "BATCH", 2)
    tickets = [Ticket.objects.create(owner=f"u{i}", state=state, due_at=DUE)
               for i, state in enumerate(("open", "running", "closed"))]
    Ticket.objects.create(owner="later", due_at=DUE + timedelta(days=1))
    Ticket.objects.create(owner="none")  # no deadline: never swept
    fired: list = []
    assert _sweep(DUE, fired) == 0  # not past yet
    assert _sweep(DUE + timedelta(minutes=1), fired, fields=("owner",)) == 3
    assert sorted(f[0] for f in fired) == [t.pk for t in tickets]
    assert {f[2] for f in fired} == {"u0", "u1", "u2"}
    assert _sweep(DUE + timedelta(minutes=2), fired) == 0
    moved = DUE + timedelta(hours=2)  # a corrected deadline gets a new call
    Ticket.objects.filter(pk=tickets[0].pk).update(due_at=moved)
    assert _sweep(moved + timedelta(minutes=1), fired) == 1


def test_the_queryset_limits_the_timer():
    Ticket.objects.create(owner="a", state="closed", due_at=DUE)
    fired: list = []
    assert _sweep(DUE + timedelta(minutes=1), fired,
                  qs=Ticket.objects.exclude(state="closed")) == 0


def test_a_broken_row_is_skipped_and_the_rest_fire():
    first = Ticket.objects.create(owner="a", due_at=DUE)
    Ticket.objects.create(owner="b", due_at=DUE)
    calls: list = []

    def hook(row, now):
        if row["pk"] == first.pk:
            raise RuntimeError("broken")
        calls.append(row["pk"])

    fired = supervision.sweep_due(Ticket.objects.all(), due="due_at",
                                  claimed="supervised_for", hook=hook,
                                  now=DUE + timedelta(minutes=1))
    assert fired == 1 and len(calls) == 1
    assert Ticket.objects.get(pk=first.pk).supervised_for is None  # rolled back: retried


def test_a_system_move_carries_its_details_to_the_event():
    written: dict = {}

    def record(obj, **kwargs):
        written.update(kwargs)
        return obj

    flow = Workflow(model=Ticket, table={"lapse": move({"running"}, None, SYSTEM)},
                    record=record, audit_prefix="ticket.", who={}, register=False)
    ticket = Ticket.objects.create(owner="a", state="running")
    flow.system_move(ticket, "lapse", DUE, updates={"owner": "b"}, data={"level": 1})
    assert written["data"] == {"level": 1} and written["actor"] is None
    assert Ticket.objects.get(pk=ticket.pk).owner == "b"
