"""The history writer of the workflow kit: one `Event` row per move of a dual registration,
a resolution, a joint meeting, a property supervision item or a co-building agreement."""

from linli.core.history import History
from linli.party.models import (
    Agreement,
    DualRegistration,
    Event,
    JointMeeting,
    PropertySupervision,
    Resolution,
)

NOTIFY = "party.event_notify"
HISTORY = History(Event, {DualRegistration: "registration", Resolution: "resolution",
                          JointMeeting: "meeting", PropertySupervision: "supervision",
                          Agreement: "agreement"})
record = HISTORY.record
history = HISTORY.of


def timeline(obj, *, show_actor: bool) -> list[dict]:
    """A row's history for its page: each move in words (the audit log's,
    `audit_words.py`), when, the note, and who (for staff)."""
    from linli.party.audit_words import ACTIONS

    prefix = HISTORY.subjects[type(obj)]
    rows = history(obj).select_related("actor").order_by("at", "pk")
    return [{"at": e.at, "action": e.action,
             "label": ACTIONS.get(f"{prefix}.{e.action}", e.action), "note": e.note,
             "actor": (e.actor.display_name or e.actor.username)
             if show_actor and e.actor is not None else ""} for e in rows]
