"""Activities, notices and honour entries as move tables (declared on the workflow kit in
`workflow.py`).

Activity:  draft ─publish─> published ─report (after the end: text and photos)─> reported
           draft, published ─cancel (a reason; sign-ups are told)─> cancelled
           (sign-up open, under way, ended are times of a published activity, not states)
Notice:    draft ─publish─> published ─withdraw (a reason)─> withdrawn
           (scheduled, shown, expired are times of a published notice)
Entry:     nominated ─approve─> approved ─withdraw (a reason)─> withdrawn
           nominated ─decline (a reason the nominator sees)─> declined
"""

from linli.community.models import ActivityState as A
from linli.community.models import EntryState as E
from linli.community.models import NoticeState as N
from linli.core.workflow import move


class Who:
    ORGANISER = "organiser"  # staff at or above the activity's audience
    AUTHOR = "author"        # staff at or above the notice's audience
    MODERATOR = "moderator"  # staff at or above the board's scope


ACTIVITIES = {
    "publish": move({A.DRAFT}, A.PUBLISHED, Who.ORGANISER, "published_at"),
    "cancel": move({A.DRAFT, A.PUBLISHED}, A.CANCELLED, Who.ORGANISER, "ended_at",
                   needs_note=True),
    "report": move({A.PUBLISHED}, A.REPORTED, Who.ORGANISER, "ended_at"),
}

NOTICES = {
    "publish": move({N.DRAFT}, N.PUBLISHED, Who.AUTHOR, "published_at"),
    "withdraw": move({N.PUBLISHED}, N.WITHDRAWN, Who.AUTHOR, "withdrawn_at", needs_note=True),
}

ENTRIES = {
    "approve": move({E.NOMINATED}, E.APPROVED, Who.MODERATOR, "decided_at"),
    "decline": move({E.NOMINATED}, E.DECLINED, Who.MODERATOR, "decided_at", needs_note=True),
    "withdraw": move({E.APPROVED}, E.WITHDRAWN, Who.MODERATOR, "withdrawn_at", needs_note=True),
}
