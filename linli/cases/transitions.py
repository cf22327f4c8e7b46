"""The case lifecycle as one table (DESIGN.md §5, GB/T 30428.8 closed loop), and its clocks.

Each action names the states it may start from, the state it leads to (None: the case stays
where it is, e.g. a rating), who may take it, the timestamp it stamps, and whether a note
(reason, evidence, advice) is required. `workflow.CASES` declares the lifecycle on the shared
kit (core.workflow); nothing else decides what is allowed.
"""

from linli.cases.models import OPEN_STATES, State
from linli.core.clocks import Clock, Clocks
from linli.core.workflow import SYSTEM, move


class Who:
    DISPATCHER = "dispatcher"  # dispatcher of the case's community
    UNIT = "unit"              # member of the unit the case is dispatched to
    VERIFIER = "verifier"      # grid worker of the case's grid, or the reporter
    REPORTER = "reporter"      # the person who reported it
    SUPERVISOR = "supervisor"  # dispatcher or leader whose area covers the case (督办)


S = State
# Supervision by hand reaches a case someone still has to act on: not closed, rejected or
# merged, and not resolved or verified either (the unit's work is done; the check on site
# and the close have their own people). A notice and a reassignment need a unit that
# holds the case and runs its clock.
SUPERVISABLE = frozenset({S.REPORTED, S.ACCEPTED, S.ON_HOLD, S.DISPATCHED, S.IN_PROGRESS,
                          S.REWORK})
WITH_UNIT = frozenset({S.DISPATCHED, S.IN_PROGRESS, S.REWORK})
# A notice stays answerable while the unit still holds the case (after it reports it
# resolved, too: the answer may be "done").
NOTICE_STATES = WITH_UNIT | {S.RESOLVED}
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
    # Supervision by hand (督办) on an overdue, nearly due or urgent case (effects.py says
    # when): none of these moves the case's state except a reassignment, which gives it
    # to another unit as a fresh dispatch.
    "urge": move(SUPERVISABLE, None, Who.SUPERVISOR),
    "notice": move(WITH_UNIT, None, Who.SUPERVISOR, "notice_issued_at", needs_note=True),
    "answer_notice": move(NOTICE_STATES, None, Who.UNIT, needs_note=True),
    "reassign": move(WITH_UNIT, S.DISPATCHED, Who.SUPERVISOR, "dispatched_at",
                     needs_note=True),
    "escalate": move(SUPERVISABLE, None, Who.SUPERVISOR, "escalated_at", needs_note=True),
    # Moves nobody takes by hand (services/devices.py). A device's alarm with an owner unit
    # that serves its place goes straight to that unit: accepted and dispatched at once.
    "route": move({S.REPORTED}, S.DISPATCHED, SYSTEM, "dispatched_at"),
    # The device alarms again while its case is open: recorded on the case, which stays.
    "device_alarm": move(OPEN_STATES, None, SYSTEM),
}

# Staff-internal steps: their notes (why a unit returned a case, why it is parked) are not
# shown to residents or published through Open311.
INTERNAL_ACTIONS = frozenset({"return", "hold", "unhold", "urge", "notice", "answer_notice",
                              "reassign", "escalate"})
SUPERVISION_ACTIONS = ("urge", "notice", "reassign", "escalate")

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
# A supervision notice's answer time, swept like the deadlines above (timers as data): when
# it passes unanswered, the unit and whoever issued it are reminded once per notice. Not
# in CLOCKS: it is no deadline of the case, so it changes neither its light nor "overdue".
NOTICE_CLOCK = Clock("notice", NOTICE_STATES, due="notice_due_at", warn="notice_due_at",
                     supervised="notice_reminded_for")
SWEPT = Clocks((ACCEPT_CLOCK, HANDLE_CLOCK, NOTICE_CLOCK))
