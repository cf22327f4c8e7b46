"""The ten-line declaration ADR 0006 shows, on the test app's Ticket."""

from linli.core.clocks import Clock, Clocks
from linli.core.tests.kit.models import Ticket, TicketEvent
from linli.core.workflow import Workflow, move


def record(ticket, *, actor, action, from_state, to_state, at, note="", data=None,
           is_public=True):
    return TicketEvent.objects.create(ticket=ticket, action=action, from_state=from_state,
                                      to_state=to_state, at=at, note=note)


TABLE = {
    "start": move({"open"}, "running", "owner"),
    "close": move({"running"}, "closed", "owner", "closed_at", needs_note=True),
}
TICKETS = Workflow(model=Ticket, table=TABLE, record=record, audit_prefix="ticket.",
                   who={"owner": lambda actor, t: actor.username == t.owner},
                   versioned=True, touch="updated_at", note_limit=100, register=False)
CLOCKS = Clocks((Clock("handle", frozenset({"running"}), due="due_at", warn="warn_at",
                       supervised="supervised_for"),))
