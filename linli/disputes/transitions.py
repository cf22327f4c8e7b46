"""The dispute workflow as a table (declared on the kit in `workflow.py`).

registered → accepted (an owner assigned by grade) → in mediation (sessions) → agreed /
withdrawn / failed → referred (court, arbitration, a competent department) → closed after
the follow-up (回访). Each action names the states it may start from, the state it leads to
(None: it stays, as a grade override does), who may take it, the timestamp it stamps and
whether a note is required. Registering is not a move: `services.dispute_register` starts a
dispute in its first state.
"""

from linli.core.clocks import Clock, Clocks
from linli.core.workflow import SYSTEM, move
from linli.disputes.models import State as S


class Who:
    COORDINATOR = "coordinator"  # a mediator, dispatcher or leader of the place
    HANDLER = "handler"          # the owner, or who may handle a dispute of its grade there
    CLOSER = "closer"            # the handler; for yellow and red never a grid worker alone
    SYSTEM = SYSTEM              # the overdue sweep


OPEN = frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING})
ENDED = frozenset({S.AGREED, S.WITHDRAWN, S.FAILED, S.REFERRED})  # waiting for follow-up

TABLE = {
    "accept": move({S.REGISTERED}, S.ACCEPTED, Who.COORDINATOR, "accepted_at"),
    "mediate": move({S.ACCEPTED}, S.MEDIATING, Who.HANDLER, "mediating_at"),
    "agree": move({S.MEDIATING}, S.AGREED, Who.HANDLER, "ended_at"),
    "withdraw": move(OPEN, S.WITHDRAWN, Who.HANDLER, "ended_at", needs_note=True),
    "fail": move({S.MEDIATING}, S.FAILED, Who.HANDLER, "ended_at", needs_note=True),
    "refer": move({S.ACCEPTED, S.MEDIATING, S.FAILED}, S.REFERRED, Who.HANDLER,
                  "referred_at", needs_note=True),
    "follow_up": move(ENDED, None, Who.HANDLER, "followed_up_at", needs_note=True),
    "close": move(ENDED, S.CLOSED, Who.CLOSER, "closed_at"),
    "regrade": move(OPEN | ENDED, None, Who.COORDINATOR, needs_note=True),
    "reassign": move({S.ACCEPTED, S.MEDIATING}, None, Who.COORDINATOR, needs_note=True),
    # The mediation deadline passed: one level up (community leader, then the street).
    "escalate": move({S.ACCEPTED, S.MEDIATING}, None, Who.SYSTEM),
}

CLOCKS = Clocks((
    Clock("mediate", frozenset({S.ACCEPTED, S.MEDIATING}), due="mediate_due_at",
          warn="mediate_warn_at", supervised="mediate_supervised_for"),
    Clock("follow_up", ENDED, due="followup_due_at", warn="followup_warn_at",
          supervised="followup_supervised_for"),
))
