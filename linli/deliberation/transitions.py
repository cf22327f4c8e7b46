"""Topics and votes as move tables (declared on the workflow kit in `workflow.py`).

Topic:  raised ─agenda (staff) / qualify (enough supporters)─> agenda ─vote_opened─> voting
        voting ─adopt / reject (the vote's result stands)─> adopted / rejected
        adopted ─complete (staff, a note)─> done
        raised, agenda ─merge / refer (to a case) / decline (a published reason)─> closed
Vote:   draft ─open (the electorate is frozen)─> open ─close (at closes_at: counted)─>
        publicity (公示) ─stand (the period ended, no objection open)─> stands
        publicity ─void (an objection upheld)─> void;  draft, open ─cancel─> cancelled
"""

from linli.core.workflow import SYSTEM, move
from linli.deliberation.models import TopicState as T
from linli.deliberation.models import VoteState as V


class Who:
    STAFF = "staff"            # a grid worker, dispatcher or leader of the topic's scope
    CASE_DESK = "case_desk"    # who reports cases there: its grid workers and dispatchers
    ORGANISER = "organiser"    # a dispatcher or leader of the vote's scope
    SYSTEM = SYSTEM


SCREENING = frozenset({T.RAISED, T.AGENDA})  # staff may still merge, refer or decline
CLOSED = frozenset({T.DONE, T.MERGED, T.REFERRED, T.DECLINED, T.REJECTED})

TOPICS = {
    "agenda": move({T.RAISED}, T.AGENDA, Who.STAFF, "agenda_at"),
    "qualify": move({T.RAISED}, T.AGENDA, Who.SYSTEM, "agenda_at"),
    "merge": move(SCREENING, T.MERGED, Who.STAFF, "closed_at"),
    "refer": move(SCREENING, T.REFERRED, Who.CASE_DESK, "closed_at"),
    "decline": move(SCREENING, T.DECLINED, Who.STAFF, "closed_at", needs_note=True),
    "vote_opened": move({T.AGENDA}, T.VOTING, Who.SYSTEM),
    "vote_ended": move({T.VOTING}, T.AGENDA, Who.SYSTEM),  # cancelled or void: back on the agenda
    "adopt": move({T.VOTING}, T.ADOPTED, Who.SYSTEM, "decided_at"),
    "reject": move({T.VOTING}, T.REJECTED, Who.SYSTEM, "decided_at"),
    "complete": move({T.ADOPTED}, T.DONE, Who.STAFF, "done_at", needs_note=True),
}

VOTES = {
    "open": move({V.DRAFT}, V.OPEN, Who.ORGANISER, "opened_at"),
    "cancel": move({V.DRAFT, V.OPEN}, V.CANCELLED, Who.ORGANISER, "ended_at", needs_note=True),
    "close": move({V.OPEN}, V.PUBLICITY, Who.SYSTEM, "closed_at"),
    "stand": move({V.PUBLICITY}, V.STANDS, Who.SYSTEM, "stood_at"),
    "void": move({V.PUBLICITY}, V.VOID, Who.SYSTEM, "ended_at"),
}
