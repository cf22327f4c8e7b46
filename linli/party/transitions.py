"""The party app's workflows as move tables (declared on the workflow kit in `workflow.py`).

Dual registration (双报到):
    reported ─accept─> accepted ─end (a note)─> ended
    reported ─decline (a reason)─> declined;  reported ─withdraw (the member)─> withdrawn
Resolution of a joint meeting (联席会议决议):
    assigned ─acknowledge (the owner unit)─> in_progress
    assigned, in_progress ─report_done (the unit, what was done)─> done
    done ─confirm (party staff)─> closed;  done ─send_back (a reason)─> in_progress
    assigned, in_progress ─cancel (a reason)─> cancelled
    its clock runs in assigned and in_progress; overdue → a supervision notice (督办)
Joint meeting: planned ─hold─> held;  planned ─cancel (a reason)─> cancelled
Property supervision item: open ─resolve (what was done)─> resolved
Co-building agreement: active ─end (a reason)─> ended
"""

from linli.core.clocks import Clock, Clocks
from linli.core.workflow import move
from linli.party.models import AgreementState as A
from linli.party.models import MeetingState as M
from linli.party.models import RegistrationState as R
from linli.party.models import ResolutionState as S
from linli.party.models import SupervisionState as P


class Who:
    STAFF = "staff"    # party-work staff of the row's place
    MEMBER = "member"  # the registering member themselves
    UNIT = "unit"      # the resolution's owner unit's people
    FOLLOWER = "follower"  # who follows a property item: party staff or a dispatcher


REGISTRATIONS = {
    "accept": move({R.REPORTED}, R.ACCEPTED, Who.STAFF, "accepted_at"),
    "decline": move({R.REPORTED}, R.DECLINED, Who.STAFF, "ended_at", needs_note=True),
    "withdraw": move({R.REPORTED}, R.WITHDRAWN, Who.MEMBER, "ended_at"),
    "end": move({R.ACCEPTED}, R.ENDED, Who.STAFF, "ended_at", needs_note=True),
}

RUNNING = frozenset({S.ASSIGNED, S.IN_PROGRESS})

RESOLUTIONS = {
    "acknowledge": move({S.ASSIGNED}, S.IN_PROGRESS, Who.UNIT, "acknowledged_at"),
    "report_done": move(RUNNING, S.DONE, Who.UNIT, "done_at", needs_note=True),
    "confirm": move({S.DONE}, S.CLOSED, Who.STAFF, "closed_at"),
    "send_back": move({S.DONE}, S.IN_PROGRESS, Who.STAFF, needs_note=True),
    "cancel": move(RUNNING, S.CANCELLED, Who.STAFF, "closed_at", needs_note=True),
}

RESOLUTION_CLOCKS = Clocks((
    Clock("handle", RUNNING, due="due_at", warn="warn_at", supervised="supervised_for",
          stopped_states=frozenset({S.DONE, S.CLOSED}), stopped_at="done_at"),
))

MEETINGS = {
    "hold": move({M.PLANNED}, M.HELD, Who.STAFF, "held_at"),
    "cancel": move({M.PLANNED}, M.CANCELLED, Who.STAFF, "cancelled_at", needs_note=True),
}

SUPERVISIONS = {
    "resolve": move({P.OPEN}, P.RESOLVED, Who.FOLLOWER, "resolved_at", needs_note=True),
}

AGREEMENTS = {
    "end": move({A.ACTIVE}, A.ENDED, Who.STAFF, "ended_at", needs_note=True),
}
