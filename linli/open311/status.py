"""How Linli's case states and steps read in GeoReport's two statuses.

closed: closed (including closed with advice), rejected, merged. open: every other state,
on hold included (the matter is parked, not settled). `status_notes` says which Linli
state it is and, where staff gave one, the public reason. Which steps are public and how
they read is the cases rule (`cases.selectors.public`), shared with the public pages.
"""

from collections.abc import Iterable

from linli.cases.models import Case, CaseEvent, State
from linli.cases.selectors.public import NOTE_ACTIONS, event_text

OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
CLOSED_STATES = (State.CLOSED, State.REJECTED, State.MERGED)


def status_of(state: str) -> str:
    return CLOSED if state in CLOSED_STATES else OPEN


def states_for(statuses: Iterable[str]) -> list[str]:
    wanted = set(statuses)
    return [s for s in State.values if status_of(s) in wanted]


def status_notes(case: Case, events: list[CaseEvent], master_public: bool) -> str:
    """The Linli state, with the reason when the step that led there gave a public one."""
    for event in reversed(events):
        if event.to_state != case.state:
            continue
        if event.action in (*NOTE_ACTIONS, "merge"):
            return event_text(event, master_public)
        break
    return str(State(case.state).label)
