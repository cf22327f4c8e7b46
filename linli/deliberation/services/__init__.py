"""Every write to deliberation, one module per part: topics, meetings (bodies, meetings,
attendance), votes (set-up and opening), ballots (casting), counting (the close and the
公示), objections, conventions and the sweep.

The public functions are re-exported here: `from linli.deliberation.services import X`.
"""

from linli.deliberation.services.ballots import (
    ballot_cast,
    ballot_change,
    ballot_record_paper,
    receipt_find,
)
from linli.deliberation.services.counting import (
    community_rules,
    result_of,
    vote_close,
    vote_stand,
)

__all__ = ["ballot_cast", "ballot_change", "ballot_record_paper", "community_rules",
           "receipt_find", "result_of", "vote_close", "vote_stand"]
from linli.deliberation.services.meetings import (
    Quorum,
    attendance_record,
    body_create,
    body_update,
    meeting_cancel,
    meeting_check_in,
    meeting_create,
    meeting_invite,
    meeting_minutes,
    meeting_quorate,
    member_add,
    member_leave,
)

__all__ += ["Quorum", "attendance_record", "body_create", "body_update", "meeting_cancel",
            "meeting_check_in", "meeting_create", "meeting_invite", "meeting_minutes",
            "meeting_quorate", "member_add", "member_leave"]
