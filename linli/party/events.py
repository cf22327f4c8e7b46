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
    """A row's history for its page, in the audit log's words (`audit_words.py`)."""
    from linli.party.audit_words import ACTIONS

    return HISTORY.timeline(obj, ACTIONS, show_actor=show_actor)
