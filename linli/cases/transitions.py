"""The case lifecycle as one table (DESIGN.md §5, GB/T 30428.8 closed loop).

Each action names the states it may start from, the state it leads to (None: the case stays
where it is, e.g. a rating), who may take it, the timestamp it stamps, and whether a note
(reason, evidence, advice) is required. `services.case_transition` is the only code that
moves a case; it reads this table and nothing else decides what is allowed.
"""

from dataclasses import dataclass

from linli.cases.models import State


class Who:
    DISPATCHER = "dispatcher"  # dispatcher of the case's community
    UNIT = "unit"              # member of the unit the case is dispatched to
    VERIFIER = "verifier"      # grid worker of the case's grid, or the reporter
    REPORTER = "reporter"      # the person who reported it


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None
    who: str
    stamp: str | None = None
    needs_note: bool = False


def _m(sources, target, who, stamp=None, needs_note=False) -> Move:
    return Move(frozenset(sources), target, who, stamp, needs_note)


S = State
TRANSITIONS: dict[str, Move] = {
    "accept": _m({S.REPORTED}, S.ACCEPTED, Who.DISPATCHER, "accepted_at"),
    "reject": _m({S.REPORTED}, S.REJECTED, Who.DISPATCHER, "rejected_at", needs_note=True),
    # 私事: the resident's own matter, closed at once with advice.
    "advise": _m({S.REPORTED}, S.CLOSED, Who.DISPATCHER, "closed_at", needs_note=True),
    "dispatch": _m({S.ACCEPTED}, S.DISPATCHED, Who.DISPATCHER, "dispatched_at"),
    "acknowledge": _m({S.DISPATCHED}, S.IN_PROGRESS, Who.UNIT, "acknowledged_at"),
    "return": _m({S.DISPATCHED, S.IN_PROGRESS}, S.ACCEPTED, Who.UNIT, needs_note=True),
    "resolve": _m({S.IN_PROGRESS, S.REWORK}, S.RESOLVED, Who.UNIT, "resolved_at",
                  needs_note=True),
    "verify": _m({S.RESOLVED}, S.VERIFIED, Who.VERIFIER, "verified_at"),
    "fail": _m({S.RESOLVED}, S.REWORK, Who.VERIFIER, needs_note=True),
    "close": _m({S.VERIFIED}, S.CLOSED, Who.DISPATCHER, "closed_at"),
    "rate": _m({S.CLOSED}, None, Who.REPORTER, "rated_at"),
    "reopen": _m({S.CLOSED}, S.ACCEPTED, Who.REPORTER, needs_note=True),
    "hold": _m({S.ACCEPTED}, S.ON_HOLD, Who.DISPATCHER, "on_hold_at", needs_note=True),
    "unhold": _m({S.ON_HOLD}, S.ACCEPTED, Who.DISPATCHER),
    "merge": _m({S.REPORTED, S.ACCEPTED}, S.MERGED, Who.DISPATCHER, "merged_at"),
}


def allowed_actions(state: str) -> list[str]:
    """Actions the table allows from `state`, whoever asks."""
    return [action for action, move in TRANSITIONS.items() if state in move.sources]
