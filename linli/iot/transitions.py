"""The alarm lifecycle as one table (ThingsBoard's: active → acknowledged → cleared), and
its clock. `workflow.ALARMS` declares it on the shared kit (core.workflow)."""

from linli.core.clocks import Clock, Clocks
from linli.core.workflow import SYSTEM, move
from linli.iot.models import AlarmState as S


class Who:
    RESPONDER = "responder"  # dispatcher or grid worker of the place, or the owner unit


OPEN = frozenset({S.ACTIVE, S.ACKNOWLEDGED})
TRANSITIONS = {
    "acknowledge": move({S.ACTIVE}, S.ACKNOWLEDGED, Who.RESPONDER, "acknowledged_at"),
    # By hand: say why (the cover was put back, a false alarm).
    "clear": move(OPEN, S.CLEARED, Who.RESPONDER, "cleared_at", needs_note=True),
    # By the device: its clearing message, or a reading back within the threshold.
    "recover": move(OPEN, S.CLEARED, SYSTEM, "cleared_at"),
    # The same alarm again while it is open: counted on it, and on its case.
    "repeat": move(OPEN, None, SYSTEM),
    # A case was opened for it, or it joined the device's open case.
    "case": move(OPEN, None, SYSTEM),
}

# How soon someone must acknowledge (the rule's minutes): runs while the alarm is active.
RESPOND_CLOCK = Clock("respond", frozenset({S.ACTIVE}), due="respond_due_at",
                      warn="respond_warn_at", supervised="respond_supervised_for")
CLOCKS = Clocks((RESPOND_CLOCK,))
