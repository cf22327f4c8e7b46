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
from linli.deliberation.services.conventions import (
    convention_create,
    version_add,
    version_adopted,
    version_edit,
    version_frozen,
)
from linli.deliberation.services.counting import (
    community_rules,
    result_of,
    vote_close,
    vote_stand,
)
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
from linli.deliberation.services.objections import (
    objection_answer,
    objection_raise,
)
from linli.deliberation.services.sweep import votes_sweep
from linli.deliberation.services.topics import (
    comment_add,
    comment_hide,
    progress_add,
    topic_adopted,
    topic_files_add,
    topic_raise,
    topic_refer,
    topic_support,
    topic_transition,
)
from linli.deliberation.services.votes import (
    vote_create,
    vote_fields,
    vote_transition,
    vote_update,
)

__all__ = ["Quorum", "attendance_record", "ballot_cast", "ballot_change", "ballot_record_paper",
           "body_create", "body_update", "comment_add", "comment_hide", "community_rules",
           "convention_create", "meeting_cancel", "meeting_check_in", "meeting_create",
           "meeting_invite", "meeting_minutes", "meeting_quorate", "member_add", "member_leave",
           "objection_answer", "objection_raise", "progress_add", "receipt_find", "result_of",
           "topic_adopted", "topic_files_add", "topic_raise", "topic_refer", "topic_support",
           "topic_transition", "version_add", "version_adopted", "version_edit", "version_frozen",
           "vote_close", "vote_create", "vote_fields", "vote_stand", "vote_transition",
           "vote_update", "votes_sweep"]
