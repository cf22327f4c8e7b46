"""The rectification order's workflow as a table (declared on the kit in `workflow.py`).

issued ─rectify (after photos)─> rectified ─sign_off (on-site re-check)─> closed (销号)
   │                                 └─reject (re-check failed, a reason)─> issued
   └─(deadline passes: the sweep)─> overdue ─escalate─> escalated ─rectify─> …

An order is issued by the inspection that found its hazard (`services.inspection_submit`),
not by a move. Each action names the states it may start from, the state it leads to (None:
it stays), who may take it, the timestamp it stamps and whether a note is required.
"""

from linli.core.clocks import Clock, Clocks
from linli.core.workflow import SYSTEM, move
from linli.inspections.models import State as S


class Who:
    RECTIFIER = "rectifier"    # an inspector of the place, or the responsible party's account
    RECHECKER = "rechecker"    # an inspector of the place who is neither of those two
    COORDINATOR = "coordinator"  # a dispatcher or leader of the place
    CASE_DESK = "case_desk"    # a dispatcher of the place: who reports cases for the office
    SYSTEM = SYSTEM            # the deadline sweep


OPEN = frozenset({S.ISSUED, S.OVERDUE, S.ESCALATED})  # waiting for the rectification
DUE = OPEN | {S.RECTIFIED}  # counted in "open" until signed off

TABLE = {
    "rectify": move(OPEN, S.RECTIFIED, Who.RECTIFIER, "rectified_at"),
    "sign_off": move({S.RECTIFIED}, S.CLOSED, Who.RECHECKER, "closed_at"),
    "reject": move({S.RECTIFIED}, S.ISSUED, Who.RECHECKER, needs_note=True),
    "escalate": move({S.OVERDUE}, S.ESCALATED, Who.COORDINATOR, "escalated_at",
                     needs_note=True),
    # Raising a case for a serious hazard keeps the state (one step, linked). The
    # dispatcher raises it: cases are reported by a place's dispatchers (cases' rule).
    "raise_case": move(OPEN, None, Who.CASE_DESK),
    "overdue": move({S.ISSUED}, S.OVERDUE, Who.SYSTEM),
}

CLOCKS = Clocks((
    Clock("rectify", frozenset({S.ISSUED}), due="due_at", warn="warn_at",
          supervised="overdue_for"),
))
