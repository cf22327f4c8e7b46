"""How Linli's case states and steps read in GeoReport's statuses.

Plain (the spec): closed is closed (including closed with advice), rejected, merged; open is
every other state, on hold included (the matter is parked, not settled).

Extended (`extensions=true`, FixMyStreet's Open311 values):

| Linli state                  | extended status               |
|------------------------------|-------------------------------|
| reported                     | `open`                        |
| accepted                     | `investigating`               |
| on_hold                      | `investigating`               |
| dispatched                   | `action_scheduled`            |
| in_progress, rework          | `in_progress`                 |
| resolved, verified           | `fixed`                       |
| closed                       | `fixed`                       |
| closed with advice           | `no_further_action`           |
| rejected                     | `not_councils_responsibility` |
| merged                       | `duplicate`                   |

On hold reads `investigating`: the community holds the matter while it finds something out
(FixMyStreet has no "parked" value; `status_notes` says "on hold"). "Closed with advice" is
a closed case whose last closing step was `advise`. As filters, `open` and `closed` keep
their plain meaning with or without extensions (every open or every closed state), so a
client that adds `extensions=true` gets the same lists; the other values pick their rows.

`status_notes` says which Linli state it is and, where staff gave one, the public reason.
Which steps are public and how they read is the cases rule (`cases.selectors.public`),
shared with the public pages.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Q, Subquery

from linli.cases.models import Case, CaseEvent, State
from linli.cases.selectors.public import NOTE_ACTIONS, event_text

OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
CLOSED_STATES = (State.CLOSED, State.REJECTED, State.MERGED)

FIXED, NO_FURTHER_ACTION = "fixed", "no_further_action"
EXTENDED = {
    State.REPORTED: OPEN,
    State.ACCEPTED: "investigating",
    State.ON_HOLD: "investigating",
    State.DISPATCHED: "action_scheduled",
    State.IN_PROGRESS: "in_progress",
    State.REWORK: "in_progress",
    State.RESOLVED: FIXED,
    State.VERIFIED: FIXED,
    State.CLOSED: FIXED,  # NO_FURTHER_ACTION when closed with advice
    State.REJECTED: "not_councils_responsibility",
    State.MERGED: "duplicate",
}
# Every value the extended `status` field can show, in the order of a case's life.
EXTENDED_STATUSES = tuple(dict.fromkeys([*EXTENDED.values(), NO_FURTHER_ACTION]))
ADVISE = "advise"


def status_of(state: str) -> str:
    return CLOSED if state in CLOSED_STATES else OPEN


def extended_status_of(state: str, advised: bool = False) -> str:
    """FixMyStreet's value for a state; `advised`: the case was closed with advice."""
    if state == State.CLOSED and advised:
        return NO_FURTHER_ACTION
    return EXTENDED.get(State(state), OPEN)


def states_for(statuses: Iterable[str]) -> list[str]:
    wanted = set(statuses)
    return [s for s in State.values if status_of(s) in wanted]


def closing_action() -> Subquery:
    """The action of a case's last step into `closed` (advise or close), for annotating."""
    return Subquery(CaseEvent.objects.filter(case=OuterRef("pk"), to_state=State.CLOSED)
                    .order_by("-at", "-id").values("action")[:1])


def status_q(statuses: Iterable[str], closing: str = "closing_action") -> Q:
    """Cases in any of the plain or extended statuses. `closing` names the annotation made
    with `closing_action()`, needed only to tell `fixed` from `no_further_action`."""
    wanted = set(statuses)
    states = [s for s in State.values
              if status_of(s) in wanted or (s != State.CLOSED and EXTENDED[State(s)] in wanted)]
    found = Q(state__in=states)
    if State.CLOSED not in states:
        advised = Q(state=State.CLOSED, **{closing: ADVISE})
        if FIXED in wanted:
            found |= Q(state=State.CLOSED) & ~advised
        if NO_FURTHER_ACTION in wanted:
            found |= advised
    return found


def advised(case: Case, events: list[CaseEvent]) -> bool:
    """Whether the case was closed with advice, from its public steps (oldest first)."""
    closing = [e for e in events if e.to_state == State.CLOSED]
    return bool(closing) and closing[-1].action == ADVISE


def status_notes(case: Case, events: list[CaseEvent], master_public: bool) -> str:
    """The Linli state, with the reason when the step that led there gave a public one."""
    for event in reversed(events):
        if event.to_state != case.state:
            continue
        if event.action in (*NOTE_ACTIONS, "merge"):
            return event_text(event, master_public)
        break
    return str(State(case.state).label)
