"""The volunteering workflows as tables: wishes, tasks and claims.

Each action names the states it may start from, the state it leads to (None: it stays, as a
rating does), who may take it, the timestamp it stamps and whether a note is required.
`workflow.py` declares them on the shared kit (core.workflow); `services.transition` is the
only code that moves a wish, a task or a claim, and nothing else decides what is allowed.
Creating a wish, a task or a claim is not a move: `wish_post`, `task_create` and
`claim_create` start them in their first state.
"""

from linli.core.workflow import SYSTEM, move
from linli.volunteering.models import ClaimState, TaskState, WishState


class Who:
    STAFF = "staff"            # dispatcher or grid worker of the place
    REQUESTER = "requester"    # the resident who posted the wish
    VOLUNTEER = "volunteer"    # the volunteer who made the claim, and only they
    CONFIRMER = "confirmer"    # the wish's requester or staff; never the volunteer
    SYSTEM = SYSTEM            # a consequence of another move, never asked for directly


_m = move


W, T, C = WishState, TaskState, ClaimState

WISH = {
    "publish": _m({W.POSTED}, W.PUBLISHED, Who.STAFF, "published_at"),
    "decline": _m({W.POSTED}, W.DECLINED, Who.STAFF, "closed_at", needs_note=True),
    "cancel": _m({W.POSTED}, W.CANCELLED, Who.REQUESTER, "closed_at"),
    # Its task completed or was cancelled.
    "fulfil": _m({W.PUBLISHED}, W.FULFILLED, Who.SYSTEM, "closed_at"),
    "drop": _m({W.PUBLISHED}, W.CANCELLED, Who.SYSTEM, "closed_at"),
}

TASK = {
    "publish": _m({T.DRAFT}, T.PUBLISHED, Who.STAFF, "published_at"),
    "fill": _m({T.PUBLISHED}, T.FULL, Who.SYSTEM),       # the last place was claimed
    "reopen": _m({T.FULL}, T.PUBLISHED, Who.SYSTEM),     # a volunteer withdrew
    "start": _m({T.PUBLISHED, T.FULL}, T.IN_PROGRESS, Who.STAFF, "started_at"),
    "complete": _m({T.PUBLISHED, T.FULL, T.IN_PROGRESS}, T.COMPLETED, Who.STAFF,
                   "completed_at"),
    "cancel": _m({T.DRAFT, T.PUBLISHED, T.FULL}, T.CANCELLED, Who.STAFF, "cancelled_at",
                 needs_note=True),
}

CLAIM = {
    "check_in": _m({C.CLAIMED}, C.CHECKED_IN, Who.VOLUNTEER, "check_in_at"),
    "check_out": _m({C.CHECKED_IN}, C.CHECKED_OUT, Who.VOLUNTEER, "check_out_at"),
    "report": _m({C.CLAIMED, C.CHECKED_IN, C.CHECKED_OUT}, C.REPORTED, Who.VOLUNTEER,
                 "reported_at"),
    "confirm": _m({C.CHECKED_OUT, C.REPORTED}, C.CONFIRMED, Who.CONFIRMER, "confirmed_at"),
    "reject": _m({C.CHECKED_OUT, C.REPORTED}, C.REJECTED, Who.CONFIRMER, "closed_at",
                 needs_note=True),
    "withdraw": _m({C.CLAIMED}, C.WITHDRAWN, Who.VOLUNTEER, "closed_at"),
    "rate": _m({C.CONFIRMED}, None, Who.CONFIRMER, "rated_at"),
}

# Task states in which volunteers work on their claims and confirmers settle them.
TASK_WORKING = frozenset({T.PUBLISHED, T.FULL, T.IN_PROGRESS, T.COMPLETED})

