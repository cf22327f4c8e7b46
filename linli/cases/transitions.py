"""The case lifecycle as one table (DESIGN.md §5, GB/T 30428.8 closed loop), and its clocks.

Each action names the states it may start from, the state it leads to (None: the case stays
where it is, e.g. a rating), who may take it, the timestamp it stamps, and whether a note
(reason, evidence, advice) is required. `workflow.CASES` declares the lifecycle on the shared
kit (core.workflow); nothing else decides what is allowed.
"""

from linli.cases.models import State
from linli.core.clocks import Clock, Clocks
from linli.core.workflow import move


class Who:
    DISPATCHER = "dispatcher"  # dispatcher of the case's community
    UNIT = "unit"              # member of the unit the case is dispatched to
    VERIFIER = "verifier"      # grid worker of the case's grid, or the reporter
    REPORTER = "reporter"      # the person who reported it


S = State
TRANSITIONS = {
    "accept": move({S.REPORTED}, S.ACCEPTED, Who.DISPATCHER, "accepted_at"),
    "reject": move({S.REPORTED}, S.REJECTED, Who.DISPATCHER, "rejected_at", needs_note=True),
    # 私事: the resident's own matter, closed at once with advice.
    "advise": move({S.REPORTED}, S.CLOSED, Who.DISPATCHER, "closed_at", needs_note=True),
    "dispatch": move({S.ACCEPTED}, S.DISPATCHED, Who.DISPATCHER, "dispatched_at"),
    "acknowledge": move({S.DISPATCHED}, S.IN_PROGRESS, Who.UNIT, "acknowledged_at"),
    "return": move({S.DISPATCHED, S.IN_PROGRESS}, S.ACCEPTED, Who.UNIT, needs_note=True),
    "resolve": move({S.IN_PROGRESS, S.REWORK}, S.RESOLVED, Who.UNIT, "resolved_at",
                    needs_note=True),
    "verify": move({S.RESOLVED}, S.VERIFIED, Who.VERIFIER, "verified_at"),
    "fail": move({S.RESOLVED}, S.REWORK, Who.VERIFIER, needs_note=True),
    "close": move({S.VERIFIED}, S.CLOSED, Who.DISPATCHER, "closed_at"),
    "rate": move({S.CLOSED}, None, Who.REPORTER, "rated_at"),
    "reopen": move({S.CLOSED}, S.ACCEPTED, Who.REPORTER, needs_note=True),
    "hold": move({S.ACCEPTED}, S.ON_HOLD, Who.DISPATCHER, "on_hold_at", needs_note=True),
    "unhold": move({S.ON_HOLD}, S.ACCEPTED, Who.DISPATCHER),
    "merge": move({S.REPORTED, S.ACCEPTED}, S.MERGED, Who.DISPATCHER, "merged_at"),
}

# Staff-internal steps: their notes (why a unit returned a case, why it is parked) are not
# shown to residents or published through Open311.
INTERNAL_ACTIONS = frozenset({"return", "hold", "unhold"})

# The unit works on the case: it may add evidence photos and ask for more time.
HANDLING = frozenset({S.IN_PROGRESS, S.REWORK})

# Acceptance runs from the report; handling from dispatch (or rework) until resolved, and
# a resolved case keeps the light it was resolved with until it is closed.
ACCEPT_CLOCK = Clock("accept", frozenset({S.REPORTED}), due="accept_due_at",
                     warn="accept_warn_at", supervised="accept_supervised_for")
HANDLE_CLOCK = Clock("handle", frozenset({S.DISPATCHED}) | HANDLING, due="handle_due_at",
                     warn="handle_warn_at", supervised="handle_supervised_for",
                     stopped_states=frozenset({S.RESOLVED, S.VERIFIED}),
                     stopped_at="resolved_at")
CLOCKS = Clocks((ACCEPT_CLOCK, HANDLE_CLOCK))
