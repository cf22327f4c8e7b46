"""The history writer of the workflow kit: one `Event` row per move of a booking or a
need."""

from linli.core.history import History
from linli.library.models import Booking, Event, Need

NOTIFY = "library.event_notify"
HISTORY = History(Event, {Booking: "booking", Need: "need"})
record = HISTORY.record
history = HISTORY.of


def timeline(obj, *, show_actor: bool) -> list[dict]:
    """A row's history for its page, in the audit log's words (`audit_words.py`)."""
    from linli.library.audit_words import ACTIONS

    return HISTORY.timeline(obj, ACTIONS, show_actor=show_actor)
